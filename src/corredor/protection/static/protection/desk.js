// Protection at the desk: an unaccompanied or separated child makes Refer the default decision.
(function () {
  "use strict";
  if (window.corredorProtectionDesk) return;
  window.corredorProtectionDesk = true;
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("[data-protection-unaccompanied]")) return;
    var form = box.form;
    if (!form) return;
    var refer = form.querySelector('button[name=action][value=refer]');
    if (!refer) return;
    if (box.checked) {
      form.querySelectorAll("button[data-default]").forEach(function (b) {
        if (b !== refer) { b.dataset.protectionWasDefault = "1"; b.removeAttribute("data-default"); b.classList.remove("primary"); }
      });
      refer.setAttribute("data-default", "");
      refer.classList.add("primary");
    } else {
      var before = form.querySelector("button[data-protection-was-default]");
      if (before) {
        refer.removeAttribute("data-default");
        refer.classList.remove("primary");
        before.setAttribute("data-default", "");
        before.classList.add("primary");
        delete before.dataset.protectionWasDefault;
      }
    }
  });
})();
