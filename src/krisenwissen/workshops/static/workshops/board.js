/* Reflexionsraum live board: polling of the event log, offline card queue, drag and drop.
 *
 * Progressive enhancement only: every form works without this script.
 * - Polls "<events-url>?nach=N" every 500 ms; when events arrived it reloads the board region
 *   (server-rendered HTML fragment) unless the person is typing in it.
 * - Participants: a card is first stored in localStorage with its UUID, then sent; it leaves
 *   the queue only when the server confirmed it (201 created or 200 already stored). After a
 *   dropped connection, a reload or a server restart the queue is resent: exactly once, because
 *   the server keys cards by UUID.
 * - Facilitator: cards can be dragged onto clusters (the select "In Cluster verschieben" is
 *   the keyboard alternative and works without JavaScript).
 * - Time box ([data-ws-clock]): counts down from the server's remaining seconds.
 * - Projector ([data-ws-fit]): the type shrinks until the board fits the screen.
 */
(function () {
  "use strict";
  var board = document.querySelector("[data-ws-board]");
  if (!board || !window.fetch) { return; }
  var POLL_MS = 500;
  var eventsUrl = board.getAttribute("data-events-url");
  var fragmentUrl = board.getAttribute("data-fragment-url");
  var actionUrl = board.getAttribute("data-action-url");
  var participantKey = board.getAttribute("data-participant-key") || "";
  var seq = parseInt(board.getAttribute("data-seq") || "0", 10) || 0;
  // One region (facilitator board), or named regions (participant: question bar and board)
  // filled from the parts [data-ws-part=name] of the fragment.
  var regions = Array.prototype.slice.call(board.querySelectorAll("[data-ws-region]"));
  var region = regions[0] || null;
  var connection = board.querySelector("[data-ws-connection]");
  var queueInfo = board.querySelector("[data-ws-queue]");
  var msg = function (name) { return board.getAttribute("data-msg-" + name) || ""; };
  var online = true;
  var failures = 0;
  var pendingRefresh = false;
  var refreshing = false;

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setText(el, text) {
    if (el && el.textContent !== text) { el.textContent = text; }
  }

  function typingInRegion() {
    var active = document.activeElement;
    if (!active || !regions.some(function (r) { return r.contains(active); })) { return false; }
    return /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
  }

  function refresh() {
    if (!region || refreshing) { return; }
    if (typingInRegion()) { pendingRefresh = true; return; }
    refreshing = true;
    pendingRefresh = false;
    fetch(fragmentUrl, { credentials: "same-origin", cache: "no-store", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (typingInRegion()) { pendingRefresh = true; return; }
        fill(html);
        board.setAttribute("data-seq", String(seq));
      })
      .catch(function () { pendingRefresh = true; })
      .then(function () { refreshing = false; });
  }

  function fill(html) {
    var named = regions.filter(function (r) { return r.getAttribute("data-ws-region"); });
    if (!named.length) {
      region.innerHTML = html;
    } else {
      var parts = document.createElement("template");
      parts.innerHTML = html;
      named.forEach(function (r) {
        var part = parts.content.querySelector('[data-ws-part="' + r.getAttribute("data-ws-region") + '"]');
        if (part) { r.innerHTML = part.innerHTML; }
      });
    }
    startClocks();
    fit();
  }

  // ---------------------------------------------------------------------------------------
  // Time box: counts down from the seconds the server computed when it rendered the clock,
  // so every device shows the server's time whatever its own clock says.
  // ---------------------------------------------------------------------------------------
  function startClocks() {
    var now = Date.now();
    Array.prototype.forEach.call(board.querySelectorAll("[data-ws-clock]"), function (clock) {
      if (!clock.getAttribute("data-seen")) { clock.setAttribute("data-seen", String(now)); }
    });
  }

  function tickClocks() {
    var now = Date.now();
    Array.prototype.forEach.call(board.querySelectorAll("[data-ws-clock]"), function (clock) {
      var seen = parseInt(clock.getAttribute("data-seen") || String(now), 10);
      var left = parseInt(clock.getAttribute("data-remaining") || "0", 10) - Math.floor((now - seen) / 1000);
      var abs = Math.abs(left);
      var label = (left < 0 ? "+" : "") + Math.floor(abs / 60) + ":" + (abs % 60 < 10 ? "0" : "") + (abs % 60);
      if (left < 0) { label = clock.getAttribute("data-msg-over") + " " + label; }
      clock.classList.toggle("ws-clock--over", left < 0);
      setText(clock.querySelector("[data-ws-clock-time]"), label);
    });
  }

  // ---------------------------------------------------------------------------------------
  // Projector: shrink the type until the whole board fits the screen (no page scroll).
  // ---------------------------------------------------------------------------------------
  var FIT_MAX = 1.5, FIT_MIN = 0.7;
  function overflows() {
    var box = region.getBoundingClientRect();
    var items = region.querySelectorAll("li, h1, h2, p, form");
    for (var i = 0; i < items.length; i += 1) {
      var r = items[i].getBoundingClientRect();
      if (r.bottom > box.bottom + 1 || r.right > box.right + 1) { return true; }
    }
    return region.scrollHeight > region.clientHeight + 1 || document.scrollingElement.scrollHeight > window.innerHeight;
  }

  // Measured a frame after each change (a binary search over font sizes, ~6 steps).
  var fitRun = 0;
  function later(fn) {
    if (window.requestAnimationFrame) {
      window.requestAnimationFrame(function () { window.requestAnimationFrame(function () { window.setTimeout(fn, 120); }); });
    } else {
      window.setTimeout(fn, 32);
    }
  }

  function fit() {
    if (!board.hasAttribute("data-ws-fit") || !region) { return; }
    var run = ++fitRun;
    if (window.matchMedia && window.matchMedia("(max-width: 50em)").matches) {
      region.style.fontSize = "";  // a narrow window is no projector: the page scrolls
      return;
    }
    var lo = FIT_MIN, hi = FIT_MAX;
    function step(size) {
      region.style.fontSize = size + "rem";
      later(function () {
        if (run !== fitRun) { return; }  // a newer fit started
        if (overflows()) { hi = size; } else { lo = size; }
        if (size === FIT_MAX && lo === FIT_MAX) { settle(size); return; }
        if (hi - lo <= 0.05) { settle(lo); return; }
        step(Math.round(((lo + hi) / 2) * 100) / 100);
      });
    }
    // Check the chosen size once more after the layout settled; step down while it overflows.
    function settle(size) {
      region.style.fontSize = size + "rem";
      later(function () {
        if (run !== fitRun) { return; }
        if (size > FIT_MIN && overflows()) {
          settle(Math.round((size - 0.05) * 100) / 100);
        } else {
          board.setAttribute("data-ws-fitted", String(size));
        }
      });
    }
    board.removeAttribute("data-ws-fitted");
    step(FIT_MAX);
  }

  function schedule(ms) { window.setTimeout(poll, ms); }

  function wentOnline() {
    if (!online) {
      online = true;
      setText(connection, msg("online"));
      flushQueue();
    }
  }

  function wentOffline() {
    if (online) {
      online = false;
      setText(connection, msg("offline"));
    }
  }

  function poll() {
    if (!eventsUrl) { return; }
    var headers = { Accept: "application/json" };
    if (participantKey) { headers["X-Teilnahme"] = participantKey; }
    fetch(eventsUrl + "?nach=" + seq, { credentials: "same-origin", cache: "no-store", headers: headers })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        wentOnline();
        if (typeof data.seq === "number" && data.seq > seq) {
          seq = data.seq;
          pendingRefresh = true;
        }
        if (pendingRefresh) { refresh(); }
        schedule(data.more ? 0 : POLL_MS);
      })
      .catch(function () {
        failures += 1;
        wentOffline();
        schedule(Math.min(5000, POLL_MS * (1 + failures)));
      });
  }

  // ---------------------------------------------------------------------------------------
  // Participants: cards with an offline queue
  // ---------------------------------------------------------------------------------------
  var form = board.querySelector("[data-ws-card-form]");
  var queueKey = board.getAttribute("data-queue-key") || "kw-ws";
  var cardStatus = form ? form.querySelector("[data-ws-card-status]") : null;
  var counter = form ? form.querySelector("[data-ws-counter]") : null;
  var flushing = false;
  var retryTimer = null;

  function newUuid() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    var bytes = window.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function loadQueue() {
    try { return JSON.parse(window.localStorage.getItem(queueKey) || "[]") || []; } catch (e) { return []; }
  }

  function saveQueue(queue) {
    try { window.localStorage.setItem(queueKey, JSON.stringify(queue)); } catch (e) { /* private mode: in memory only */ }
    memoryQueue = queue;
  }

  var memoryQueue = loadQueue();

  function currentQueue() {
    var stored = loadQueue();
    return stored.length || !memoryQueue.length ? stored : memoryQueue;
  }

  function removeFromQueue(uuid) {
    saveQueue(currentQueue().filter(function (entry) { return entry.uuid !== uuid; }));
  }

  function showQueue() {
    var n = currentQueue().length;
    setText(queueInfo, n ? msg("queued").replace("%(n)s", String(n)) : "");
  }

  function retryLater(ms) {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; flushQueue(); }, ms);
  }

  function restoreText(entry) {
    var textarea = form && form.querySelector("textarea");
    if (textarea && !textarea.value.trim()) { textarea.value = entry.text; }
  }

  function flushQueue() {
    if (!form || flushing) { return; }
    var queue = currentQueue();
    showQueue();
    if (!queue.length) { return; }
    flushing = true;
    var entry = queue[0];
    var body = new URLSearchParams();
    Object.keys(entry).forEach(function (key) { body.append(key, entry[key]); });
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json", "X-Requested-With": "fetch", "X-Teilnahme": participantKey },
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (json) { return { status: response.status, json: json }; });
      })
      .then(function (result) {
        flushing = false;
        if (result.status === 200 || result.status === 201) {
          removeFromQueue(entry.uuid);
          setText(cardStatus, msg("saved"));
          wentOnline();
          pendingRefresh = true;
          refresh();
          flushQueue();
        } else if (result.status === 423 || result.status === 429 || result.status >= 500 || result.status === 403) {
          // Board locked, too many cards from this address, server trouble or session lost: keep the card, retry later.
          setText(cardStatus, (result.json.errors || []).join(" ") || msg("queued").replace("%(n)s", String(currentQueue().length)));
          retryLater(3000);
          showQueue();
        } else {
          // Rejected for good (e.g. too long, workshop finished): give the text back.
          removeFromQueue(entry.uuid);
          restoreText(entry);
          setText(cardStatus, msg("error") + " " + ((result.json.errors || []).join(" ")));
          showQueue();
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
    var textarea = form.querySelector("textarea");
    var max = textarea ? parseInt(textarea.getAttribute("maxlength") || "500", 10) : 500;
    if (textarea) {
      textarea.removeAttribute("maxlength"); // we explain the limit instead of cutting text off
      textarea.addEventListener("input", function () {
        var n = textarea.value.length;
        setText(counter, n > max ? msg("toolong").replace("%(n)s", String(n)).replace("%(max)s", String(max))
          : (n ? msg("count").replace("%(n)s", String(n)).replace("%(max)s", String(max)) : ""));
      });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var entry = {};
      data.forEach(function (value, key) {
        if (key !== "csrfmiddlewaretoken" && typeof value === "string") { entry[key] = value; }
      });
      if (!entry.text || !entry.text.trim()) {
        setText(cardStatus, msg("empty"));
        if (textarea) { textarea.focus(); }
        return;
      }
      if (entry.text.length > max) {
        setText(cardStatus, msg("toolong").replace("%(n)s", String(entry.text.length)).replace("%(max)s", String(max)));
        if (textarea) { textarea.focus(); }
        return;
      }
      if (!entry.uuid) { entry.uuid = newUuid(); }
      var queue = currentQueue();
      if (!queue.some(function (e) { return e.uuid === entry.uuid; })) { queue.push(entry); }
      saveQueue(queue);
      form.reset();
      var uuidInput = form.querySelector("input[name=uuid]");
      if (uuidInput) { uuidInput.value = newUuid(); }
      setText(counter, "");
      setText(cardStatus, msg("sending"));
      flushQueue();
      if (textarea) { textarea.focus(); }
    });
    window.addEventListener("online", flushQueue);
    flushQueue();
  }

  // ---------------------------------------------------------------------------------------
  // Facilitator: drag and drop onto clusters
  // ---------------------------------------------------------------------------------------
  if (actionUrl && region) {
    var dragged = null;
    region.addEventListener("dragstart", function (event) {
      var card = event.target.closest ? event.target.closest("[data-card-uuid]") : null;
      if (!card) { return; }
      dragged = card.getAttribute("data-card-uuid");
      event.dataTransfer.setData("text/plain", dragged);
      event.dataTransfer.effectAllowed = "move";
    });
    region.addEventListener("dragover", function (event) {
      var zone = event.target.closest ? event.target.closest("[data-cluster-id]") : null;
      if (zone && dragged) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        zone.classList.add("is-drop-target");
      }
    });
    region.addEventListener("dragleave", function (event) {
      var zone = event.target.closest ? event.target.closest("[data-cluster-id]") : null;
      if (zone) { zone.classList.remove("is-drop-target"); }
    });
    region.addEventListener("drop", function (event) {
      var zone = event.target.closest ? event.target.closest("[data-cluster-id]") : null;
      if (!zone) { return; }
      event.preventDefault();
      zone.classList.remove("is-drop-target");
      var uuid = event.dataTransfer.getData("text/plain") || dragged;
      dragged = null;
      if (!uuid) { return; }
      var body = new URLSearchParams();
      body.append("op", "move");
      body.append("card", uuid);
      body.append("cluster", zone.getAttribute("data-cluster-id") || "");
      fetch(actionUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), Accept: "application/json", "X-Requested-With": "fetch" },
      }).then(function (response) { return response.json(); })
        .then(function (json) { setText(connection, json.message || (json.errors || []).join(" ")); pendingRefresh = true; refresh(); })
        .catch(function () { wentOffline(); });
    });
    region.addEventListener("dragend", function () { dragged = null; });
  }

  startClocks();
  tickClocks();
  window.setInterval(tickClocks, 1000);
  fit();
  if (board.hasAttribute("data-ws-fit")) {
    var fitTimer = null;
    var refit = function () {
      window.clearTimeout(fitTimer);
      fitTimer = window.setTimeout(fit, 50);  // after the new layout
    };
    window.addEventListener("resize", refit);
    if (document.fonts && document.fonts.ready) { document.fonts.ready.then(fit); }
  }
  schedule(POLL_MS);
}());
