// News Feed enhancements; the page works fully without them.
// - "Show More" appends the next page in place instead of navigating.
// - New posts are fetched by polling a small cacheable JSON endpoint (the
//   browser revalidates with If-None-Match, so an unchanged feed is a 304),
//   announced politely to screen readers, and shown only when the reader
//   asks: no focus theft, no auto-scroll.
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

  // Live updates (first page only).
  var live = document.querySelector(".news-feed__live");
  if (!live || !window.fetch) return;
  var button = live.querySelector(".news-feed__new");
  var status = live.querySelector('[role="status"]');
  var pending = [];
  var pollMs = parseInt(live.getAttribute("data-poll-ms"), 10) || 30000;
  live.hidden = false;

  function known(id) { return document.getElementById("item-" + id) !== null; }

  function render(item) {
    var article = document.createElement("article");
    article.className = "feed-post";
    article.id = "item-" + item.id;
    article.setAttribute("data-item-id", item.id);
    article.setAttribute("aria-labelledby", "item-" + item.id + "-headline");
    var time = document.createElement("time");
    time.className = "feed-item__time";
    time.setAttribute("datetime", item.published_at);
    time.textContent = item.time_label;
    var h3 = document.createElement("h3");
    h3.className = "feed-post__headline";
    h3.id = "item-" + item.id + "-headline";
    var link = document.createElement("a");
    link.href = item.url; // the item's own page
    link.textContent = item.headline;
    h3.append(link);
    var body = document.createElement("div");
    body.className = "feed-post__body rich-text";
    body.innerHTML = item.body_html; // stored, sanitised rich text
    article.append(time, h3, body);
    return article;
  }

  function showPending() {
    var newest = null;
    // Oldest first so the newest ends up on top.
    pending.slice().reverse().forEach(function (item) {
      if (known(item.id)) return;
      var section = daySection(item.day, item.day_label);
      var heading = section.querySelector(".feed-day");
      if (!section.parentNode) feed.insertBefore(section, feed.firstChild);
      newest = render(item);
      heading.insertAdjacentElement("afterend", newest);
    });
    pending = [];
    button.hidden = true;
    status.textContent = "";
    if (newest) {
      // The reader asked for the posts and the button is gone: continue from
      // the newest post rather than losing focus to the top of the page.
      var headline = newest.querySelector("h3");
      headline.setAttribute("tabindex", "-1");
      headline.focus();
    }
  }
  button.addEventListener("click", showPending);

  function poll() {
    fetch(live.getAttribute("data-updates-url"), { cache: "no-cache", credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        var fresh = data.items.filter(function (item) {
          return !known(item.id) && !pending.some(function (p) { return p.id === item.id; });
        });
        if (!fresh.length) return;
        pending = fresh.concat(pending);
        var label = pending.length === 1 ? "1 new update" : pending.length + " new updates";
        button.textContent = "Show " + label;
        button.hidden = false;
        status.textContent = label + " in the News Feed.";
      })
      .catch(function () {})
      .then(function () { setTimeout(poll, pollMs); });
  }
  setTimeout(poll, pollMs);
})();
