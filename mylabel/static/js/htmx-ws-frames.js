// Out-of-band swaps whose target is not on this page are dropped before htmx applies them.
//
// Live frames are written for several pages and several arrivals: a new notification's line is
// sent to every open page (only the centre has the list), and a new message reaches the sender's
// page twice, by the composer's answer and by the socket, each appending it only where
// "#message-list:not(:has(#message-<id>))" still matches (messaging/realtime.py, append_swap).
// htmx 2 treats an out-of-band swap without a target as an error (it logs
// "htmx:oobErrorNoTarget" to the console) rather than as "nothing to do", so those swaps are
// removed here first. Active through hx-ext="ws-frames" on <body>.
(function () {
  "use strict";

  function targetSelector(element, value) {
    const colon = value.indexOf(":");
    if (value !== "true" && colon > 0) {
      return value.slice(colon + 1);
    }
    return element.id ? "#" + CSS.escape(element.id) : null;
  }

  function hasTarget(selector) {
    try {
      return document.querySelector(selector) !== null;
    } catch (error) {
      return true; // not plain CSS (htmx's extended selectors): leave it to htmx
    }
  }

  htmx.defineExtension("ws-frames", {
    transformResponse: function (text, xhr) {
      // The ws extension passes no request: every top-level element of a frame is out of band.
      // In an HTTP answer only those marked hx-swap-oob are; the rest is the main swap.
      const socketFrame = xhr === null;
      const template = document.createElement("template");
      template.innerHTML = text;
      let dropped = false;
      for (const element of Array.from(template.content.children)) {
        const value = element.getAttribute("hx-swap-oob") ?? (socketFrame ? "true" : null);
        if (value === null) {
          continue;
        }
        const selector = targetSelector(element, value);
        if (selector !== null && !hasTarget(selector)) {
          element.remove();
          dropped = true;
        }
      }
      return dropped ? template.innerHTML : text;
    },
  });
})();
