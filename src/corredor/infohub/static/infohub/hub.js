/* The hub's one script: registers the service worker, asks it to save the reader's language, shows when
   the page is the saved copy, and runs the "saved offline" page. Everything works without it. */
"use strict";
(function () {
  const body = document.body;
  const lang = body.dataset.lang;
  const banner = document.getElementById("offline-banner");
  function showOffline() { if (banner) banner.hidden = navigator.onLine; }
  window.addEventListener("online", showOffline);
  window.addEventListener("offline", showOffline);
  showOffline();

  if ("serviceWorker" in navigator && body.dataset.sw) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: "/hub/" }).then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (registration.active && navigator.onLine) registration.active.postMessage({ type: "save-language", lang: lang });
      }).catch(() => {});
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data && event.data.type === "saved") body.dataset.saved = event.data.lang;
    });
  }

  const saved = document.getElementById("saved");
  if (!saved || !("caches" in window)) return;
  const list = document.getElementById("saved-list");
  const status = document.getElementById("saved-status");
  const all = document.getElementById("saved-delete-all");

  function label(url) {
    const u = new URL(url);
    return decodeURIComponent(u.pathname + u.search);
  }

  async function entries() {
    const found = [];
    for (const name of await caches.keys()) {
      if (!name.startsWith("corredor-hub-")) continue;
      const cache = await caches.open(name);
      for (const request of await cache.keys()) found.push({ name: name, request: request });
    }
    return found;
  }

  async function draw(message) {
    const found = await entries();
    list.textContent = "";
    for (const item of found) {
      const li = document.createElement("li");
      const text = document.createElement("span");
      text.textContent = label(item.request.url) + " ";
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = saved.dataset.delete;
      button.setAttribute("aria-label", saved.dataset.delete + " " + label(item.request.url));
      button.addEventListener("click", async () => {
        await (await caches.open(item.name)).delete(item.request);
        draw(saved.dataset.deleted);
      });
      li.append(text, button);
      list.append(li);
    }
    all.hidden = found.length === 0;
    let text = found.length === 0 ? saved.dataset.empty : "";
    if (navigator.storage && navigator.storage.estimate && found.length) {
      const estimate = await navigator.storage.estimate();
      text = saved.dataset.size + ": " + Math.round((estimate.usage || 0) / 1024) + " KB";
    }
    status.textContent = message ? message + " " + text : text;
  }

  all.addEventListener("click", async () => {
    for (const name of await caches.keys()) if (name.startsWith("corredor-hub-")) await caches.delete(name);
    draw(saved.dataset.deleted);
  });
  draw();
})();
