// MyLabel's service worker: shows Web Push notifications (notifications/push.py) and opens the
// page a notification links to. Served at /push-sw.js so its scope is the whole site.
"use strict";

self.addEventListener("push", (event) => {
  let data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (error) {
      data = { title: event.data.text() };
    }
  }
  const options = {
    body: data.body || "",
    data: { url: data.url || "/notifications/" },
  };
  if (data.tag) {
    // A newer notification of the same conversation replaces the older one, and still alerts.
    options.tag = data.tag;
    options.renotify = true;
  }
  event.waitUntil(self.registration.showNotification(data.title || "MyLabel", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(
    (event.notification.data && event.notification.data.url) || "/notifications/",
    self.location.origin,
  );
  if (target.origin !== self.location.origin) {
    return; // only ever open pages of this site
  }
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target.href && "focus" in client) {
          return client.focus();
        }
      }
      return self.clients.openWindow(target.href);
    }),
  );
});
