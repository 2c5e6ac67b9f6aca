"""Public pages are cached whole for visitors who are not signed in (mylabel/core/page_cache.py):
a repeated visit reads no database, each visitor still gets their own CSP nonce and a CSRF token
that works with their own cookie, members and visitors with a session or a message always get
their own page, and every write a public page shows is seen by the next visitor."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mylabel.accounts.models import User
from mylabel.artists.models import Artist, Release
from mylabel.artists.services import set_roster_status
from mylabel.associates.models import Associate
from mylabel.associates.services import update_associate_profile
from mylabel.core.page_cache import MASKED_TOKEN, forget_public_pages
from mylabel.portfolio.models import PortfolioItem, ProfileKind
from tests.directory.factories import make_artist, make_associate
from tests.factories import UserFactory
from tests.reviews.test_cache import BROKEN_CACHE

pytestmark = pytest.mark.django_db

NONCE_IN_PAGE = re.compile(r'nonce="([^"]+)"')
TOKEN_IN_PAGE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HTMX = {"HX-Request": "true"}


@pytest.fixture
def anna() -> Associate:
    return make_associate("Anna Rossi", professions=["producer"], city="Milan")


@pytest.fixture
def luna() -> Artist:
    return make_artist("Luna Park", city="Turin")


def own_values_blanked(page: str) -> str:
    return MASKED_TOKEN.sub("", NONCE_IN_PAGE.sub("", page))


def visit(path: str, client: Client | None = None, headers: dict[str, str] | None = None) -> str:
    response = (client or Client()).get(path, headers=headers or {})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/", "/associates/", "/associates/?q=anna", "/artists/", "/associates/anna-rossi/"],
)
def test_a_second_visitor_costs_no_query(
    anna: Associate, path: str, django_assert_num_queries
) -> None:
    first = visit(path)
    with django_assert_num_queries(0):
        second = visit(path)

    # The same page, apart from the values each response has of its own.
    assert own_values_blanked(second) == own_values_blanked(first)
    assert own_values_blanked(second) != second


def test_each_visitor_gets_a_nonce_of_their_own_named_in_the_header(anna: Associate) -> None:
    responses = [Client().get("/associates/anna-rossi/") for _ in range(2)]

    nonces = []
    for response in responses:
        page_nonces = set(NONCE_IN_PAGE.findall(response.content.decode()))
        assert len(page_nonces) == 1
        nonce = page_nonces.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    assert "\x00" not in responses[1].content.decode()


def test_a_cached_page_token_works_with_the_visitors_own_cookie(anna: Associate) -> None:
    visit("/associates/anna-rossi/")  # cached by another visitor
    visitor = Client(enforce_csrf_checks=True)
    page = visit("/associates/anna-rossi/", visitor)
    token = TOKEN_IN_PAGE.search(page)

    assert token is not None
    assert "csrftoken" in visitor.cookies
    response = visitor.post(
        "/i18n/setlang/", {"language": "it", "next": "/", "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    # And the header htmx sends carries it too.
    assert f'"X-CSRFToken": "{token.group(1)}"' in page


def test_signed_in_members_get_their_own_page(anna: Associate) -> None:
    visit("/")
    member = Client()
    member.force_login(UserFactory.create())

    assert "Your account" in visit("/", member)
    assert "Your account" not in visit("/")


def test_a_visitor_with_a_message_or_a_session_gets_their_own_page(anna: Associate) -> None:
    visit("/")
    member = Client()
    member.force_login(UserFactory.create())
    signed_out = member.post("/accounts/logout/", follow=True)

    assert CookieStorage.cookie_name in member.cookies
    assert "You have signed out." in signed_out.content.decode()

    with_session = Client()
    with_session.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    with CaptureQueriesContext(connection) as queries:
        visit("/", with_session)
    assert queries.captured_queries  # the session was looked up: rendered for this visitor


def test_page_fragment_and_language_are_cached_apart(anna: Associate) -> None:
    page = visit("/associates/?q=anna")
    fragment = visit("/associates/?q=anna", headers=HTMX)
    italian = visit("/associates/?q=anna", headers={"Accept-Language": "it"})
    repeated = Client().get("/associates/?q=anna", headers=HTMX)

    assert "<html" in page
    assert "<html" not in fragment
    assert repeated.content.decode() == fragment
    assert repeated["HX-Push-Url"] == "/associates/?q=anna"
    assert "1 professionista" in italian
    assert "1 professional" in visit("/associates/?q=anna")


def test_a_profile_change_shows_to_the_next_visitor(
    anna: Associate, django_capture_on_commit_callbacks
) -> None:
    assert "Anna Rossi" in visit("/associates/anna-rossi/")
    with django_capture_on_commit_callbacks(execute=True):
        update_associate_profile(associate=anna, by=anna.user, bio="Tape echoes and warm pianos.")

    assert "Tape echoes and warm pianos." in visit("/associates/anna-rossi/")


def test_a_portfolio_item_shows_to_the_next_visitor(
    anna: Associate, django_capture_on_commit_callbacks
) -> None:
    visit("/associates/anna-rossi/")
    with django_capture_on_commit_callbacks(execute=True):
        PortfolioItem.objects.create(
            owner=anna.user,
            profile_kind=ProfileKind.ASSOCIATE,
            kind=PortfolioItem.Kind.LINK,
            title="Live at the Blue Room",
            url="https://example.com/live",
        )

    assert "Live at the Blue Room" in visit("/associates/anna-rossi/")


def test_a_release_shows_to_the_next_visitor(
    luna: Artist, django_capture_on_commit_callbacks
) -> None:
    path = f"/artists/{luna.slug}/"
    visit(path)
    with django_capture_on_commit_callbacks(execute=True):
        Release.objects.create(artist=luna, title="Night Ferry", release_date=date(2026, 5, 1))

    assert "Night Ferry" in visit(path)


def test_a_signing_to_the_roster_shows_to_the_next_visitor(
    luna: Artist, label_admin: User, django_capture_on_commit_callbacks
) -> None:
    path = f"/artists/{luna.slug}/"
    assert "Signed to MyLabel" not in visit(path)
    with django_capture_on_commit_callbacks(execute=True):
        set_roster_status(artist=luna, by=label_admin, on_roster=True)

    assert "Signed to MyLabel" in visit(path)


def test_errors_are_not_cached(anna: Associate) -> None:
    assert Client().get("/associates/nobody/").status_code == 404
    with CaptureQueriesContext(connection) as queries:
        assert Client().get("/associates/nobody/").status_code == 404

    assert queries.captured_queries


def test_with_the_cache_down_pages_still_answer(anna: Associate, settings, caplog) -> None:
    settings.CACHES = BROKEN_CACHE

    for _ in range(2):
        assert "Anna Rossi" in visit("/associates/anna-rossi/")
    assert "Public pages cache" in caplog.text


def test_a_zero_lifetime_turns_the_cache_off(anna: Associate, settings) -> None:
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    visit("/associates/anna-rossi/")
    with CaptureQueriesContext(connection) as queries:
        visit("/associates/anna-rossi/")

    assert queries.captured_queries


def test_one_transaction_forgets_the_pages_once(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        forget_public_pages()
        forget_public_pages()

    assert len(callbacks) == 1
