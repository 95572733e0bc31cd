// A searchable picker over <select multiple data-picker>: the chosen people as chips with ×, a search
// box that lists the matching people grouped by unit, one click to add, one click to remove. The
// select stays in the form (hidden), so the same field is posted; without this script the plain
// multi-select works as before.
(function () {
  "use strict";
  var MAX_SHOWN = 60;

  function text(option) {
    return (option.textContent + " " + (option.dataset.units || "") + " " +
      (option.parentElement.label || "")).toLowerCase();
  }

  function build(select) {
    if (select.dataset.pickerReady) return;
    select.dataset.pickerReady = "1";
    var field = select.closest(".xf-picker-field") || select.parentElement;
    var hint = field.querySelector("[data-picker-hint]");
    if (hint) hint.textContent = select.dataset.pickerHint || "（输入查找后点选添加，点 × 移除；已按推荐选好）";

    var box = document.createElement("div");
    box.className = "xf-picker border rounded p-1 bg-white";
    var chips = document.createElement("div");
    chips.className = "xf-picker-chips d-flex flex-wrap gap-1 mb-1";
    chips.setAttribute("aria-live", "polite");
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control form-control-sm";
    search.id = select.id + "-search";
    search.placeholder = select.dataset.pickerPlaceholder || "输入查找";
    search.autocomplete = "off";
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-expanded", "false");
    search.setAttribute("aria-controls", select.id + "-results");
    var results = document.createElement("div");
    results.className = "xf-picker-results list-group list-group-flush mt-1";
    results.id = select.id + "-results";
    results.setAttribute("role", "listbox");
    results.hidden = true;
    // Styled here: the picker brings what it needs and leaves the site's stylesheet alone.
    results.style.maxHeight = "16rem";
    results.style.overflowY = "auto";
    box.append(chips, search, results);
    select.after(box);
    select.hidden = true;
    // The label now points at the search box.
    var label = field.querySelector('label[for="' + select.id + '"]');
    if (label) label.htmlFor = search.id;

    function drawChips() {
      chips.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected) return;
        var chip = document.createElement("span");
        chip.className = "badge rounded-pill text-bg-primary d-inline-flex align-items-center gap-1 xf-chip";
        chip.dataset.value = option.value;
        chip.style.whiteSpace = "normal";
        chip.style.textAlign = "left";
        chip.append(option.textContent);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "btn-close btn-close-white xf-chip-remove";
        remove.setAttribute("aria-label", "移除 " + option.textContent);
        remove.addEventListener("click", function () {
          option.selected = false;
          drawChips();
          drawResults();
          search.focus();
        });
        chip.append(remove);
        chips.append(chip);
      });
      if (!chips.children.length) {
        var none = document.createElement("span");
        none.className = "small text-danger px-1";
        none.textContent = select.dataset.pickerEmpty || "尚未选择责任人";
        chips.append(none);
      }
    }

    function drawResults() {
      var term = search.value.trim().toLowerCase();
      results.textContent = "";
      if (!term && document.activeElement !== search) { results.hidden = true; return; }
      var shown = 0;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var matches = Array.prototype.filter.call(group.querySelectorAll("option"), function (option) {
          return !option.selected && (!term || text(option).indexOf(term) !== -1);
        });
        if (!matches.length || shown >= MAX_SHOWN) return;
        var heading = document.createElement("div");
        heading.className = "list-group-item py-1 small text-secondary bg-light fw-semibold";
        heading.textContent = group.label;
        results.append(heading);
        matches.slice(0, MAX_SHOWN - shown).forEach(function (option) {
          var item = document.createElement("button");
          item.type = "button";
          item.className = "list-group-item list-group-item-action py-1 small xf-picker-option";
          item.setAttribute("role", "option");
          item.dataset.value = option.value;
          item.textContent = "＋ " + option.textContent;
          item.addEventListener("click", function () {
            option.selected = true;
            search.value = "";
            drawChips();
            drawResults();
            search.focus();
          });
          results.append(item);
          shown += 1;
        });
      });
      if (!shown) {
        var empty = document.createElement("div");
        empty.className = "list-group-item py-1 small text-secondary";
        empty.textContent = term ? "没有找到“" + search.value.trim() + "”" : "已全部选择";
        results.append(empty);
      }
      results.hidden = false;
      search.setAttribute("aria-expanded", "true");
    }

    search.addEventListener("input", drawResults);
    search.addEventListener("focus", drawResults);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter adds the first match instead of submitting the form.
        event.preventDefault();
        var first = results.querySelector(".xf-picker-option");
        if (first) first.click();
      } else if (event.key === "Escape") {
        search.value = "";
        results.hidden = true;
        search.setAttribute("aria-expanded", "false");
      }
    });
    document.addEventListener("click", function (event) {
      if (!box.contains(event.target)) {
        results.hidden = true;
        search.setAttribute("aria-expanded", "false");
      }
    });
    drawChips();
  }

  function start() {
    document.querySelectorAll("select[multiple][data-picker]").forEach(build);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
