{% load static %}/* The hub's service worker, written by hand (no library): network first, the saved copy when the
   network fails, and the offline page of the reader's language for a page never saved. It keeps only what
   this site serves (pages under /hub/, its static files, the map's data); never anything from elsewhere. */
"use strict";
const CACHE = "corredor-hub-v1";
const LANGS = ["es", "en", "fr", "ht", "pt"];
const STATIC = "{% static '' %}";
const CORE = [
  "{% static 'infohub/hub.js' %}",
  "{% static 'infohub/map.js' %}",
  "{% static 'infohub/icon.svg' %}",
  "{% static 'vendor/leaflet/leaflet.js' %}",
  "{% static 'vendor/leaflet/leaflet.css' %}",
  "{% url 'hub-map-data' %}",
];
const PAGES = ["", "entry/", "services/", "alerts/", "guide/", "remittances/", "saved/", "offline/"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(CORE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("corredor-hub-") && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

// A page asks for its language's pages to be saved (after the first visit they all work offline).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "save-language" && LANGS.includes(data.lang)) {
    const urls = PAGES.map((p) => "/hub/" + data.lang + "/" + p);
    event.waitUntil(
      // Only what is not saved yet: on a slow network every page view must not fetch the whole set again
      // (the pages the reader opens are refreshed as they are read).
      caches.open(CACHE).then((cache) =>
        Promise.all(CORE.concat(urls).map(async (url) => {
          if (await cache.match(url, { ignoreVary: true })) return;
          const response = await fetch(url, { credentials: "omit" }).catch(() => null);
          if (response && response.ok) await cache.put(url, response);
        }))
      ).then(() => event.source && event.source.postMessage({ type: "saved", lang: data.lang }))
    );
  }
});

function saveable(url) {
  return url.origin === self.location.origin &&
    (url.pathname.startsWith("/hub/") || url.pathname.startsWith(STATIC)) &&
    !url.pathname.startsWith("/hub/edit/") && !url.pathname.startsWith("/hub/lang/") &&
    url.pathname !== "/hub/sw.js" && url.pathname !== "/hub/bundle.json";
}

function offlinePage(url) {
  const lang = url.pathname.split("/")[2];
  return "/hub/" + (LANGS.includes(lang) ? lang : "es") + "/offline/";
}

// How long a page waits for the network when a saved copy exists (a signal that comes and goes): then the
// saved copy is shown, and the network's answer, when it comes, replaces it for next time.
const PATIENCE_MS = 1500;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!saveable(url)) return;
  const network = fetch(request);
  // Keep the network's answer for offline use, even when the saved copy was shown first.
  event.waitUntil(
    network.then(async (response) => {
      if (!response.ok || response.type !== "basic") return;
      const copy = response.clone();
      await (await caches.open(CACHE)).put(request, copy);
    }).catch(() => {})
  );
  event.respondWith(
    Promise.race([
      network,
      new Promise((resolve, reject) => setTimeout(async () => {
        const saved = await caches.match(request, { ignoreVary: true });
        if (saved) resolve(saved); else network.then(resolve, reject);
      }, PATIENCE_MS)),
    ])
      .catch(async () => {
        const cache = await caches.open(CACHE);
        // The pages vary by language cookie and Accept-Language only at /hub/ itself; the language is in
        // every other address, so the saved copy answers whatever headers the offline request carries.
        const saved = (await cache.match(request, { ignoreVary: true })) ||
          (request.mode === "navigate" ? await cache.match(request, { ignoreSearch: true, ignoreVary: true }) : undefined);
        if (saved) return saved;
        if (request.mode === "navigate") {
          const offline = await cache.match(offlinePage(url), { ignoreVary: true });
          if (offline) return offline;
        }
        return Response.error();
      })
  );
});
