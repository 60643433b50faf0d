// Counts one view after the page has loaded; the page never waits for it.
(function () {
  "use strict";
  var script = document.getElementById("view-beacon");
  if (!script || !navigator.sendBeacon) return;
  var url = script.getAttribute("data-beacon-url");
  window.addEventListener("load", function () {
    navigator.sendBeacon(url);
  });
})();
