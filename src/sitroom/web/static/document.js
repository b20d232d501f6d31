(function () {
  "use strict";
  var reader = document.getElementById("reader");
  fetch(reader.dataset.record).then(function (r) {
    if (!r.ok) { throw new Error("the record could not be read (" + r.status + ")"); }
    return r.json();
  }).then(function (record) {
    if (!record.document || typeof record.document.text !== "string") { return; }
    window.sitroomRecord.render(document.getElementById("doc-text"), document.getElementById("fields"),
      record.document.text, record);
  }).catch(function (err) {
    var note = document.createElement("p");
    note.className = "error";
    note.textContent = String(err.message || err);
    reader.parentNode.insertBefore(note, reader);
  });
}());
