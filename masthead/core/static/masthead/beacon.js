// Counts one view after the page has loaded; the page never waits for it.
// The token is the page's own (analytics/services.py beacon_token): views
// posted without one are not counted.
(function () {
  "use strict";
  var script = document.getElementById("view-beacon");
  if (!script || !navigator.sendBeacon) return;
  var url = script.getAttribute("data-beacon-url");
  var body = new URLSearchParams({
    token: script.getAttribute("data-beacon-token") || "",
  });
  window.addEventListener("load", function () {
    navigator.sendBeacon(url, body);
  });
})();
