// New posts for the News Feed and live pages (news_feed.js, live.js); the
// pages work fully without them. Polls a small cacheable JSON endpoint (the
// browser revalidates with If-None-Match, so nothing new is a 304), announces
// politely to screen readers and shows the posts newest first only when the
// reader asks: no focus theft, no auto-scroll (NEWS-STANDARDS 11).
//
// MastheadUpdates({live, button, status, place, keepPolling}):
// ``live`` holds data-updates-url and data-poll-ms, and the page's wording in
// a JSON data block (#updates-strings, core/templatetags/masthead_tags.py):
// the script has no words of its own, so each edition speaks its language.
// ``place(article, item)`` puts a rendered post on the page;
// ``keepPolling(data)`` says whether to ask again (closed live coverage stops).
window.MastheadUpdates = function (options) {
  "use strict";
  var live = options.live;
  var button = options.button;
  var status = options.status;
  var pending = [];
  var pollMs = parseInt(live.getAttribute("data-poll-ms"), 10) || 30000;
  var strings = JSON.parse(document.getElementById("updates-strings").textContent);
  // The plural category of a count in the page's language (one, few, many…),
  // as the server's catalogue counts; without Intl, English's two.
  var plural = window.Intl && Intl.PluralRules
    ? new Intl.PluralRules(document.documentElement.lang || "en")
    : { select: function (n) { return n === 1 ? "one" : "other"; } };
  function phrase(forms, count) {
    var form = forms[plural.select(count)] || forms.other;
    return form.replace("{count}", String(count));
  }
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
    // Oldest first, each on top, so the newest ends up first.
    pending.slice().reverse().forEach(function (item) {
      if (known(item.id)) return;
      newest = render(item);
      options.place(newest, item);
    });
    pending = [];
    button.hidden = true;
    status.textContent = "";
    if (newest) {
      // The reader asked and the button is gone: continue from the newest
      // post rather than losing focus to the top of the page.
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
        if (!data) return true;
        var fresh = data.items.filter(function (item) {
          return !known(item.id) && !pending.some(function (p) { return p.id === item.id; });
        });
        if (fresh.length) {
          pending = fresh.concat(pending);
          button.textContent = phrase(strings.show, pending.length);
          button.hidden = false;
          status.textContent = phrase(strings.status, pending.length);
        }
        return options.keepPolling ? options.keepPolling(data) : true;
      })
      .catch(function () { return true; })
      .then(function (again) { if (again) setTimeout(poll, pollMs); });
  }
  setTimeout(poll, pollMs);
};
