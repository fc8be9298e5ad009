/* Web Push: subscribe this device through the service worker and post the subscription.
 * No inline script (CSP). The button shows only where the browser can do it. */
"use strict";
(function () {
  const box = document.getElementById("push");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window)) return;
  box.hidden = false;
  const status = document.getElementById("push-status");
  const key = box.dataset.key;
  const decode = (text) => {
    const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };
  const csrf = () => {
    const headers = document.body.getAttribute("hx-headers");
    try { return JSON.parse(headers)["X-CSRFToken"]; } catch (e) { return ""; }
  };
  document.getElementById("push-subscribe").addEventListener("click", async () => {
    try {
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: decode(key),
      });
      const answer = await fetch(box.dataset.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify(subscription.toJSON()),
        credentials: "same-origin",
      });
      status.textContent = answer.ok ? status.dataset.done : status.dataset.failed;
    } catch (error) {
      status.textContent = status.dataset.failed;
    }
  });
})();
