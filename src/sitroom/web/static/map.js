/* The incidents map and its timeline: markers sized by casualties and coloured by type over country
   outlines shipped with sitroom (no tiles unless the server was started with --tiles); dragging on the
   timeline chooses a date range and filters the markers. No HTML is built from strings. */
(function () {
  "use strict";
  var COLORS = {
    "Battles": "#c0392b",
    "Explosions/Remote violence": "#d35400",
    "Violence against civilians": "#8e44ad",
    "Protests": "#2471a3",
    "Riots": "#148f77",
    "Strategic developments": "#707b7c"
  };
  var el = document.getElementById("map");
  if (!el) { return; }
  var tiles = el.dataset.tiles;
  var map = L.map(el, { worldCopyJump: true, minZoom: 1, attributionControl: Boolean(tiles) }).setView([15, 15], 2);
  if (tiles) { L.tileLayer(tiles, { attribution: "map tiles: see the tile server's terms" }).addTo(map); }
  fetch("/static/vendor/countries-110m.json").then(function (r) { return r.json(); }).then(function (world) {
    var countries = topojson.feature(world, world.objects.countries);
    var layer = L.geoJSON(countries, {
      interactive: false,
      style: { className: "country", color: "#9a9a9a", weight: 0.6, fillColor: "#f3f0ea", fillOpacity: tiles ? 0 : 1 }
    }).addTo(map);
    layer.bringToBack();
  });

  var items = [];       // {date, marker|null}
  var count = document.getElementById("count");
  var range = document.getElementById("range");

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (cls) { node.className = cls; }
    return node;
  }

  function popup(p) {
    var box = document.createElement("div");
    var link = text("a", p.sub_event_type + (p.location ? " in " + p.location : ""));
    link.href = "/incidents/" + encodeURIComponent(p.incident_id);
    box.appendChild(link);
    box.appendChild(text("div", (p.event_date || p.first_reported || "undated") + " · " + p.status));
    box.appendChild(text("div", "killed " + (p.killed_min === "" ? "?" : p.killed_min) +
      ", injured " + (p.injured_min === "" ? "?" : p.injured_min) + " · " +
      p.documents.split(";").length + " report(s)"));
    return box;
  }

  function legend() {
    var box = document.getElementById("legend");
    Object.keys(COLORS).forEach(function (type) {
      var item = text("span", type, "legend-item");
      var dot = text("span", "", "legend-dot legend-" + type.replace(/[^A-Za-z]/g, ""));
      item.insertBefore(dot, item.firstChild);
      box.appendChild(item);
    });
  }

  function show(from, to) {
    var shown = 0;
    items.forEach(function (it) {
      var inside = (!from || (it.date && it.date >= from)) && (!to || (it.date && it.date <= to));
      if (it.marker) {
        if (inside && !map.hasLayer(it.marker)) { it.marker.addTo(map); }
        if (!inside && map.hasLayer(it.marker)) { map.removeLayer(it.marker); }
      }
      if (inside) { shown += 1; }
    });
    count.textContent = String(shown);
    range.textContent = from ? from + " to " + to : "all dates";
    el.dataset.shown = String(shown);
    var since = document.querySelector("input[name=since]");
    var until = document.querySelector("input[name=until]");
    if (since && until && from) { since.value = from; until.value = to; }
  }

  function day(d) { return d.toISOString().slice(0, 10); }

  function timeline() {
    var svg = document.getElementById("timeline");
    var dates = items.map(function (it) { return it.date; }).filter(Boolean).sort();
    if (!dates.length) { return; }
    var NS = "http://www.w3.org/2000/svg";
    var width = svg.clientWidth || 800, height = 110, pad = 18;
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    var first = new Date(dates[0] + "T00:00:00Z"), last = new Date(dates[dates.length - 1] + "T00:00:00Z");
    var days = Math.round((last - first) / 864e5) + 1;
    var per = Math.max(1, Math.ceil(days / 200));
    var bins = new Array(Math.ceil(days / per)).fill(0);
    dates.forEach(function (d) {
      bins[Math.floor(Math.round((new Date(d + "T00:00:00Z") - first) / 864e5) / per)] += 1;
    });
    var top = Math.max.apply(null, bins), bw = (width - 2 * pad) / bins.length;
    bins.forEach(function (n, i) {
      var bar = document.createElementNS(NS, "rect");
      var h = n ? Math.max(2, (height - 2 * pad) * n / top) : 0;
      bar.setAttribute("x", String(pad + i * bw));
      bar.setAttribute("y", String(height - pad - h));
      bar.setAttribute("width", String(Math.max(1, bw - 1)));
      bar.setAttribute("height", String(h));
      bar.setAttribute("class", "bar");
      svg.appendChild(bar);
    });
    [[dates[0], pad, "start"], [dates[dates.length - 1], width - pad, "end"]].forEach(function (a) {
      var label = document.createElementNS(NS, "text");
      label.setAttribute("x", String(a[1]));
      label.setAttribute("y", String(height - 4));
      label.setAttribute("text-anchor", a[2]);
      label.setAttribute("class", "axis");
      label.textContent = a[0];
      svg.appendChild(label);
    });
    var brush = document.createElementNS(NS, "rect");
    brush.setAttribute("class", "brush");
    brush.setAttribute("y", "0");
    brush.setAttribute("height", String(height - pad));
    brush.setAttribute("width", "0");
    svg.appendChild(brush);
    function at(evt) {
      var box = svg.getBoundingClientRect();
      var x = (evt.clientX - box.left) * width / box.width;
      return Math.min(width - pad, Math.max(pad, x));
    }
    function dateAt(x) {
      var index = Math.floor((x - pad) / bw);
      var d = new Date(first.getTime() + Math.min(days - 1, index * per) * 864e5);
      return d;
    }
    var start = null;
    svg.addEventListener("mousedown", function (evt) { start = at(evt); brush.setAttribute("x", String(start)); brush.setAttribute("width", "0"); });
    svg.addEventListener("mousemove", function (evt) {
      if (start === null) { return; }
      var x = at(evt);
      brush.setAttribute("x", String(Math.min(start, x)));
      brush.setAttribute("width", String(Math.abs(x - start)));
    });
    window.addEventListener("mouseup", function (evt) {
      if (start === null) { return; }
      var x = at(evt), a = Math.min(start, x), b = Math.max(start, x);
      start = null;
      if (b - a < 3) { brush.setAttribute("width", "0"); show(null, null); return; }
      var to = dateAt(b);
      to = new Date(to.getTime() + (per - 1) * 864e5);
      show(day(dateAt(a)), day(to));
    });
    document.getElementById("clear-range").addEventListener("click", function () {
      brush.setAttribute("width", "0");
      show(null, null);
    });
  }

  legend();
  fetch(el.dataset.geojson).then(function (r) {
    if (!r.ok) { throw new Error("the incidents could not be read (" + r.status + ")"); }
    return r.json();
  }).then(function (fc) {
    var bounds = [];
    fc.features.forEach(function (f) {
      var p = f.properties, marker = null;
      if (f.geometry) {
        var lon = f.geometry.coordinates[0], lat = f.geometry.coordinates[1];
        var hurt = (Number(p.killed_min) || 0) + (Number(p.injured_min) || 0);
        marker = L.circleMarker([lat, lon], {
          radius: 5 + 2.5 * Math.sqrt(hurt),
          className: "incident-marker",
          color: "#333",
          weight: 1,
          fillColor: COLORS[p.event_type] || "#555",
          fillOpacity: 0.75
        }).bindPopup(popup(p)).addTo(map);
        bounds.push([lat, lon]);
      }
      items.push({ date: (p.event_date || p.first_reported || "").slice(0, 10), marker: marker });
    });
    if (bounds.length) { map.fitBounds(bounds, { maxZoom: 7, padding: [30, 30], animate: false }); }
    el.dataset.markers = String(bounds.length);
    show(null, null);
    timeline();
  }).catch(function (err) {
    count.textContent = "0";
    el.dataset.markers = "0";
    el.parentNode.insertBefore(text("p", String(err.message || err), "error"), el);
  });
}());
