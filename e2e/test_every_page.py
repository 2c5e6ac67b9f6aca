"""Every page kind, at 375 px and 1280 px, in English and in Italian (issue 11, points 3-5).

On each page and width: axe finds nothing serious or critical, nothing scrolls sideways,
``<html lang>`` names the language, every visible target is at least 44 x 44 px (WCAG 2.5.5,
with its inline-link exception, see ``pages.SMALL_TARGETS``), every image is sized and the
layout shift stays under 0.1. On each page's first load: at most 60 KB of JavaScript after gzip
and 500 KB in all (``pages.measure_weight`` says how each is counted). A screenshot of each goes
to ``e2e/artifacts/<page>-<lang>-<width>.png``, the gallery.

The live server's tests empty the database after each test, so the demo data (``seed_demo``:
the data the weights are meant for) is built once, and one test walks every page kind in it,
in English and then in Italian; all problems are reported together rather than stopping at the
first.
Signed-in personas read the site in their account's language (``User.language``), visitors in
their browser's (``Accept-Language`` from the context's locale). Only ``<html lang>`` is
checked for the language: the Italian catalogue is still being written.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from io import StringIO
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, Page

from e2e.asgi_server import AsgiLiveServer
from e2e.helpers import (
    PHONE,
    WIDTHS,
    _axe,
    assert_no_browser_problems,
    resize,
    watch_browser_problems,
)
from e2e.pages import (
    MAX_JS_GZIP,
    MAX_TOTAL,
    RECORD_LAYOUT_SHIFTS,
    Weight,
    gallery_shot,
    measure_weight,
    page_problems,
    sign_in,
)
from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Profession
from mylabel.bookings.models import Booking, Status
from mylabel.messaging.models import Conversation
from mylabel.reviews.eligibility import review_eligibility

ANONYMOUS = ""
ARTIST = "artist@example.com"
ADMIN = "admin@example.com"
LOCALES = {"en": "en-GB", "it": "it-IT"}
BLOCKING = frozenset({"serious", "critical"})
AXE_RUN = "() => axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)"

# Measured weights, for docs/benchmarks.md: printed at the end of the English walk.
WEIGHTS: dict[str, Weight] = {}


@dataclass(frozen=True)
class PageKind:
    name: str
    who: str  # the e-mail of the signed-in persona, or ANONYMOUS
    path: str
    status: int = 200


def seed_demo() -> None:
    # The label admins' group comes from data migrations, and the previous live-server test
    # emptied its table: seed_demo expects it.
    import_module("mylabel.accounts.migrations.0002_label_admin_group").create_group(apps, None)
    import_module(
        "mylabel.artists.migrations.0002_search_index_and_roster_permission"
    ).grant_roster_to_label_admins(apps, None)
    # seed_demo refuses to run outside debug mode (it publishes a password); the fast hasher
    # keeps its one password hash cheap.
    with override_settings(
        DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):
        call_command("seed_demo", stdout=StringIO())


def page_kinds() -> list[PageKind]:
    """The pages to visit, found in the demo data."""
    artist = Artist.objects.get(user__email=ARTIST)
    engineer = Associate.objects.get(user__email="associate@example.com")
    other_artist = Artist.objects.listed().exclude(pk=artist.pk).order_by("pk").first()
    assert other_artist is not None
    profession = Profession.objects.order_by("name").first()
    assert profession is not None
    booking = Booking.objects.filter(artist=artist).order_by("-pk").first()
    assert booking is not None
    conversation = Conversation.objects.filter(participants__user=artist.user).first()
    assert conversation is not None
    # The write-review page of a completed booking one of its parties may still review.
    reviewable = next(
        (b, user)
        for b in Booking.objects.filter(status=Status.COMPLETED).select_related(
            "artist__user", "associate__user"
        )
        for user in (b.artist.user, b.associate.user)
        if review_eligibility(booking=b, user=user).allowed
    )
    review_booking, reviewer = reviewable
    return [
        PageKind("home", ANONYMOUS, "/"),
        PageKind("artist-directory", ANONYMOUS, "/artists/"),
        PageKind(
            "associate-directory",
            ANONYMOUS,
            f"/associates/?profession={profession.slug}&min_price=50&sort=price_asc",
        ),
        PageKind("artist-profile", ANONYMOUS, other_artist.get_absolute_url()),
        PageKind("associate-profile", ANONYMOUS, engineer.get_absolute_url()),
        PageKind("associate-reviews", ANONYMOUS, f"/associates/{engineer.slug}/reviews/"),
        PageKind("login", ANONYMOUS, "/accounts/login/"),
        PageKind("signup", ANONYMOUS, "/accounts/signup/"),
        PageKind("password-reset", ANONYMOUS, "/accounts/password/reset/"),
        PageKind("not-found", ANONYMOUS, "/no-such-page/", status=404),
        PageKind("profile-edit", ARTIST, f"/artists/{artist.slug}/edit/about/"),
        PageKind("portfolio-edit", ARTIST, "/portfolio/artist/edit/"),
        PageKind("booking-form", ARTIST, f"/associates/{engineer.slug}/book/"),
        PageKind("bookings", ARTIST, "/bookings/"),
        PageKind("booking-detail", ARTIST, booking.get_absolute_url()),
        PageKind("review-write", reviewer.email, f"/bookings/{review_booking.pk}/review/"),
        PageKind("messages", ARTIST, "/messages/"),
        PageKind("conversation", ARTIST, conversation.get_absolute_url()),
        PageKind("notifications", ARTIST, "/notifications/"),
        PageKind("account-settings", ARTIST, "/account/settings/"),
        PageKind("api-tokens", ARTIST, "/account/api-tokens/"),
        PageKind("moderation", ADMIN, "/moderation/reviews/"),
        PageKind("dashboard", ADMIN, "/dashboard/"),
        PageKind("reports", ADMIN, "/reports/"),
        PageKind("roster", ADMIN, "/roster/"),
    ]


class Browsers:
    """One watched page per persona, in a context of its own, opened on first use."""

    def __init__(
        self, browser: Browser, context_args: dict[str, Any], server: AsgiLiveServer, lang: str
    ) -> None:
        self._browser = browser
        self._context_args = context_args
        self._server = server
        self._lang = lang
        self._pages: dict[str, Page] = {}
        self.console: dict[Page, list[str]] = {}

    def page_for(self, who: str) -> Page:
        if who not in self._pages:
            # The browser fixture, not new_context: that one refuses a second locale argument.
            context = self._browser.new_context(
                **{**self._context_args, "locale": LOCALES[self._lang], "viewport": PHONE}
            )
            context.set_default_timeout(10_000)
            context.add_init_script(RECORD_LAYOUT_SHIFTS)
            # axe in every document from the start: cheaper than sending its 500 KB source to
            # each page again before each audit, as Axe.run does.
            context.add_init_script(_axe.axe_script)
            if who != ANONYMOUS:
                user = User.objects.get(email=who)
                user.language = self._lang
                user.save(update_fields=["language"])
                sign_in(context, user, self._server.url)
            page = context.new_page()
            self.console[page] = watch_browser_problems(page)
            self._pages[who] = page
        return self._pages[who]

    def all_pages(self) -> Iterator[Page]:
        yield from self._pages.values()

    def close(self) -> None:
        for page in self._pages.values():
            page.context.close()


def axe_problems(page: Page) -> list[str]:
    violations = page.evaluate(AXE_RUN)
    return [
        f"axe [{v['impact']}] {v['id']}: "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]


@contextmanager
def collecting(failures: list[str], where: str) -> Iterator[None]:
    """Record an exception as a failure of ``where`` and go on with the next page."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - reported with the rest at the end
        failures.append(f"{where}: {type(error).__name__}: {error}")


