/*
 * Coding page: turn a text selection inside #coding-text into character offsets for the
 * coding form. Offsets are Unicode code points (REFI-QDA), counted from each chunk's
 * server-rendered data-start; JavaScript strings count UTF-16 units, so we convert.
 * Without this file the form's start/end fields (or the passage choice) do the same.
 */
(function () {
  "use strict";
  var container = document.getElementById("coding-text");
  var form = document.getElementById("coding-form");
  if (!container || !form) { return; }
  var startField = form.querySelector("[data-coding-start]");
  var endField = form.querySelector("[data-coding-end]");
  var preview = document.getElementById("coding-selection");

  function codePoints(s) { return Array.from(s).length; }

  function offsetOf(node, offset) {
    // A boundary point (node, offset) as a code-point offset into the whole text.
    if (node === container) {
      var spans = container.querySelectorAll("span[data-start]");
      if (offset >= spans.length) { return parseInt(container.getAttribute("data-length"), 10); }
      return parseInt(spans[offset].getAttribute("data-start"), 10);
    }
    var span = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    while (span && span !== container && !span.hasAttribute("data-start")) { span = span.parentElement; }
    if (!span || span === container) { return null; }
    var base = parseInt(span.getAttribute("data-start"), 10);
    if (node.nodeType !== Node.TEXT_NODE) {
      return offset === 0 ? base : base + codePoints(span.textContent);
    }
    return base + codePoints(node.data.slice(0, offset));
  }

  function update() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) { return; }
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) { return; }
    startField.value = start;
    endField.value = end;
    if (preview) {
      var text = range.toString();
      preview.textContent = "Markiert (Zeichen " + start + "–" + end + "): „" + (text.length > 200 ? text.slice(0, 200) + " …" : text) + "“";
      preview.hidden = false;
    }
  }

  document.addEventListener("selectionchange", update);
  container.addEventListener("mouseup", update);
  container.addEventListener("keyup", update);
})();
