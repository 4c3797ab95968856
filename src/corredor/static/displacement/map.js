// The event's map, offline: Leaflet (vendored) draws the admin areas' shapes, shaded by the round's displaced
// people, and the sites and flow monitoring points as circles. There is no tile layer, so nothing is fetched
// from outside Corredor.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("dp-map");
    if (!box || !window.L) return;
    var map = window.L.map(box, { attributionControl: false, zoomSnap: 0.25 });
    var layer = null;
    var number = new Intl.NumberFormat(document.documentElement.lang || undefined);

    function shade(value, max) {
      if (value === null || value === undefined || !max) return "#dde3ea";
      var t = Math.sqrt(value / max);
      var light = Math.round(92 - 50 * t);
      return "hsl(8, 70%, " + light + "%)";
    }

    function text(value) { var span = document.createElement("span"); span.textContent = value; return span.innerHTML; }

    function draw(round) {
      var url = box.dataset.source + (round ? "?round=" + encodeURIComponent(round) : "");
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
        if (layer) map.removeLayer(layer);
        var max = 0;
        data.features.forEach(function (f) { if (f.properties.individuals > max) max = f.properties.individuals; });
        layer = window.L.geoJSON(data, {
          style: function (f) {
            if (f.geometry.type === "Point") return {};
            return { color: "#555", weight: f.properties.level === 0 ? 1.5 : 0.8, fillOpacity: 0.75, fillColor: shade(f.properties.individuals, max) };
          },
          pointToLayer: function (f, latlng) {
            var site = f.properties.kind === "site";
            return window.L.circleMarker(latlng, { radius: site ? 7 : 6, color: site ? "#0d47a1" : "#1b5e20", weight: 2, fillOpacity: 0.9, fillColor: site ? "#64b5f6" : "#a5d6a7" });
          },
          onEachFeature: function (f, l) {
            var p = f.properties;
            var label = p.kind === "area"
              ? text(p.pcode + " " + p.name) + (p.individuals !== null && p.individuals !== undefined ? "<br>" + number.format(p.individuals) + " " + text(box.dataset.labelPeople) : "")
              : text((p.kind === "site" ? box.dataset.labelSite : box.dataset.labelPoint) + ": " + p.name) + (p.border_post ? " (" + text(p.border_post) + ")" : "");
            l.bindTooltip(label);
            l.getElement && l.on("add", function () { var el = l.getElement(); if (el) el.setAttribute("data-feature", p.kind + ":" + (p.pcode || p.code)); });
          }
        }).addTo(map);
        var bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] }); else map.setView([15, -80], 4);
        box.dataset.features = String(data.features.length);
      });
    }

    var select = document.getElementById("dp-round");
    if (select) select.addEventListener("change", function () { draw(select.value); });
    draw(select ? select.value : "");
  });
})();
