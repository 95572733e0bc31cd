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

// Dates, times and files in Chinese whatever the browser's language: a browser set to English shows
// "mm/dd/yyyy" and "Choose File" in its native controls. Date inputs become text inputs with the
// app's own calendar (flatpickr, zh); the value stays ISO ("2026-05-01", "2026-05-01 08:45"), which
// the forms read as before. File inputs get a "选择文件" button over the hidden native input.
(function () {
  var ISO = /^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2})?$/;

  function datePicker(input) {
    if (!window.flatpickr || input.dataset.xfDate) return;
    var withTime = input.type === "datetime-local";
    var format = withTime ? "Y-m-d H:i" : "Y-m-d";
    var min = input.min, max = input.max;
    input.dataset.xfDate = withTime ? "datetime" : "date";
    input.value = input.value.replace("T", " ");
    input.type = "text";
    input.autocomplete = "off";
    if (!input.placeholder) input.placeholder = withTime ? "年-月-日 时:分" : "年-月-日";
    var picker = window.flatpickr(input, {
      locale: "zh",
      dateFormat: format,
      enableTime: withTime,
      time_24hr: true,
      allowInput: true,
      disableMobile: true, // a phone's own picker would speak the phone's language again
      minDate: (min || "").replace("T", " ") || null,
      maxDate: (max || "").replace("T", " ") || null,
    });
    // A date typed in full is taken at once and the calendar closes, so it never covers the button
    // the user reaches for next.
    input.addEventListener("input", function () {
      var v = input.value.trim().replace("T", " ");
      if (ISO.test(v) && (withTime ? v.indexOf(" ") > 0 : v.indexOf(" ") < 0)) {
        picker.setDate(v, false, format);
        picker.close();
      }
    });
  }

  function fileInput(input) {
    if (input.dataset.xfFile) return;
    input.dataset.xfFile = "1";
    var box = document.createElement("div");
    box.className = "xf-file input-group input-group-sm";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    button.textContent = "选择文件";
    var name = document.createElement("span");
    name.className = "form-control text-truncate xf-file-name";
    name.textContent = "未选择文件";
    input.parentNode.insertBefore(box, input);
    box.appendChild(button);
    box.appendChild(name);
    box.appendChild(input);
    // Hidden from the eye only: the label still names it, and a form check still reaches it.
    input.classList.add("xf-file-native");
    input.tabIndex = -1;
    button.addEventListener("click", function () { input.click(); });
    name.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      name.textContent = names.length ? names.join("、") : "未选择文件";
      name.title = names.join("、");
    });
    if (input.form) input.form.addEventListener("reset", function () { name.textContent = "未选择文件"; });
  }

  function zh(root) {
    root.querySelectorAll("input[type=date], input[type=datetime-local]").forEach(datePicker);
    // A file input that has its own button (the phone's contact photo) keeps it.
    root.querySelectorAll("input[type=file]:not([data-xf-file-name])").forEach(fileInput);
  }

  if (window.htmx) window.htmx.onLoad(zh); // the page itself and every piece htmx brings in
  else zh(document);
  window.xfChinese = zh;
})();

// "再加一行": one more row from the form's <template> (its "__n__" is the row's number).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-xf-add-row]");
  if (!button) return;
  var box = document.querySelector(button.dataset.xfAddRow);
  var template = document.querySelector(button.dataset.xfTemplate);
  if (!box || !template) return;
  var n = box.children.length + 1;
  var max = parseInt(box.dataset.max || "0", 10);
  if (max && n > max) {
    button.disabled = true;
    button.textContent = "一次最多 " + max + " 行";
    return;
  }
  var holder = document.createElement("div");
  holder.innerHTML = template.innerHTML.replace(/__n__/g, String(n));
  var row = holder.firstElementChild;
  box.appendChild(row);
  if (window.xfChinese) window.xfChinese(row);
  var first = row.querySelector("input, select, textarea");
  if (first) first.focus();
});
