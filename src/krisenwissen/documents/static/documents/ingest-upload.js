/* Upload with a progress bar per file (XHR upload progress); the form works without JS too.
   On the document page the processing status is polled until the job is done. */
(function () {
  "use strict";

  function uploadForm(form) {
    var list = document.getElementById("upload-progress");
    var input = form.querySelector("input[type=file]");
    form.addEventListener("submit", function (event) {
      if (!window.XMLHttpRequest || !window.FormData || !input.files.length) { return; }
      event.preventDefault();
      list.textContent = "";
      // One file after the other (each shows its own bar at once): the server extracts every
      // upload in a background job, and parallel uploads would only compete for it.
      var jobs = Array.prototype.map.call(input.files, function (file) { return prepare(form, file, list); });
      var next = function () { if (jobs.length) { jobs.shift()(next); } };
      next();
    });
  }

  function prepare(form, file, list) {
    var item = document.createElement("li");
    var label = document.createElement("span");
    label.textContent = file.name + " – " + list.dataset.labelSending;
    var bar = document.createElement("progress");
    bar.max = 100; bar.value = 0;
    bar.setAttribute("aria-label", list.dataset.labelProgress + ": " + file.name);
    item.appendChild(label); item.appendChild(bar); list.appendChild(item);
    return function (done) { send(form, file, list, item, label, bar, done); };
  }

  function send(form, file, list, item, label, bar, done) {
    var data = new FormData();
    ["csrfmiddlewaretoken", "municipality", "visibility", "kind", "phase", "department_function"].forEach(function (name) {
      var field = form.elements[name];
      if (field) { data.append(name, field.value); }
    });
    data.append("files", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round(e.loaded * 100 / e.total); }
    });
    xhr.addEventListener("load", function () {
      var row = null;
      try { row = JSON.parse(xhr.responseText).results[0]; } catch (err) { row = null; }
      bar.value = 100;
      if (row && row.ok) {
        label.textContent = file.name + " – " + row.message + " ";
        var link = document.createElement("a");
        link.href = row.url; link.textContent = list.dataset.labelOpen;
        label.appendChild(link);
      } else {
        label.textContent = file.name + " – " + list.dataset.labelFailed + ": " + (row ? row.message : xhr.status);
        item.classList.add("upload-progress__failed");
      }
      done();
    });
    xhr.addEventListener("error", function () {
      label.textContent = file.name + " – " + list.dataset.labelFailed;
      item.classList.add("upload-progress__failed");
      done();
    });
    xhr.send(data);
  }

  function pollStatus(box) {
    var status = box.dataset.status;
    if (status !== "wartet" && status !== "in_arbeit") { return; }
    var timer = window.setInterval(function () {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", box.dataset.statusUrl);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.addEventListener("load", function () {
        var data;
        try { data = JSON.parse(xhr.responseText); } catch (err) { return; }
        var label = box.querySelector("[data-status-label]");
        if (label) { label.textContent = data.label; }
        var bar = box.querySelector("progress");
        if (bar) { bar.value = data.progress; }
        if (data.status !== "wartet" && data.status !== "in_arbeit") {
          window.clearInterval(timer);
          window.location.reload();
        }
      });
      xhr.send();
    }, 1500);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-upload]");
    if (form) { uploadForm(form); }
    var box = document.getElementById("document-status");
    if (box) { pollStatus(box); }
  });
}());
