"""Reader journeys with the keyboard only: skip link, visible focus, Show More."""

import pytest

from tests.browser.conftest import PAGE_NAMES

pytestmark = pytest.mark.browser

# Tab presses before giving up on reaching the end of a page; the demo home
# page has about a hundred focusable elements.
MAX_TABS = 400
# WCAG 2.2 SC 1.4.11: a focus indicator needs 3:1 against what surrounds it.
MIN_INDICATOR_CONTRAST = 3.0

# Describes document.activeElement: its outline or box-shadow, and the
# contrast of the outline against the page painted right next to it (sampled
# in the middle of the outline ring on each side, inside the viewport).
DESCRIBE_FOCUS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  window.__visited = window.__visited || new WeakSet();
  // A date input takes one Tab per field (day, month, year) while staying
  // document.activeElement; only a return to an earlier element ends a lap.
  const again = el === window.__lastFocused;
  const seen = !again && window.__visited.has(el);
  window.__visited.add(el);
  window.__lastFocused = el;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();

  function rgba(value) {
    // Computed colours read "rgb(r, g, b)" or "rgba(r, g, b, a)".
    const n = (value.match(/^rgba?\\((.*)\\)$/) || [, ""])[1].split(/[ ,/]+/);
    if (n.length < 3) return null;
    return [+n[0], +n[1], +n[2], n.length > 3 ? +n[3] : 1];
  }
  function luminance([r, g, b]) {
    const c = [r, g, b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }
  function backgroundAt(x, y) {
    let node = document.elementFromPoint(x, y);
    // No element there: the point rounds onto the viewport's edge (an element
    // scrolled flush with the bottom); not a sample, rather than "white".
    if (!node) return undefined;
    for (; node; node = node.parentElement) {
      if (node === el || el.contains(node)) return undefined;
      if (node.tagName === "IMG" || node.tagName === "PICTURE") return undefined;
      const bg = rgba(getComputedStyle(node).backgroundColor);
      if (bg && bg[3] > 0) return bg;
    }
    return [255, 255, 255, 1];
  }

  const width = parseFloat(style.outlineWidth) || 0;
  const ring = (parseFloat(style.outlineOffset) || 0) + width / 2;
  const points = [
    [rect.left - ring, rect.top + rect.height / 2],
    [rect.right + ring, rect.top + rect.height / 2],
    [rect.left + rect.width / 2, rect.top - ring],
    [rect.left + rect.width / 2, rect.bottom + ring],
  ].filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
  const color = rgba(style.outlineColor);
  const samples = [];
  for (const [x, y] of points) {
    const bg = backgroundAt(x, y);
    if (bg && color) samples.push({bg: bg.join(","), ratio: contrast(color, bg)});
  }
  return {
    seen,
    again,
    html: el.outerHTML.slice(0, 160),
    outlineStyle: style.outlineStyle,
    outlineWidth: width,
    outlineColor: style.outlineColor,
    boxShadow: style.boxShadow,
    inViewport: rect.bottom > 0 && rect.right > 0 && rect.top < innerHeight
      && rect.left < innerWidth && rect.width >= 1 && rect.height >= 1,
    samples,
  };
}
"""


def focus_problem(focus: dict) -> str | None:
    """Why the focused element's indicator is not visible enough, or None."""
    if not focus["inViewport"]:
        return "focused element is not visible in the viewport"
    has_outline = focus["outlineStyle"] not in ("none", "hidden") and (
        focus["outlineWidth"] >= 2
    )
    if not has_outline:
        if focus["boxShadow"] != "none":
            return None
        return (
            f"no focus indicator (outline {focus['outlineStyle']} "
            f"{focus['outlineWidth']}px, box-shadow {focus['boxShadow']})"
        )
    if not focus["samples"]:
        return "outline contrast could not be measured"
    worst = min(focus["samples"], key=lambda sample: sample["ratio"])
    if worst["ratio"] < MIN_INDICATOR_CONTRAST:
        return (
            f"outline {focus['outlineColor']} has contrast {worst['ratio']:.2f}:1 "
            f"against rgb({worst['bg']})"
        )
    return None


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_first_tab_focuses_skip_link_that_moves_focus_to_main(
    open_page, site_pages, name
):
    page = open_page()
    page.goto(site_pages[name])
    page.keyboard.press("Tab")
    skip = page.evaluate(
        """() => {
          const el = document.activeElement;
          const rect = el.getBoundingClientRect();
          return {cls: el.className, href: el.getAttribute("href"),
                  text: el.textContent.trim(), top: rect.top, bottom: rect.bottom};
        }"""
    )
    assert skip["cls"] == "skip-link", f"first Tab focused {skip}"
    assert skip["href"] == "#main"
    assert skip["top"] >= 0, f"skip link is off screen when focused: {skip}"
    assert skip["bottom"] <= page.viewport_size["height"]

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.getElementById('main').contains(document.activeElement)"
    ), "the Tab after the skip link should land inside the main content"


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_every_focusable_element_shows_a_visible_focus_indicator(
    open_page, site_pages, name
):
    page = open_page()
    page.goto(site_pages[name])
    problems, reached = [], 0
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(DESCRIBE_FOCUS)
        if focus is None or focus["seen"]:
            break
        if focus["again"]:
            continue
        reached += 1
        problem = focus_problem(focus)
        if problem:
            problems.append(f"  {focus['html']}\n    {problem}")
    else:
        pytest.fail(f"Tab did not reach the end of {site_pages[name]}")
    assert reached >= 3, f"only {reached} element(s) reachable by Tab"
    assert not problems, (
        f"{len(problems)} of {reached} focused elements on {site_pages[name]} "
        "lack a visible focus indicator:\n" + "\n".join(problems)
    )


