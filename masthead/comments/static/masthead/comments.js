// An article's comments, after the page has loaded (comments/slot.html).
// The page never waits for them: without this script, or if the request
// fails, the slot's link to the comments page stays. The fragment is one
// cached copy for every reader, so it is asked for without cookies; what a
// member writes goes through their own pages under /account/comments/.
(function () {
  "use strict";
  if (!window.fetch) return;

  function load(slot) {
    var body = slot.querySelector("[data-comments-body]");
    var url = slot.getAttribute("data-comments-fragment");
    if (!body || !url) return;
    fetch(url, { credentials: "omit", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("comments: " + response.status);
        return response.text();
      })
      .then(function (html) {
        // Our own rendering: every member's text in it is escaped.
        body.innerHTML = html;
        slot.setAttribute("data-comments-loaded", "");
        // A link to one comment (#comment-12) finds it once it is there.
        var wanted = window.location.hash.slice(1);
        if (wanted.indexOf("comment-") === 0) {
          var target = document.getElementById(wanted);
          if (target) target.scrollIntoView();
        }
      })
      .catch(function () {});
  }

  function start() {
    var slots = document.querySelectorAll("[data-comments-fragment]");
    Array.prototype.forEach.call(slots, load);
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
