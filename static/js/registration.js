// The registration page (信访登记). Without this script the form works the same: every matter is
// listed under its category and the representatives' table opens by a click; the server checks all.
(function () {
  "use strict";

  // 具体事项: only the chosen category's matters (the choices are grouped by category name).
  document.querySelectorAll("select[data-matters-for]").forEach(function (category) {
    var matter = document.getElementById(category.dataset.mattersFor);
    if (!matter) return;
    function show() {
      var chosen = category.selectedOptions[0];
      var name = chosen && chosen.value ? chosen.textContent.trim() : "";
      matter.querySelectorAll("optgroup").forEach(function (group) {
        var mine = group.label === name;
        group.hidden = !mine;
        group.disabled = !mine;
      });
      var picked = matter.selectedOptions[0];
      if (picked && picked.parentElement.tagName === "OPTGROUP" && picked.parentElement.disabled) {
        matter.value = "";
      }
      matter.disabled = !name;
      matter.title = name ? "" : "请先选择问题类别";
    }
    category.addEventListener("change", show);
    show();
    // A disabled select is not posted: enable it again just before the form goes.
    if (matter.form) matter.form.addEventListener("submit", function () { matter.disabled = false; });
  });

  // 人数 above one: open the representatives' rows so that the clerk records them as the group stands there.
  document.querySelectorAll("input[data-opens]").forEach(function (count) {
    var target = document.getElementById(count.dataset.opens);
    if (!target) return;
    count.addEventListener("input", function () {
      if (parseInt(count.value, 10) > 1) target.open = true;
    });
  });

  // The representatives' rows: the filled ones and one empty row; filling it brings the next.
  var reps = Array.prototype.slice.call(document.querySelectorAll("#representatives .xf-rep"));
  function showRows() {
    var emptyShown = false;
    reps.forEach(function (row) {
      var filled = Array.prototype.some.call(row.querySelectorAll("input"), function (i) {
        return i.value.trim() !== "";
      });
      row.hidden = !filled && emptyShown;
      if (!filled) emptyShown = true;
    });
  }
  reps.forEach(function (row) { row.addEventListener("input", showRows); });
  if (reps.length) showRows();

  // The receipt's print button.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
