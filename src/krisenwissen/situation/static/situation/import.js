// Upload with a progress bar (progressive enhancement: without JavaScript the form posts normally).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-situation-import]");
    if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
    var box = form.querySelector("[data-progress]");
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      box.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round(e.loaded * 100 / e.total);
          bar.value = pct;
          bar.textContent = pct + " %";
          text.textContent = "Hochgeladen: " + pct + " %";
        }
      });
      xhr.upload.addEventListener("load", function () {
        text.textContent = "Datei wird geprüft und importiert …";
        bar.removeAttribute("value");
      });
      xhr.addEventListener("load", function () {
        window.location.href = xhr.responseURL || window.location.href;
      });
      xhr.addEventListener("error", function () {
        text.textContent = "Fehler beim Hochladen. Bitte erneut versuchen.";
      });
      xhr.send(new FormData(form));
    });
  });
})();
