// Idle log-out in the page too: the server ends the session after the idle time; this sends the
// user to the sign-in page at that moment instead of at their next click.
(function () {
  var form = document.getElementById("xf-logout");
  var seconds = parseInt(document.body.dataset.idleTimeout || "0", 10);
  if (!form || !seconds) return;
  var timer;
  function reset() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      form.querySelector("input[name=next]").value = "/login/?timeout=1";
      form.submit();
    }, seconds * 1000);
  }
  ["click", "keydown", "scroll", "touchstart"].forEach(function (e) {
    document.addEventListener(e, reset, { passive: true });
  });
  reset();
})();

// A file input hidden behind a big button (the phone's contact form) shows the chosen file's name.
document.querySelectorAll("input[type=file][data-xf-file-name]").forEach((input) => {
  input.addEventListener("change", () => {
    const target = document.getElementById(input.dataset.xfFileName);
    if (target) target.textContent = input.files.length ? input.files[0].name : "未选择";
  });
});
