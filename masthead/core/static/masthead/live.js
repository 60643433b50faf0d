// Live page updates (issue #14), by updates.js; the page works fully
// without them. New updates go on top of the list; closed coverage stops.
(function () {
  "use strict";
  var live = document.querySelector(".live-coverage__poll");
  var list = document.querySelector(".live-coverage__list");
  if (!live || !list || !window.fetch || !window.MastheadUpdates) return;
  window.MastheadUpdates({
    live: live,
    button: live.querySelector(".live-coverage__new"),
    status: live.querySelector('[role="status"]'),
    place: function (article) {
      var empty = list.querySelector(".listing-empty");
      if (empty) empty.remove();
      list.insertBefore(article, list.firstChild);
    },
    // Closed coverage gets no more updates: stop asking.
    keepPolling: function (data) { return data.status === "live"; },
  });
})();
