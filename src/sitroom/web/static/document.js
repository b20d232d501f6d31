(function () {
  "use strict";
  var reader = document.getElementById("reader");
  fetch(reader.dataset.record).then(function (r) { return r.json(); }).then(function (record) {
    if (typeof record.document.text !== "string") { return; }
    window.sitroomRecord.render(document.getElementById("doc-text"), document.getElementById("fields"),
      record.document.text, record);
  });
}());
