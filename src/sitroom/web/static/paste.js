(function () {
  "use strict";
  var form = document.getElementById("paste");
  var area = document.getElementById("paste-text");
  var published = document.getElementById("paste-published");
  var status = document.getElementById("paste-status");
  var timer = null, asked = 0;

  function run() {
    var text = area.value;
    if (!text.trim()) { return; }
    var mine = ++asked;
    status.textContent = "extracting…";
    var body = { text: text };
    if (published.value) { body.published = published.value; }
    fetch("/api/extract", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, data: data }; });
    }).then(function (res) {
      if (mine !== asked) { return; }
      if (!res.ok) {
        status.textContent = "could not extract: " + JSON.stringify(res.data.detail);
        return;
      }
      var n = window.sitroomRecord.render(document.getElementById("doc-text"), document.getElementById("fields"),
        res.data.document.text, res.data);
      status.textContent = res.data.events.length + " event(s), " + res.data.attributions.length +
        " attribution(s), " + n.fields + " field(s) with evidence";
    }).catch(function (err) { status.textContent = "could not extract: " + err; });
  }

  form.addEventListener("submit", function (evt) { evt.preventDefault(); run(); });
  area.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 800);
  });
}());
