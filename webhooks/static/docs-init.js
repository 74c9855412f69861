// Starts Swagger UI on /docs. It lives in a file rather than an inline <script> so that the
// page's Content-Security-Policy can stay `script-src 'self'`.
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    // The default validator badge fetches from validator.swagger.io: no outside calls.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
