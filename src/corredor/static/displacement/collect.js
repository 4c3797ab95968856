// The offline collection form: a submission is kept in the browser (localStorage) the moment it is saved,
// then sent to /api/v1/displacement/submissions; whatever cannot be sent (no link, server away) stays and
// is sent again when the browser says the link is back, on the next page load, and every 30 seconds.
// Each submission carries a UUID made here, so a submission sent twice (the answer was lost) is stored once.
(function () {
  "use strict";
  var KEY = "corredor.displacement.queue";
  var sending = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { window.localStorage.setItem(KEY, JSON.stringify(queue)); }

  function uuid4() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var body = document.body.getAttribute("hx-headers");
    try { return JSON.parse(body)["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function eventCode() { return window.location.pathname.split("/").filter(Boolean)[1]; }

  function show(note) {
    var queue = load();
    var box = document.getElementById("dp-queue");
    var list = document.getElementById("dp-pending");
    if (box) {
      box.textContent = queue.length ? box.dataset.waiting + " " + queue.length + (note ? " · " + note : "") : box.dataset.empty;
      box.classList.toggle("sent", queue.length === 0);
      box.dataset.pending = String(queue.length);
    }
    if (list) {
      list.textContent = "";
      queue.forEach(function (item) {
        var li = document.createElement("li");
        var where = item.body.area_pcode || item.body.site_code || item.body.point_code || "";
        var when = item.body.round ? "R" + item.body.round : (item.body.counted_on || "");
        li.textContent = item.body.kind + " · " + where + " · " + when + (item.error ? " · " + item.error : "");
        li.dataset.uuid = item.body.client_uuid;
        list.appendChild(li);
      });
    }
  }

  function send() {
    if (sending) return;
    var queue = load();
    if (!queue.length) { show(); return; }
    if (navigator.onLine === false) { show(document.getElementById("dp-queue").dataset.offline); return; }
    sending = true;
    var item = queue[0];
    fetch(item.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(item.body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        var rest = load().filter(function (other) { return other.body.client_uuid !== item.body.client_uuid; });
        if (response.ok) {
          save(rest);
        } else if (response.status >= 400 && response.status < 500 && response.status !== 401 && response.status !== 408 && response.status !== 429) {
          // Refused as it is (bad input, not allowed): kept, with the reason, for a person to see.
          item.error = answer.message || String(response.status);
          save(rest.concat([item]));
          sending = false;
          show(item.error);
          return;
        } else {
          throw new Error(String(response.status));
        }
        sending = false;
        show();
        send();
      });
    }).catch(function () {
      sending = false;
      show(document.getElementById("dp-queue").dataset.offline);
    });
  }

  function flowBody(form) {
    // One cell of a day's counts at a point: who passed, which way, how, from where to where.
    var cell = {};
    var body = { kind: "flow_counts", client_uuid: uuid4(), event: eventCode(), cells: [cell] };
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.name === "point_code" || field.name === "counted_on") body[field.name] = field.value;
      else if (field.name === "people") cell.people = parseInt(field.value || "0", 10);
      else cell[field.name] = field.value;
    });
    return body;
  }

  function queueForm(form) {
    if (form.dataset.kind === "flow_counts") {
      var queued = load();
      queued.push({ endpoint: form.dataset.endpoint, body: flowBody(form) });
      save(queued);
      form.reset();
      show();
      send();
      return;
    }
    var body = { kind: form.dataset.kind, client_uuid: uuid4(), event: eventCode(), collected_at: new Date().toISOString(), counts: {}, needs: {} };
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name) return;
      if (field.type === "number") body.counts[field.name] = parseInt(field.value || "0", 10);
      else if (field.name.indexOf("need_") === 0) body.needs[field.name.slice(5)] = parseInt(field.value, 10);
      else if (field.name === "round") body.round = parseInt(field.value, 10);
      else body[field.name] = field.value;
    });
    var queue = load();
    queue.push({ endpoint: form.dataset.endpoint, body: body });
    save(queue);
    form.reset();
    show();
    send();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-offline-form]")) return;
    event.preventDefault();
    queueForm(form);
  });
  window.addEventListener("online", send);
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("dp-send");
    if (button) button.addEventListener("click", send);
    show();
    send();
    window.setInterval(send, 30000);
  });
})();
