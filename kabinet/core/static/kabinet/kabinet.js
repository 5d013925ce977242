/* Kabinet's own script (no inline scripts: the Content-Security-Policy allows only files from here).
   On a narrow screen the chronology filters fold away unless one is in use; on a wide one they stay open. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 700px)");
  function fold() {
    document.querySelectorAll("details[data-fold-narrow]").forEach(function (details) {
      if (!narrow.matches) {
        details.open = true;
      } else if (details.dataset.active !== "1") {
        details.open = false;
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fold);
  } else {
    fold();
  }
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fold);
  }
})();

/* A <select data-autosubmit> sends its form when changed (instead of an inline onchange handler). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
})();
