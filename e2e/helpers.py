"""What every e2e journey does on each page it visits: screenshots at both widths, an axe audit
and a check that the browser logged no CSP violation or script error.

Axe is evaluated through ``page.evaluate`` (DevTools protocol), which the page's CSP does not
govern, so the audit runs with the site's real, strict policy in force: no ``bypass_csp``.
"""

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Error, Page, ViewportSize

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE: ViewportSize = {"width": 375, "height": 812}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
WIDTHS = (PHONE, DESKTOP)
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
PASSWORD = "Gr00ve-and-vinyl-2026"

# Playwright's init scripts are exempt from the page's CSP; the event fires for every violation,
# whatever wording the browser uses in its own console message.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""

# Endless animations (spinners) never finish, so only the finite ones are awaited.
# And for at most 8 s (more than a toast's six-second fade): page.evaluate has no timeout of its
# own, and an animation whose timeline stops advancing (a paused one, a page the browser stops
# painting) never settles its ``finished`` promise. (A local CI run once sat for minutes in a
# journey, the test waiting on the browser; this was the unbounded wait in its path.)
_SETTLE_ANIMATIONS = """
() => Promise.race([
  Promise.all(document.getAnimations()
    .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
    .map((animation) => animation.finished.catch(() => undefined))),
  new Promise((resolve) => setTimeout(resolve, 8000)),
])
"""

# Hiding the caret for a screenshot leaves ``style=""`` on every input. htmx "settles" the style
# attribute of elements a swap replaces by id, so it would copy those leftovers onto the new
# elements, which the CSP (no inline styles) rightly blocks. The site itself never writes a style
# attribute, so an empty one can only be the screenshot's.
_REMOVE_SCREENSHOT_LEFTOVERS = """
() => document.querySelectorAll('[style=""]').forEach((element) => element.removeAttribute("style"))
"""

_axe = Axe()
_problems: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


@dataclass(frozen=True)
class Member:
    email: str
    password: str
    display_name: str


def unique_email(who: str) -> str:
    # Unique per run: allauth's rate limits live in the cache, which outlives the test database
    # when REDIS_URL is set.
    return f"{who}-{uuid.uuid4().hex[:10]}@example.com"


def open_menu(page: Page) -> None:
    """Open the navigation's "Menu" disclosure, which holds the links on phones."""
    page.locator("summary").filter(has_text="Menu").click()


def watch_browser_problems(page: Page) -> list[str]:
    """Collect console errors (CSP violations included) and uncaught exceptions of ``page``."""
    problems = _problems.setdefault(page, [])

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error on {page.url}: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"uncaught exception on {page.url}: {error}")

    page.add_init_script(_REPORT_CSP_VIOLATIONS)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return problems


def assert_no_browser_problems(page: Page) -> None:
    problems = _problems.get(page, [])
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def resize(page: Page, size: ViewportSize) -> None:
    """Change the viewport and wait out the CSS transitions the new media queries start, so
    axe never measures a colour halfway through a transition."""
    page.set_viewport_size(size)
    # A URL assertion can pass while the page is still parsing; its animations start later.
    page.wait_for_load_state()
    page.evaluate(_SETTLE_ANIMATIONS)


def snap(page: Page, name: str) -> list[Path]:
    """Save full-page screenshots of ``page`` at 375 px and 1280 px; the viewport is restored."""
    ARTIFACTS.mkdir(exist_ok=True)
    original = page.viewport_size
    paths = []
    try:
        for size in WIDTHS:
            resize(page, size)
            path = ARTIFACTS / f"{name}-{size['width']}.png"
            page.screenshot(path=path, full_page=True, animations="disabled")
            paths.append(path)
    finally:
        page.evaluate(_REMOVE_SCREENSHOT_LEFTOVERS)
        if original:
            resize(page, original)
    return paths


def _describe(violation: dict[str, Any]) -> str:
    lines = [
        f"[{violation['impact']}] {violation['id']}: {violation['help']}",
        f"    {violation['helpUrl']}",
    ]
    for node in violation["nodes"]:
        lines.append(f"    - {', '.join(map(str, node['target']))}")
        lines.append(f"      {node['html'][:200]}")
        summary = node.get("failureSummary", "").replace("\n", "\n        ")
        if summary:
            lines.append(f"        {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe on the page as it is now; fail on any serious or critical violation."""
    violations = _axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    if others:
        # Moderate and minor findings do not fail the journey, but stay visible in the log.
        print(f"axe, non-blocking findings on {page.url}:\n" + "\n".join(map(_describe, others)))
    assert not blocking, (
        f"axe found {len(blocking)} serious/critical violation(s) on {page.url} "
        f"at {page.viewport_size}:\n" + "\n".join(map(_describe, blocking))
    )


def assert_fits_width(page: Page) -> None:
    """Nothing may push the page sideways: no horizontal scrolling, from 375 px up."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the {page.viewport_size} screen"


def check_page(page: Page, name: str) -> None:
    """Screenshots, no horizontal overflow and an axe audit at both widths, then no console
    errors or CSP violations."""
    snap(page, name)
    original = page.viewport_size
    try:
        for size in WIDTHS:
            resize(page, size)
            assert_fits_width(page)
            assert_accessible(page)
    finally:
        if original:
            resize(page, original)
    assert_no_browser_problems(page)
