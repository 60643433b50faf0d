// News Feed enhancements; the page works fully without them.
// - "Show More" appends the next page in place instead of navigating.
// - New posts are polled for and shown when the reader asks (updates.js).
(function () {
  "use strict";
  var feed = document.querySelector(".news-feed");
  if (!feed) return;

  function daySection(day, label) {
    var existing = feed.querySelector('.news-feed__day[data-day="' + day + '"]');
    if (existing) return existing;
    var section = document.createElement("section");
    section.className = "news-feed__day";
    section.setAttribute("data-day", day);
    var heading = document.createElement("h2");
    heading.className = "feed-day";
    var time = document.createElement("time");
    time.setAttribute("datetime", day);
    time.textContent = label;
    heading.appendChild(time);
    section.appendChild(heading);
    return section;
  }

  // Show More: fetch the next page's HTML and move its posts into this page.
  var more = document.querySelector(".news-feed__more");
  function wireMore(moreBlock) {
    if (!moreBlock) return;
    var link = moreBlock.querySelector("a");
    link.addEventListener("click", function (event) {
      event.preventDefault();
      link.setAttribute("aria-busy", "true");
      fetch(link.href, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var firstNew = null;
          doc.querySelectorAll(".news-feed__day").forEach(function (incoming) {
            var day = incoming.getAttribute("data-day");
            var target = feed.querySelector('.news-feed__day[data-day="' + day + '"]');
            if (!target) { feed.appendChild(incoming); target = incoming; firstNew = firstNew || incoming.querySelector(".feed-post"); return; }
            incoming.querySelectorAll(".feed-post").forEach(function (post) {
              if (!document.getElementById(post.id)) { target.appendChild(post); firstNew = firstNew || post; }
            });
          });
          var nextMore = doc.querySelector(".news-feed__more");
          if (nextMore) { moreBlock.replaceWith(nextMore); wireMore(nextMore); } else { moreBlock.remove(); }
          if (firstNew) {
            // Keyboard users continue from the first appended post.
            var heading = firstNew.querySelector("h3");
            heading.setAttribute("tabindex", "-1");
            heading.focus({ preventScroll: false });
          }
        })
        .catch(function () { window.location.href = link.href; });
    });
  }
  wireMore(more);

  // Live updates (first page only), by updates.js.
  var live = document.querySelector(".news-feed__live");
  if (!live || !window.fetch || !window.MastheadUpdates) return;
  window.MastheadUpdates({
    live: live,
    button: live.querySelector(".news-feed__new"),
    status: live.querySelector('[role="status"]'),
    place: function (article, item) {
      var section = daySection(item.day, item.day_label);
      if (!section.parentNode) feed.insertBefore(section, feed.firstChild);
      section.querySelector(".feed-day").insertAdjacentElement("afterend", article);
    },
  });
})();
