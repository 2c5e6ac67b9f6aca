// "Reconnecting…" while a page's live socket is down (the [data-live-status] line inside the
// element with ws-connect, e.g. the conversation page).
//
// htmx's ws extension reconnects on its own, with a growing delay, after the close codes below
// (a server restart, or Redis/PostgreSQL unreachable: the server refuses or closes the socket
// with 503/1013, see mylabel/core/outage.py); without a word the page would just look quiet.
// Other codes (the app's 4xxx refusals) end the socket for good, so the line stays hidden.
(function () {
  "use strict";

  const RETRIED = [1006, 1011, 1012, 1013];

  function statusLine(socketElement) {
    const root = socketElement.closest("[ws-connect]");
    return root ? root.querySelector("[data-live-status]") : null;
  }

  document.addEventListener("htmx:wsClose", function (event) {
    const line = statusLine(event.target);
    if (line) {
      line.hidden = !RETRIED.includes(event.detail.event.code);
    }
  });

  document.addEventListener("htmx:wsOpen", function (event) {
    const line = statusLine(event.target);
    if (line) {
      line.hidden = true;
    }
  });
})();
