// Small behaviour every TeamFlow page shares; everything works without it too.
"use strict";

(function () {
  // The organization switcher submits itself when a choice is made.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) select.form.requestSubmit();
    });
  });
})();