def test_show_more_appends_posts_in_place_with_keyboard(open_page, site_pages):
    page = open_page()
    url = site_pages["news-feed"]
    page.goto(url)
    posts = page.locator("article.feed-post")
    before = posts.count()
    assert before > 0

    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.news-feed__more a')"):
            break
    else:
        pytest.fail("Show More is not reachable by Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Show More"

    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('article.feed-post').length > n", arg=before
    )
    assert page.url == url, "Show More navigated instead of appending in place"
    ids = page.eval_on_selector_all("article.feed-post", "els => els.map(e => e.id)")
    assert len(ids) > before
    assert len(ids) == len(set(ids)), "Show More duplicated posts"
    # Keyboard readers carry on from the first appended post.
    assert page.evaluate(
        """n => document.activeElement ===
             document.querySelectorAll('article.feed-post')[n].querySelector('h3')""",
        before,
    ), "focus should move to the first appended post's headline"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_gallery_is_walked_with_tab_and_arrow_keys(open_page, site_pages, viewport):
    """The story-formats gallery scrolls with the keyboard alone, no script (#14)."""
    page = open_page(viewport)
    page.goto(site_pages["formats"])
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.gallery__scroller')"):
            break
    else:
        pytest.fail("the gallery is not reachable by Tab")
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name.startswith("Gallery: ")
    last_visible = """() => {
      const box = document.activeElement.getBoundingClientRect();
      const last = document.activeElement.querySelector('li:last-child figure');
      const rect = last.getBoundingClientRect();
      return rect.left >= box.left - 1 && rect.right <= box.right + 1;
    }"""
    assert not page.evaluate(last_visible), "the last picture starts out of view"
    for _ in range(40):
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(100)
        if page.evaluate(last_visible):
            break
    else:
        pytest.fail("arrow keys did not bring the last picture into view")
    assert page.evaluate("document.activeElement.scrollLeft") > 0
    for _ in range(40):
        page.keyboard.press("ArrowLeft")
        page.wait_for_timeout(100)
        if page.evaluate("document.activeElement.scrollLeft") == 0:
            break
    else:
        pytest.fail("arrow keys did not bring the first picture back")
