/* Autosave for a form with data-autosave="<url>" (the preparation page, ADR 0070).
 * Saves after a pause in typing, when a field loses focus, and when the page is hidden or
 * left (navigator.sendBeacon; the form's own csrf_token field travels in the body, so CSRF
 * holds). The saved / not-saved line stands next to the field being edited. While a save is
 * pending (typed and not yet sent, on its way, or failed), leaving the page asks first.
 * Without JavaScript the form's Spara button does the same job. */
"use strict";

(function () {
  const PAUSE_MS = 800;

  function setUp(form) {
    const url = form.getAttribute("data-autosave");
    let dirty = false; /* typed since the last save was sent */
    let failed = false; /* the last save did not reach the server */
    let inFlight = 0;
    let timer = null;
    let field = null;

    function statusOf(element) {
      const id = element && element.getAttribute("data-status");
      return id ? document.getElementById(id) : null;
    }

    function tell(element, text) {
      const here = statusOf(element);
      form.querySelectorAll(".saved-status").forEach(function (status) {
        if (status !== here) status.textContent = "";
      });
      if (here) here.textContent = text;
    }

    function body() {
      const data = new FormData(form);
      data.delete("action");
      return data;
    }

    function plainText(html) {
      return new DOMParser().parseFromString(html, "text/html").body.textContent.trim();
    }

    function save() {
      clearTimeout(timer);
      timer = null;
      if (!dirty) return;
      dirty = false;
      const element = field;
      inFlight += 1;
      tell(element, form.getAttribute("data-saving-message"));
      fetch(url, { method: "POST", body: body(), credentials: "same-origin", keepalive: true })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          failed = false;
          tell(element, plainText(html));
        })
        .catch(function () {
          failed = true;
          dirty = true;
          tell(element, form.getAttribute("data-unsaved-message"));
        })
        .finally(function () {
          inFlight -= 1;
        });
    }

    function sendOnLeaving() {
      if (!dirty && !failed) return true;
      if (!navigator.sendBeacon || !navigator.sendBeacon(url, body())) return false;
      dirty = false;
      clearTimeout(timer);
      return true;
    }

    form.addEventListener("input", function (event) {
      dirty = true;
      field = event.target;
      clearTimeout(timer);
      timer = setTimeout(save, PAUSE_MS);
    });
    form.addEventListener("change", function (event) {
      if (event.target.type === "radio" || event.target.type === "checkbox") {
        dirty = true;
        field = event.target;
        save();
      }
    });
    form.addEventListener("focusout", function (event) {
      const next = event.relatedTarget;
      if (next && next.form === form && next.type === "submit") return; /* the submit saves */
      if (dirty) {
        field = event.target;
        save();
      }
    });
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      dirty = false;
      failed = false;
      leaving = true;
    });

    /* Text typed before this script ran (it loads after the page, later on a slow connection)
     * is saved as if typed now: otherwise it would wait for the next key, and leaving the
     * page would not ask first. */
    const early = Array.prototype.find.call(form.elements, function (element) {
      if (element.type === "radio" || element.type === "checkbox") {
        return element.checked !== element.defaultChecked;
      }
      return element.type !== "hidden" && "defaultValue" in element &&
        element.value !== element.defaultValue;
    });
    if (early) {
      dirty = true;
      field = early;
      timer = setTimeout(save, PAUSE_MS);
    }

    let leaving = false;
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") sendOnLeaving();
    });
    window.addEventListener("pagehide", sendOnLeaving);
    window.addEventListener("beforeunload", function (event) {
      if (leaving) return;
      if (!dirty && !failed && inFlight === 0) return;
      /* A save is pending: send it now (a queued beacon is delivered even if the person
       * leaves), and ask before leaving, since the page cannot know it arrived (ADR 0071). */
      sendOnLeaving();
      event.preventDefault();
      event.returnValue = "";
    });
  }

  document.querySelectorAll("form[data-autosave]").forEach(setUp);
})();
