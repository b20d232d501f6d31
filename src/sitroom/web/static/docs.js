(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: box.dataset.spec, dom_id: "#swagger-ui" });
}());
