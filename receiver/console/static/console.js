// Live lists: an element with data-poll gets its contents replaced by that URL's HTML every
// data-interval milliseconds. The HTML is rendered (and escaped) by the server.
"use strict";
(function () {
  function poll(target) {
    var url = target.getAttribute("data-poll");
    var interval = parseInt(target.getAttribute("data-interval") || "3000", 10);
    var stamp = document.getElementById(target.getAttribute("data-stamp") || "");
    function tick() {
      fetch(url, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
        .then(function (response) {
          if (response.type === "opaqueredirect" || response.status === 401) {
            window.location.reload(); // logged out: the page itself goes to the login form
            return null;
          }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null) {
            target.innerHTML = html;
            if (stamp) {
              stamp.textContent = "updated " + new Date().toISOString().slice(11, 19) + "Z";
            }
          }
        })
        .catch(function () { /* the server is away; try again next time */ })
        .then(function () { window.setTimeout(tick, interval); });
    }
    window.setTimeout(tick, interval);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-poll]").forEach(poll);
  });
})();
