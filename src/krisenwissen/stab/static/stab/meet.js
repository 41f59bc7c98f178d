// Countdown of the Lagebesprechung's time boxes. The server renders the planned end
// (data-until, ISO 8601) and the remaining minutes; this only keeps the figure current.
(function () {
  "use strict";
  function format(seconds) {
    var sign = seconds < 0 ? "−" : "";
    var s = Math.abs(seconds);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return sign + m + ":" + (r < 10 ? "0" : "") + r;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-until]").forEach(function (el) {
      var until = Date.parse(el.getAttribute("data-until"));
      if (isNaN(until)) { return; }
      var seconds = Math.round((until - now) / 1000);
      var out = el.querySelector("[data-countdown]");
      if (out) { out.textContent = format(seconds); }
      el.classList.toggle("timebox--overrun", seconds < 0);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
  });
})();
