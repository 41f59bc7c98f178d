/* Einsatztagebuch: live log (polling), keyboard-first fast entry with an offline queue.
 *
 * Progressive enhancement only: every form works without this script.
 * - Live ([data-etb-live]): polls "<events-url>?nach=N" every 500 ms and puts new entries on
 *   top of the list (unless the page is filtered or paged: then it says that new ones arrived).
 *   A correction marks the corrected entry "korrigiert durch Nr. X".
 * - Fast entry ([data-etb-form]): Enter saves, Shift+Enter starts a new line, Alt+1..8 picks the
 *   category; focus returns to the text field. An entry is first stored in localStorage with
 *   its client key and the device's time of writing, then sent; it leaves the queue only when
 *   the server confirmed it (201 stored or 200 already stored). After a dropped connection, a
 *   reload or a server restart the queue is resent: stored once, because the server keys
 *   entries by client key, and with the original time of writing (written_at).
 */
(function () {
  "use strict";
  var root = document.querySelector("[data-etb-live]");
  if (!root || !window.fetch) { return; }
  var POLL_MS = 500;
  var eventsUrl = root.getAttribute("data-events-url");
  var last = parseInt(root.getAttribute("data-last") || "0", 10) || 0;
  var staticView = root.hasAttribute("data-etb-static");
  var list = root.querySelector("[data-etb-list]");
  var limit = list ? parseInt(list.getAttribute("data-etb-limit") || "0", 10) : 0;
  var connection = root.querySelector("[data-etb-connection]");
  var failures = 0;
  var online = true;
  var msg = function (name) { return root.getAttribute("data-msg-" + name) || ""; };

  function setText(el, text) { if (el && el.textContent !== text) { el.textContent = text; } }

  function markCorrected(number, by) {
    var row = document.getElementById("etb-" + number);
    if (!row) { return; }
    row.classList.add("etb-entry--corrected");
    var marks = row.querySelector("[data-etb-marks]");
    if (!marks) { return; }
    var badge = document.createElement("span");
    badge.className = "badge badge--warning";
    badge.textContent = msg("correctedby").replace("%(nr)s", String(by));
    marks.appendChild(document.createTextNode(" "));
    marks.appendChild(badge);
  }

  function insert(entries) {
    if (!list) { return; }
    var empty = root.querySelector("[data-etb-empty]");
    if (empty) { empty.parentNode.removeChild(empty); }
    entries.forEach(function (e) {
      if (document.getElementById("etb-" + e.number)) { return; }
      var holder = document.createElement("template");
      holder.innerHTML = e.html.trim();
      var row = holder.content.firstElementChild;
      if (!row) { return; }
      list.insertBefore(row, list.firstElementChild);
      if (e.corrects) { markCorrected(e.corrects, e.number); }
    });
    if (limit) {
      while (list.children.length > limit) { list.removeChild(list.lastElementChild); }
    }
  }

  function wentOnline() {
    if (!online) { online = true; setText(connection, msg("online")); flushQueue(); }
  }

  function wentOffline() {
    if (online) { online = false; setText(connection, msg("offline")); }
  }

  function poll() {
    // Every 500 ms from the start of one poll to the next (not 500 ms after the answer): a slow
    // answer does not stretch the interval, the next poll starts at once if it is already due.
    var started = Date.now();
    fetch(eventsUrl + "?nach=" + last, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        wentOnline();
        if (data.entries && data.entries.length) {
          if (staticView) { setText(connection, msg("newfiltered")); } else { insert(data.entries); }
        }
        if (typeof data.last === "number" && data.last > last) { last = data.last; }
        window.setTimeout(poll, data.more ? 0 : Math.max(0, POLL_MS - (Date.now() - started)));
      })
      .catch(function () {
        failures += 1;
        wentOffline();
        window.setTimeout(poll, Math.min(5000, POLL_MS * (1 + failures)));
      });
  }
  if (eventsUrl) { window.setTimeout(poll, POLL_MS); }

  // ---------------------------------------------------------------------------------------
  // Fast entry with an offline queue
  // ---------------------------------------------------------------------------------------
  var form = root.querySelector("[data-etb-form]");
  var queueKey = form ? form.getAttribute("data-queue-key") : "kw-etb";
  var status = form ? form.querySelector("[data-etb-status]") : null;
  var queueInfo = form ? form.querySelector("[data-etb-queue]") : null;
  var textarea = form ? form.querySelector("textarea") : null;
  var flushing = false;
  var retryTimer = null;
  var memoryQueue = [];

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
  }

  function loadQueue() {
    try { return JSON.parse(window.localStorage.getItem(queueKey) || "[]") || []; } catch (e) { return memoryQueue; }
  }

  function saveQueue(queue) {
    memoryQueue = queue;
    try { window.localStorage.setItem(queueKey, JSON.stringify(queue)); } catch (e) { /* private mode: in memory only */ }
  }

  function showQueue() {
    var n = loadQueue().length;
    setText(queueInfo, n ? msg("queued").replace("%(n)s", String(n)) : "");
  }

  function retryLater(ms) {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; flushQueue(); }, ms);
  }

  function csrf() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function flushQueue() {
    if (!form || flushing) { return; }
    var queue = loadQueue();
    showQueue();
    if (!queue.length) { return; }
    flushing = true;
    var entry = queue[0];
    var body = new URLSearchParams();
    Object.keys(entry).forEach(function (key) { body.append(key, entry[key]); });
    fetch(form.getAttribute("action"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json", "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; });
      })
      .then(function (result) {
        flushing = false;
        var rest = function () { return loadQueue().filter(function (e) { return e.client_key !== entry.client_key; }); };
        if (result.status === 200 || result.status === 201) {
          saveQueue(rest());
          setText(status, msg("saved").replace("%(nr)s", String(result.json.number || "")));
          wentOnline();
          flushQueue();
        } else if (result.status === 429 || result.status >= 500 || result.status === 403) {
          retryLater(3000);
          showQueue();
        } else {
          // Refused for good (e.g. event time outside the window): give the text back.
          saveQueue(rest());
          if (textarea && !textarea.value.trim()) { textarea.value = entry.text; }
          setText(status, msg("error") + " " + ((result.json.errors || []).join(" ")));
          showQueue();
          if (textarea) { textarea.focus(); }
          flushQueue();
        }
      })
      .catch(function () {
        flushing = false;
        wentOffline();
        showQueue();
        retryLater(2000);
      });
  }

  if (form) {
    var radios = Array.prototype.slice.call(form.querySelectorAll("input[name=category]"));
    form.addEventListener("keydown", function (event) {
      if (event.altKey && /^[1-9]$/.test(event.key)) {
        var radio = radios[parseInt(event.key, 10) - 1];
        if (radio) {
          event.preventDefault();
          radio.checked = true;
          var label = form.querySelector("label[for='" + radio.id + "']");
          setText(status, msg("category").replace("%(name)s", label ? label.textContent.trim() : radio.value));
          if (textarea) { textarea.focus(); }
        }
      } else if (event.key === "Enter" && !event.shiftKey && event.target === textarea && !event.isComposing) {
        event.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true })); }
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var entry = {};
      data.forEach(function (value, key) {
        if (key !== "csrfmiddlewaretoken" && typeof value === "string") { entry[key] = value; }
      });
      if (!entry.text || !entry.text.trim()) {
        setText(status, msg("empty"));
        if (textarea) { textarea.focus(); }
        return;
      }
      entry.client_key = entry.client_key || newKey();
      entry.written_at = new Date().toISOString();
      if (entry.event_at) {
        // datetime-local has no zone: send it with the device's offset
        var local = new Date(entry.event_at);
        if (!isNaN(local.getTime())) { entry.event_at = local.toISOString(); }
      }
      var queue = loadQueue();
      queue.push(entry);
      saveQueue(queue);
      var category = entry.category;
      form.reset();
      radios.forEach(function (r) { r.checked = r.value === category; });  // keep the category for the next entry
      setText(status, msg("sending"));
      flushQueue();
      if (textarea) { textarea.focus(); }
    });
    window.addEventListener("online", flushQueue);
    flushQueue();
  }
}());
