/*
 * krisenwissen – progressive enhancement only. Every page works without this file.
 *
 * - <form data-autosubmit>: submits when a checkbox, radio or select inside changes
 *   (the visible submit button stays as the fallback).
 * - data-confirm="Frage?" on a <form> or a submit button / link: asks before proceeding,
 *   with a native <dialog> (keyboard accessible) and window.confirm as fallback.
 * - <a data-print>: prints the page.
 * - After a skip link or in-page link, focus moves to the target.
 * - On phones the main navigation collapses behind its "Menü" button.
 * Loaded with "defer", so the DOM is ready when it runs. No inline code (CSP).
 */
(function () {
  "use strict";

  var doc = document;
  doc.documentElement.classList.remove("no-js");
  doc.documentElement.classList.add("js");

  var lang = (doc.documentElement.getAttribute("lang") || "de").slice(0, 2);
  var TEXT = {
    de: { ok: "Ja, fortfahren", cancel: "Abbrechen", confirm: "Bitte bestätigen", updating: "Ergebnisse werden aktualisiert …" },
    en: { ok: "Yes, continue", cancel: "Cancel", confirm: "Please confirm", updating: "Updating results …" },
  }[lang] || null;
  if (!TEXT) {
    TEXT = { ok: "Ja, fortfahren", cancel: "Abbrechen", confirm: "Bitte bestätigen", updating: "Ergebnisse werden aktualisiert …" };
  }

  /* ---------------- auto-submit ---------------- */
  function submitForm(form) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  doc.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement)) {
      return;
    }
    var form = target.closest("form[data-autosubmit]");
    if (!form) {
      return;
    }
    var type = (target.getAttribute("type") || "").toLowerCase();
    if (type === "checkbox" || type === "radio" || target.tagName === "SELECT") {
      var status = form.querySelector("[data-autosubmit-status]");
      if (status) {
        status.textContent = TEXT.updating;
      }
      // Remember which control triggered the reload so focus can return to it
      // (by name and value: ids of facet options may change when the counts change).
      try {
        window.sessionStorage.setItem(
          "kw-refocus",
          JSON.stringify({ name: target.getAttribute("name") || "", value: target.value || "", id: target.id || "" })
        );
      } catch (e) {
        /* storage may be disabled */
      }
      submitForm(form);
    }
  });

  // Return focus to the facet that was just toggled (keyboard users keep their place).
  try {
    var refocus = window.sessionStorage.getItem("kw-refocus");
    if (refocus) {
      window.sessionStorage.removeItem("kw-refocus");
      var wanted = JSON.parse(refocus);
      var el = null;
      var candidates = doc.querySelectorAll("form[data-autosubmit] input, form[data-autosubmit] select");
      for (var i = 0; i < candidates.length && !el; i++) {
        var c = candidates[i];
        if (c.getAttribute("name") === wanted.name && (c.tagName === "SELECT" || c.value === wanted.value)) {
          el = c;
        }
      }
      if (!el && wanted.id) {
        el = doc.getElementById(wanted.id);
      }
      if (el && el.closest("form[data-autosubmit]")) {
        el.focus();
      }
    }
  } catch (e) {
    /* ignore */
  }

  /* ---------------- confirm dialogs ---------------- */
  var dialog = null;

  function buildDialog() {
    if (dialog || typeof HTMLDialogElement === "undefined") {
      return dialog;
    }
    dialog = doc.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "kw-confirm-title");
    dialog.setAttribute("aria-describedby", "kw-confirm-text");
    dialog.innerHTML =
      '<form method="dialog" class="stack">' +
      '<h2 id="kw-confirm-title"></h2>' +
      '<p id="kw-confirm-text"></p>' +
      '<div class="cluster">' +
      '<button type="submit" value="ok" class="btn btn--primary" data-confirm-ok></button>' +
      '<button type="submit" value="cancel" class="btn btn--secondary" data-confirm-cancel></button>' +
      "</div></form>";
    dialog.querySelector("#kw-confirm-title").textContent = TEXT.confirm;
    dialog.querySelector("[data-confirm-ok]").textContent = TEXT.ok;
    dialog.querySelector("[data-confirm-cancel]").textContent = TEXT.cancel;
    doc.body.appendChild(dialog);
    return dialog;
  }

  function askConfirm(message, onOk) {
    var dlg = buildDialog();
    if (!dlg || typeof dlg.showModal !== "function") {
      if (window.confirm(message)) {
        onOk();
      }
      return;
    }
    var opener = doc.activeElement;
    dlg.querySelector("#kw-confirm-text").textContent = message;
    dlg.returnValue = "";
    dlg.addEventListener(
      "close",
      function () {
        if (dlg.returnValue === "ok") {
          onOk();
        } else if (opener && typeof opener.focus === "function") {
          opener.focus();
        }
      },
      { once: true }
    );
    dlg.showModal();
    dlg.querySelector("[data-confirm-cancel]").focus();
  }

  doc.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement) || form.dataset.confirmed === "1") {
        return;
      }
      var submitter = event.submitter || null;
      var message =
        (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (!message) {
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      askConfirm(message, function () {
        form.dataset.confirmed = "1";
        if (submitter && typeof form.requestSubmit === "function") {
          form.requestSubmit(submitter);
        } else {
          submitForm(form);
        }
        window.setTimeout(function () {
          delete form.dataset.confirmed;
        }, 0);
      });
    },
    true
  );

  doc.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var link = target.closest("a[data-confirm]");
    if (link) {
      event.preventDefault();
      askConfirm(link.getAttribute("data-confirm"), function () {
        window.location.href = link.href;
      });
      return;
    }
    var printer = target.closest("[data-print]");
    if (printer) {
      event.preventDefault();
      window.print();
    }
  });

  /* ---------------- scrollable tables are reachable by keyboard ---------------- */
  var wraps = doc.querySelectorAll(".table-wrap");
  for (var w = 0; w < wraps.length; w++) {
    var wrap = wraps[w];
    if (!wrap.hasAttribute("tabindex")) {
      wrap.setAttribute("tabindex", "0");
    }
    if (!wrap.hasAttribute("role")) {
      wrap.setAttribute("role", "region");
    }
    if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
      var caption = wrap.querySelector("caption");
      var label = caption ? caption.textContent.trim() : "";
      wrap.setAttribute("aria-label", label || (lang === "en" ? "Table" : "Tabelle"));
    }
  }

  /* ---------------- in-page links move focus ---------------- */
  doc.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var link = target.closest('a[href^="#"]');
    if (!link || link.getAttribute("href").length < 2) {
      return;
    }
    var dest = doc.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!dest) {
      return;
    }
    if (!dest.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(dest.tagName)) {
      dest.setAttribute("tabindex", "-1");
    }
    window.setTimeout(function () {
      dest.focus({ preventScroll: true });
    }, 0);
  });

  /* ---------------- main navigation on phones ---------------- */
  var navToggle = doc.querySelector(".main-nav__toggle");
  if (navToggle && window.matchMedia) {
    var narrow = window.matchMedia("(max-width: 40em)");
    var syncNav = function () {
      // Collapsed on phones, open on wider screens; the button exists only where it helps.
      navToggle.hidden = !narrow.matches;
      navToggle.setAttribute("aria-expanded", narrow.matches ? "false" : "true");
    };
    syncNav();
    if (narrow.addEventListener) {
      narrow.addEventListener("change", syncNav);
    }
    navToggle.addEventListener("click", function () {
      var open = navToggle.getAttribute("aria-expanded") === "true";
      navToggle.setAttribute("aria-expanded", open ? "false" : "true");
    });
  }
})();
