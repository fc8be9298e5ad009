/* SIP Portal: small progressive enhancements. The pages work without this file. */
"use strict";

(function () {
  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* An invitation link (/invitation#<token>, from the letter's QR code): the token is in the
   * fragment, which is never sent to the server or logged. Take it out of the address bar and
   * post it. Without JavaScript the person types the code instead. */
  const linkForm = document.querySelector("form[data-invitation-link]");
  const fragment = window.location.hash.slice(1);
  if (linkForm && /^[A-Za-z0-9_-]{20,}$/.test(fragment)) {
    window.history.replaceState(null, "", window.location.pathname);
    linkForm.querySelector('input[name="token"]').value = fragment;
    linkForm.submit();
  }

  /* Every htmx request carries the CSRF token (also set by hx-headers on <body>). */
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });

  /* After htmx swaps in new content, move focus to an element that asks for it
   * (e.g. an error summary), so keyboard and screen-reader users hear the change. */
  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target.querySelector("[data-focus-after-swap]");
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    }
  });

  /* A draft that could not be saved (no connection, server error) says so; the text stays in
   * the page, and "Spara" sends it again (or keeps it across a sign-in, see kept_input). */
  function tellUnsaved(event) {
    const form = event.detail.elt.closest("[data-unsaved-message]");
    const target = event.detail.target;
    if (form && target) {
      target.textContent = form.getAttribute("data-unsaved-message");
    }
  }
  document.addEventListener("htmx:sendError", tellUnsaved);
  document.addEventListener("htmx:responseError", tellUnsaved);

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {
        /* The portal works without the service worker; nothing to tell the person. */
      });
    });
  }
})();
