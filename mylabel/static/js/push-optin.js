// Browser push opt-in on the notification settings page (notifications/push_optin.html).
// The section stays hidden where the browser cannot do push; every text comes translated from
// the page's data attributes. Loaded as a file with the page's CSP nonce (no inline script).
"use strict";

(function () {
  const box = document.getElementById("push-optin");
  if (!box) {
    return;
  }
  const text = box.dataset;
  const button = box.querySelector("[data-push-toggle]");
  const status = box.querySelector("[data-push-status]");
  const csrf = box.querySelector("input[name=csrfmiddlewaretoken]");
  const supported =
    "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (!supported || !button || !status || !csrf) {
    return;
  }
  box.hidden = false;
  let subscription = null;

  function applicationServerKey(base64url) {
    const padded = base64url + "=".repeat((4 - (base64url.length % 4)) % 4);
    const raw = atob(padded.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (character) => character.charCodeAt(0));
  }

  function show(message) {
    status.textContent = message;
  }

  function render() {
    button.textContent = subscription ? text.labelDisable : text.labelEnable;
    button.setAttribute("aria-pressed", subscription ? "true" : "false");
    if (Notification.permission === "denied") {
      show(text.textDenied);
    } else {
      show(subscription ? text.textOn : text.textOff);
    }
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf.value },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      let message = text.textError;
      try {
        message = (await response.json()).error || message;
      } catch (error) {
        // not JSON (a login page, a proxy error): keep the general message
      }
      throw new Error(message);
    }
  }

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      show(text.textDenied);
      return;
    }
    const registration = await navigator.serviceWorker.register(text.workerUrl, { scope: "/" });
    await navigator.serviceWorker.ready;
    const created = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: applicationServerKey(text.vapidKey),
    });
    try {
      await post(text.subscribeUrl, created.toJSON());
    } catch (error) {
      await created.unsubscribe();
      throw error;
    }
    subscription = created;
  }

  async function turnOff() {
    const endpoint = subscription.endpoint;
    await subscription.unsubscribe();
    subscription = null;
    await post(text.unsubscribeUrl, { endpoint: endpoint });
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await (subscription ? turnOff() : turnOn());
      render();
    } catch (error) {
      show(error && error.message ? error.message : text.textError);
    } finally {
      button.disabled = false;
    }
  });

  navigator.serviceWorker
    .getRegistration("/")
    .then((registration) => (registration ? registration.pushManager.getSubscription() : null))
    .then((existing) => {
      subscription = existing;
      render();
    })
    .catch(() => render());
})();
