// The desk is worked from the keyboard: a scanner types the MRZ lines then Enter; digits pick the decision.
(function () {
  "use strict";

  function mrzComplete(text) {
    var lines = text.split(/\r?\n/).map(function (l) { return l.trim(); }).filter(Boolean);
    var lengths = lines.map(function (l) { return l.length; });
    if (lines.length === 1) return [88, 72, 90].indexOf(lengths[0]) >= 0;
    if (lines.length === 2) return (lengths[0] === 44 && lengths[1] === 44) || (lengths[0] === 36 && lengths[1] === 36);
    if (lines.length === 3) return lengths.every(function (n) { return n === 30; });
    return false;
  }

  function submit(form) {
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-mrz-input]")) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey || mrzComplete(target.value))) {
        event.preventDefault();
        submit(target.form);
      } else if (event.key === "Escape") {
        target.value = "";
        var result = document.getElementById("result");
        if (result) result.innerHTML = "";
      }
      return;
    }
    var typing = target.matches && target.matches("input:not([type=hidden]):not([type=submit]), textarea, select");
    if (typing || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key === "Escape") {
      var box = document.querySelector("[data-mrz-input]");
      if (box) { box.value = ""; box.focus(); }
      var res = document.getElementById("result");
      if (res) res.innerHTML = "";
      return;
    }
    var button = document.querySelector('#decision button[data-key="' + event.key + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });

  // After settle, not swap: htmx wires the new form only then, and a key pressed earlier would submit it
  // the browser's own way.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!event.detail || !event.detail.target) return;
    if (event.detail.target.id === "decision-error") {
      // The decision was not recorded (the message is under the buttons): back to the default decision.
      var fallback = document.querySelector("#decision button[data-default]");
      if (fallback) fallback.focus();
      return;
    }
    if (event.detail.target.id !== "result") return;
    var box = document.querySelector("[data-mrz-input]");
    if (event.detail.target.querySelector("[data-recorded]")) {
      if (box) { box.value = ""; box.focus(); }
      return;
    }
    if (event.detail.target.querySelector("[data-valid=false]")) {
      // A bad read is usually rescanned: be ready for the scanner, with the old text selected.
      if (box) { box.focus(); box.select(); }
      return;
    }
    var preferred = event.detail.target.querySelector("#decision button[data-default]");
    if (preferred) { preferred.focus(); return; }
    var firstField = event.detail.target.querySelector("input:not([type=hidden]), select");
    if (firstField) firstField.focus();
  });

  // A new request's answer replaces the last error: an old "not recorded" must not stay beside a success.
  document.addEventListener("htmx:beforeRequest", function () {
    var slot = document.getElementById("error-slot");
    if (slot) slot.innerHTML = "";
  });

  // An error answer (403, 409, 422..., or the boundary's 503 "busy, try again") still carries a message for
  // the officer: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status >= 400 && (status < 500 || event.detail.xhr.getResponseHeader("X-Corredor-Error"))) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

// A select marked data-autosubmit sends its form when changed (the post and language switches). Here, not
// in an onchange attribute: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) target.form.submit();
  });
})();
