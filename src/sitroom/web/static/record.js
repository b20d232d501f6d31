/* A record beside its text: every field that carries evidence (an object with start, end and text)
   becomes a button; the text's stretches that are evidence become marks. Clicking a field highlights
   its stretch, clicking a stretch highlights its fields. Text goes in with textContent only. */
(function () {
  "use strict";

  function spans(record) {
    var out = [];
    function walk(value, path, group) {
      if (Array.isArray(value)) {
        value.forEach(function (v, i) { walk(v, path + "[" + i + "]", group); });
      } else if (value && typeof value === "object") {
        if (typeof value.start === "number" && typeof value.end === "number" && typeof value.text === "string") {
          out.push({ path: path, group: group, start: value.start, end: value.end, text: value.text });
        }
        Object.keys(value).forEach(function (k) {
          if (k !== "document") { walk(value[k], path ? path + "." + k : k, group); }
        });
      }
    }
    (record.events || []).forEach(function (ev, i) { walk(ev, "", "events." + i); });
    (record.attributions || []).forEach(function (a, i) { walk(a, "", "attributions." + i); });
    (record.entities || []).forEach(function (e, i) { walk(e, "", "entities." + i); });
    walk(record.dates || [], "dates", "dates");
    walk(record.places || [], "places", "places");
    return out;
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function heading(record, group) {
    var parts = group.split(".");
    if (parts[0] === "events") {
      var ev = record.events[Number(parts[1])];
      var where = ev.location && ev.location.name ? " in " + ev.location.name : "";
      return [ev.id + ": " + ev.sub_event_type + where + (ev.date && ev.date.value ? ", " + ev.date.value : "") +
        " · " + ev.status + " · killed " + ev.fatalities, true];
    }
    if (parts[0] === "attributions") {
      var a = record.attributions[Number(parts[1])];
      return [a.id + ": " + (a.source ? a.source.text : "unnamed source") + " " + a.stance, true];
    }
    if (parts[0] === "entities") {
      var e = record.entities[Number(parts[1])];
      return ["entity " + e.name + " (" + e.kind + ")", false];
    }
    return [parts[0], false];
  }

  function render(textEl, fieldsEl, text, record) {
    var list = spans(record).filter(function (s) { return s.start >= 0 && s.end <= text.length && s.end > s.start; });
    var cuts = [0, text.length];
    list.forEach(function (s) { cuts.push(s.start, s.end); });
    cuts = Array.from(new Set(cuts)).sort(function (a, b) { return a - b; });
    textEl.textContent = "";
    var segments = [];
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i], b = cuts[i + 1], covering = [];
      list.forEach(function (s, k) { if (s.start <= a && s.end >= b) { covering.push(k); } });
      if (!covering.length) { textEl.appendChild(document.createTextNode(text.slice(a, b))); continue; }
      var seg = el("span", text.slice(a, b), "seg");
      seg.dataset.spans = covering.join(" ");
      segments.push(seg);
      textEl.appendChild(seg);
    }
    fieldsEl.textContent = "";
    var buttons = [], groups = {};
    list.forEach(function (s, k) {
      var box = groups[s.group];
      if (!box) {
        var head = heading(record, s.group);
        box = el("details", null, "group group-" + s.group.split(".")[0]);
        box.open = head[1];
        box.appendChild(el("summary", head[0]));
        groups[s.group] = box;
        fieldsEl.appendChild(box);
      }
      var button = el("button", null, "field");
      button.type = "button";
      button.dataset.span = String(k);
      button.dataset.path = s.path;
      button.appendChild(el("span", s.path || "mention", "path"));
      button.appendChild(el("span", s.text, "value"));
      box.appendChild(button);
      buttons.push(button);
    });
    function clear() {
      segments.forEach(function (g) { g.classList.remove("hl"); });
      buttons.forEach(function (b) { b.classList.remove("active"); });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        clear();
        button.classList.add("active");
        var k = button.dataset.span, first = null;
        segments.forEach(function (g) {
          if (g.dataset.spans.split(" ").indexOf(k) >= 0) { g.classList.add("hl"); first = first || g; }
        });
        if (first) { first.scrollIntoView({ block: "center" }); }
      });
    });
    segments.forEach(function (seg) {
      seg.addEventListener("click", function () {
        clear();
        seg.classList.add("hl");
        var first = null;
        seg.dataset.spans.split(" ").forEach(function (k) {
          var b = buttons[Number(k)];
          b.classList.add("active");
          b.parentNode.open = true;
          first = first || b;
        });
        if (first) { first.scrollIntoView({ block: "nearest" }); }
      });
    });
    textEl.dataset.ready = "true";
    return { segments: segments.length, fields: buttons.length };
  }

  window.sitroomRecord = { render: render, spans: spans };
}());
