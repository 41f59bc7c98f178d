/* Code picker filter (progressive enhancement): shows the filter field of every
 * [data-code-picker] and hides the codes (and empty groups) whose label does not contain the
 * typed text. Checked codes always stay visible. Without JavaScript every code is shown. */
(function () {
  "use strict";
  function fold(text) {
    return (text || "").toLowerCase().replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss");
  }
  function apply(picker, input) {
    var query = fold(input.value.trim());
    var shown = 0;
    picker.querySelectorAll("[data-code-group]").forEach(function (group) {
      var visible = 0;
      group.querySelectorAll("[data-code-option]").forEach(function (option) {
        var box = option.querySelector("input");
        var match = !query || fold(option.textContent).indexOf(query) !== -1 || (box && box.checked);
        option.hidden = !match;
        if (match) { visible += 1; }
      });
      group.hidden = visible === 0;
      shown += visible;
    });
    var status = picker.querySelector("[data-code-filter-status]");
    if (status) { status.textContent = query ? shown + " passende Codes" : ""; }
  }
  function init() {
    document.querySelectorAll("[data-code-picker]").forEach(function (picker) {
      var row = picker.querySelector("[data-code-filter-row]");
      var input = picker.querySelector("[data-code-filter]");
      if (!row || !input) { return; }
      row.hidden = false;
      input.addEventListener("input", function () { apply(picker, input); });
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
