/* The services map: Leaflet 1.9.4 (vendored) with no tile server (no third-party request, and it works
   offline): services as coloured points and border posts as squares over a plain background, drawn from
   /hub/map.json, which the service worker keeps whole. Filters follow the form; "Near" centres on a post
   and lists the five nearest services. */
"use strict";
(function () {
  const el = document.getElementById("map");
  if (!el || typeof L === "undefined") return;
  const lang = el.dataset.lang;
  const colours = { shelter: "#a4001d", consulate: "#4b2a85", health: "#006b3c", legal_aid: "#7a4a00",
    migration_office: "#0b5394", information: "#005f73" };
  const map = L.map(el, { attributionControl: false, zoomSnap: 0.5, keyboard: true });
  map.setView([9.9, -84.2], 7);
  L.control.scale({ imperial: false }).addTo(map);
  const layer = L.layerGroup().addTo(map);

  function text(texts) {
    if (!texts) return "";
    for (const code of [lang, "fr", "es", "en", "pt", "ht"]) if (texts[code]) return texts[code];
    return "";
  }
  function esc(s) {
    const d = document.createElement("div");
    d.textContent = s == null ? "" : String(s);
    return d.innerHTML;
  }
  function distance(a, b) {
    const r = Math.PI / 180;
    const x = (b.lon - a.lon) * r * Math.cos(((a.lat + b.lat) / 2) * r);
    const y = (b.lat - a.lat) * r;
    return Math.sqrt(x * x + y * y) * 6371;
  }

  fetch(el.dataset.url).then((r) => r.json()).then((data) => {
    // The filters come from the address, not the page: offline, the saved page of the directory answers
    // every filtered address, and the map and the list below still follow the filters asked for.
    const query = new URLSearchParams(window.location.search);
    const kind = query.get("kind") || "", spoken = query.get("language") || "", post = query.get("post") || "";
    for (const [id, value] of [["kind", kind], ["spoken", spoken], ["post", post]]) {
      const select = document.getElementById(id);
      if (select && [...select.options].some((o) => o.value === value)) select.value = value;
    }
    const matches = (s) => (!kind || s.kind === kind) && (!spoken || s.languages.includes(spoken)) && (!post || s.post === post);
    const shown = data.services.filter((s) => (!kind || s.kind === kind) && (!spoken || s.languages.includes(spoken)));
    const byId = new Map(data.services.map((s) => [s.id, s]));
    for (const item of document.querySelectorAll("#service-list .service")) {
      const s = byId.get(item.dataset.id);
      if (s) item.hidden = !matches(s);
    }
    const bounds = [];
    for (const p of data.posts) {
      const marker = L.marker([p.lat, p.lon], {
        icon: L.divIcon({ className: "post-marker", html: "<span>" + esc(p.code) + "</span>", iconSize: [40, 24] }),
        // A label, not a control: posts close together (Limón's airport and port) would overlap as
        // targets; the "Near" list gives each post.
        title: text(p.names), alt: text(p.names), keyboard: false, interactive: false,
      });
      marker.addTo(layer);
    }
    for (const s of shown) {
      const m = L.circleMarker([s.lat, s.lon], { radius: 7, color: "#fff", weight: 2, fillColor: colours[s.kind] || "#333", fillOpacity: 1 });
      m.bindPopup("<strong>" + esc(s.name) + "</strong><br>" + esc(data.kinds[s.kind][lang]) + " · " + esc(s.city) +
        "<br>" + esc(text(s.description)) + (s.hours ? "<br>" + esc(s.hours) : ""));
      m.options.serviceId = s.id;
      m.addTo(layer);
      bounds.push([s.lat, s.lon]);
    }
    el.dataset.shown = String(shown.length);
    const centre = data.posts.find((p) => p.code === post);
    if (centre) {
      map.setView([centre.lat, centre.lon], 11);
      const near = shown.map((s) => ({ s: s, d: distance(centre, s) })).sort((a, b) => a.d - b.d).slice(0, 5);
      const list = document.createElement("ol");
      list.className = "nearest";
      list.setAttribute("aria-label", el.dataset.directions + " " + text(centre.names));
      for (const n of near) {
        const li = document.createElement("li");
        li.textContent = n.s.name + " — " + n.d.toFixed(1) + " km";
        list.append(li);
      }
      el.after(list);
    } else if (bounds.length) {
      map.fitBounds(bounds, { padding: [20, 20] });
    }
  }).catch(() => { el.dataset.failed = "1"; });
})();