def visit(page: Page, url: str, kind: PageKind, lang: str, failures: list[str]) -> None:
    """Load the page once on a phone, then widen it to a desktop: the layout shift and the
    weight are those of the first load, the rest is checked at both widths."""
    resize(page, PHONE)
    response = page.goto(url)
    assert response is not None
    if response.status != kind.status:
        failures.append(f"{kind.name} ({lang}): status {response.status}, expected {kind.status}")
    page.evaluate("() => document.fonts.ready")
    for size in WIDTHS:
        where = f"{kind.name} ({lang}, {size['width']} px)"
        with collecting(failures, where):
            first_load = size == PHONE
            resize(page, size)
            problems = []
            html_lang = page.evaluate("() => document.documentElement.lang")
            if html_lang != lang:
                problems.append(f'<html lang="{html_lang}">')
            problems += page_problems(page, layout_shift=first_load)
            problems += axe_problems(page)
            if first_load:
                weight = measure_weight(page)
                WEIGHTS[kind.name] = weight
                if weight.js_gzip > MAX_JS_GZIP:
                    problems.append(f"{weight.js_gzip} B of JavaScript after gzip")
                if weight.total > MAX_TOTAL:
                    problems.append(
                        f"{weight.total} B in all:\n      " + "\n      ".join(weight.files)
                    )
            gallery_shot(page, f"{kind.name}-{lang}-{size['width']}")
            failures.extend(f"{where}: {problem}" for problem in problems)


def walk(
    lang: str,
    kinds: list[PageKind],
    server: AsgiLiveServer,
    browser: Browser,
    context_args: dict[str, Any],
    failures: list[str],
) -> None:
    """Every page kind in ``lang``, each persona in a browser context of its own."""
    browsers = Browsers(browser, context_args, server, lang)
    try:
        for kind in kinds:
            page = browsers.page_for(kind.who)
            url = f"{server.url}{kind.path}"
            visit(page, url, kind, lang, failures)
            if kind.status == 404:
                # Chromium logs the document's own 404 as a console error: expected here.
                console = browsers.console[page]
                expected = f"console error on {url}"
                console[:] = [line for line in console if not line.startswith(expected)]
        for page in browsers.all_pages():
            with collecting(failures, f"browser console ({lang})"):
                assert_no_browser_problems(page)
    finally:
        browsers.close()


def test_every_page_kind_is_accessible_responsive_and_light_in_both_languages(
    asgi_live_server: AsgiLiveServer,
    browser: Browser,
    browser_context_args: dict[str, Any],
    request: Any,
) -> None:
    # One test for both languages: the demo seed is the dearest part, and is built once.
    seed_demo()
    kinds = page_kinds()
    failures: list[str] = []
    for lang in LOCALES:
        walk(lang, kinds, asgi_live_server, browser, browser_context_args, failures)
        if lang == "en" and request.config.getoption("verbose") > 0:
            for name, weight in WEIGHTS.items():
                print(
                    f"weight {name}: JS {weight.js_gzip / 1024:.1f} KB gzip, "
                    f"total {weight.total / 1024:.1f} KB"
                )
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures)
