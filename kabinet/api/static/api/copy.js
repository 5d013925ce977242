/* Copy buttons: <button data-copy="#input-id" data-copied="Copied"> copies that input's value. */
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var input = document.querySelector(button.dataset.copy);
    if (!input) return;
    input.select();
    var done = function () { button.textContent = button.dataset.copied || button.textContent; };
    if (navigator.clipboard) navigator.clipboard.writeText(input.value).then(done, function () {});
    else if (document.execCommand("copy")) done();
  });
});
