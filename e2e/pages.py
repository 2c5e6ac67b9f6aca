"""Checks every page kind gets at each width (issue 11, points 3-5): tap targets, sized images,
layout shift, ``<html lang>`` and the front-end weight, plus signing a browser in without the
log-in form. Used by ``test_every_page.py``; ``helpers.check_page`` stays the journeys' check."""

import gzip
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from playwright.sync_api import BrowserContext, Page

from e2e.helpers import ARTIFACTS
from mylabel.accounts.models import User

MIN_TARGET = 44  # CSS px, WCAG 2.2 success criterion 2.5.5 (Target Size, Enhanced)
MAX_CLS = 0.1
MAX_JS_GZIP = 60 * 1024
MAX_TOTAL = 500 * 1024

# Before any of the page's own code: collects the layout shifts of the document's lifetime that
# no input caused, which is what Cumulative Layout Shift sums (a viewport resize is not one).
# Init scripts are exempt from the CSP.
RECORD_LAYOUT_SHIFTS = """
window.e2eLayoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.e2eLayoutShift += entry.value;
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# The visible targets smaller than 44 x 44 px. Exempt, following WCAG 2.5.5's "Inline"
# exception: a link inside a sentence or block of text (its parent holds other text and it is
# laid out inline, so the line height, not the author, sets its height). Not measured: off-screen
# or visually hidden elements (the skip link until focused, 1 px screen-reader text), which
# nobody taps. Measured by what one really taps: a checkbox or radio by its label (the label
# must be 44 px high), a "stretched" link (a card's title whose ::after covers the card) by the
# card.
SMALL_TARGETS = """
(min) => {
  const selector =
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]";
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) return false;
    if (box.right <= 0 || box.bottom + window.scrollY <= 0) return false;
    return el.getClientRects().length > 0;
  };
  const inline = (el) => {
    if (el.tagName !== "A") return false;
    const parent = el.parentElement;
    if (!parent) return false;
    const own = (el.textContent || "").trim();
    const around = (parent.textContent || "").replace(own, "").trim();
    return around.length > 1 && getComputedStyle(el).display === "inline";
  };
  // A "stretched" link: its ::after covers the positioned card around it, the card is the target.
  const stretched = (el) => {
    const after = getComputedStyle(el, "::after");
    return el.tagName === "A" && after.content !== "none" && after.position === "absolute";
  };
  const describe = (el, box) => {
    const text = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("name") || "")
      .trim().replace(/\\s+/g, " ").slice(0, 40);
    const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
    const name = [el.tagName.toLowerCase(), ...classes.filter(Boolean)].join(".");
    return `${name} "${text}" ${Math.round(box.width)}x${Math.round(box.height)}`;
  };
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    let target = el;
    if (el.matches("input[type=checkbox], input[type=radio]")) {
      const byId = el.id && document.querySelector(`label[for="${el.id}"]`);
      target = el.closest("label") || byId || el;
    } else if (stretched(el)) {
      target = el.offsetParent || el;
    }
    if (!visible(target) || inline(el)) continue;
    const box = target.getBoundingClientRect();
    if (box.width + 0.5 < min || box.height + 0.5 < min) small.push(describe(el, box));
  }
  return small;
}
"""

# Images the browser cannot reserve room for before they load: neither width and height
# attributes nor a CSS aspect-ratio.
UNSIZED_IMAGES = """
() => [...document.images]
  .filter((img) => !(img.hasAttribute("width") && img.hasAttribute("height"))
    && getComputedStyle(img).aspectRatio === "auto")
  .map((img) => img.currentSrc || img.src)
"""

# What the document and everything it fetched weigh, from the resource timings. Each file counts
# by its encoded body size, which the browser records even when it served the file from its
# cache: the numbers are those of a first visit with an empty cache.
RESOURCES = """
() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  return [navigation, ...performance.getEntriesByType("resource")].map((entry) => ({
    url: entry.name,
    type: entry.initiatorType,
    transfer: entry.transferSize,
    body: entry.encodedBodySize,
  }));
}
"""


@dataclass
class Weight:
    """One page's first load: JavaScript after gzip, and everything as transferred."""

    js_gzip: int = 0
    total: int = 0
    files: list[str] = field(default_factory=list)


_gzip_sizes: dict[str, int] = {}


def _gzip_size(page: Page, url: str) -> int:
    # The test server sends files as they are, uncompressed (production compresses them):
    # what a script costs is measured here by compressing its body with gzip's default level.
    if url not in _gzip_sizes:
        _gzip_sizes[url] = len(gzip.compress(page.request.get(url).body()))
    return _gzip_sizes[url]


def measure_weight(page: Page) -> Weight:
    """The page's weight on first load. Transfer counts each file's bytes as the server sent
    them (uncompressed here, so an upper bound for production); JavaScript counts gzip bytes."""
    weight = Weight()
    for entry in page.evaluate(RESOURCES):
        size = max(int(entry["transfer"]), int(entry["body"]))
        weight.total += size
        weight.files.append(f"{entry['url']} {size} B")
        path = entry["url"].split("?", 1)[0]
        if entry["type"] == "script" or path.endswith(".js"):
            weight.js_gzip += _gzip_size(page, entry["url"])
    return weight


def page_problems(page: Page, *, layout_shift: bool) -> list[str]:
    """Everything ``test_every_page`` requires of a page as it is now, besides axe."""
    problems = []
    overflow = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        problems.append(f"{overflow}px of horizontal scroll")
    small = page.evaluate(SMALL_TARGETS, MIN_TARGET)
    if small:
        problems.append("targets under 44x44 px: " + "; ".join(small))
    unsized = page.evaluate(UNSIZED_IMAGES)
    if unsized:
        problems.append("images without width/height: " + ", ".join(unsized))
    if layout_shift:
        # Only after a load: resizing the window moves things on purpose.
        shift = page.evaluate("() => window.e2eLayoutShift")
        if shift is None or shift >= MAX_CLS:
            problems.append(f"cumulative layout shift {shift}")
    return problems


def gallery_shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True, animations="disabled")


def sign_in(context: BrowserContext, user: User, base_url: str) -> None:
    """Give the browser ``user``'s session cookie, made by Django's test client: the log-in
    form is tested by the journeys, and here it would only cost time on every persona."""
    client = Client()
    client.force_login(user)
    cookie: Any = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }
    context.add_cookies([cookie])
