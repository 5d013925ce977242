/* The report composer's "insert the month's KPIs" button (kabinet.health). Appends the Markdown
   from the report-draft URL to the text; what was typed stays. No inline script (strict CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-report-draft]");
    if (!button) { return; }
    var target = document.getElementById(button.dataset.target);
    var monthField = document.getElementById(button.dataset.monthFrom);
    var error = button.parentElement.querySelector("[data-report-draft-error]");
    var url = button.dataset.reportDraft;
    if (monthField && monthField.value) { url += "?month=" + monthField.value.slice(0, 7); }
    button.disabled = true;
    fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (text) {
      if (error) { error.hidden = true; }
      target.value = target.value ? target.value.replace(/\s*$/, "") + "\n\n" + text : text;
      target.dispatchEvent(new Event("input", { bubbles: true }));
    }).catch(function () {
      if (error) { error.hidden = false; }
    }).finally(function () { button.disabled = false; });
  });
})();
