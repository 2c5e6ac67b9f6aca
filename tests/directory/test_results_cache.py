"""The directories' results region is cached rendered (mylabel/core/directory.py): a repeated
search costs no query on the profiles, and every write a card shows is seen by the very next
request, in each language, also with the cache down."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mylabel.accounts.models import User
from mylabel.artists.services import update_artist_profile
from mylabel.associates.models import Associate
from mylabel.associates.services import add_service, update_associate_profile
from mylabel.core.directory import forget_directory_results
from mylabel.reviews.services import refresh_rating
from tests.directory.factories import genre, make_artist, make_associate
from tests.reviews.factories import ReviewFactory
from tests.reviews.test_cache import BROKEN_CACHE

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _whole_pages_not_cached(settings) -> None:
    """These are about the results region's own cache: the whole-page cache for visitors
    (tests/core/test_page_cache.py) would answer the repeated requests before it."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def anna() -> Associate:
    return make_associate("Anna Rossi", professions=["producer"], city="Milan")


def profile_queries(client: Client, path: str, **headers: str) -> tuple[str, int]:
    """The page's HTML and how many of its queries read the profiles' table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    reads = sum('"associates_associate"' in query["sql"] for query in queries.captured_queries)
    return response.content.decode(), reads


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "fragment"])
@pytest.mark.parametrize("path", ["/associates/?q=anna", "/associates/?city=Milan"])
def test_a_repeated_search_reads_no_profile(anna: Associate, path: str, headers: dict[str, str]):
    client = Client()
    first, first_reads = profile_queries(client, path, **headers)
    second, second_reads = profile_queries(client, path, **headers)

    assert first_reads >= 1
    assert second_reads == 0
    assert "Anna Rossi" in first
    assert "Anna Rossi" in second


def test_page_and_fragment_are_cached_apart(anna: Associate):
    client = Client()
    page = client.get("/associates/?q=anna").content.decode()
    fragment = client.get("/associates/?q=anna", headers=HTMX)

    assert "<html" in page
    assert "<html" not in fragment.content.decode()
    assert 'hx-swap-oob="innerHTML"' in fragment.content.decode()
    assert fragment["HX-Push-Url"] == "/associates/?q=anna"


def test_languages_are_cached_apart(anna: Associate):
    english = Client().get("/associates/?q=anna", headers={"Accept-Language": "en"})
    italian = Client().get("/associates/?q=anna", headers={"Accept-Language": "it"})

    assert "1 professional" in english.content.decode()
    assert "1 professionista" in italian.content.decode()


def rename(associate: Associate) -> str:
    update_associate_profile(associate=associate, by=associate.user, display_name="Anna Bianchi")
    return "Anna Bianchi"


def add_genre(associate: Associate) -> str:
    associate.genres.add(genre("jazz"))
    return "Jazz"


def add_priced_service(associate: Associate) -> str:
    add_service(
        associate=associate,
        by=associate.user,
        name="Mixing",
        duration_minutes=60,
        price=Decimal("180.00"),
    )
    return "180"


def rate(associate: Associate) -> str:
    refresh_rating(ReviewFactory.create(associate=associate, rating=4))
    return "4.0"


@pytest.mark.parametrize("change", [rename, add_genre, add_priced_service, rate])
def test_a_change_to_a_card_shows_on_the_next_request(
    anna: Associate, change: Callable[[Associate], str], django_capture_on_commit_callbacks
):
    client = Client()
    # The fragment: the results region alone (the page's filters name every genre).
    before = client.get("/associates/?city=Milan", headers=HTMX).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        shown = change(anna)
    after = client.get("/associates/?city=Milan", headers=HTMX).content.decode()

    assert shown not in before
    assert shown in after


def test_a_deactivated_account_leaves_the_directory_at_once(
    anna: Associate, django_capture_on_commit_callbacks
):
    client = Client()
    assert "Anna Rossi" in client.get("/associates/").content.decode()
    user: User = anna.user
    user.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        user.save()

    assert "Anna Rossi" not in client.get("/associates/").content.decode()


def test_a_log_in_keeps_the_cached_results(anna: Associate, django_capture_on_commit_callbacks):
    """A log-in saves the account's last_login, which no card shows."""
    client = Client()
    client.get("/associates/?q=anna")
    with django_capture_on_commit_callbacks(execute=True):
        anna.user.save(update_fields=["last_login"])

    assert profile_queries(client, "/associates/?q=anna")[1] == 0


def test_an_artist_renamed_shows_at_once(django_capture_on_commit_callbacks):
    artist = make_artist("Luna Park", city="Turin")
    client = Client()
    assert "Luna Park" in client.get("/artists/?city=Turin").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        update_artist_profile(artist=artist, by=artist.user, stage_name="Luna Nueva")

    page = client.get("/artists/?city=Turin").content.decode()
    assert "Luna Nueva" in page
    assert "Luna Park" not in page


@pytest.mark.parametrize("query", ["?genre=no-such-genre", "?page=999", "?page=two"])
def test_a_problem_is_explained_every_time(anna: Associate, query: str):
    """Regions with a problem to explain are never cached: each answer says what was ignored."""
    client = Client()
    pages = [client.get(f"/associates/{query}").content.decode() for _ in range(2)]

    for page in pages:
        assert 'class="alert alert--error"' in page
        assert "Anna Rossi" in page


def test_with_the_cache_down_the_directory_still_answers(anna: Associate, settings, caplog):
    settings.CACHES = BROKEN_CACHE

    for _ in range(2):
        response = Client().get("/associates/?q=anna")
        assert response.status_code == 200
        assert "Anna Rossi" in response.content.decode()
    assert "Directory results cache" in caplog.text


def test_one_transaction_forgets_the_results_once(
    anna: Associate, django_capture_on_commit_callbacks
):
    """A profile saved with its genres and search columns asks several times; one delete at the
    commit is enough, unless an inner savepoint may still roll back the first ask."""
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        forget_directory_results()
        update_associate_profile(associate=anna, by=anna.user, display_name="Anna Bianchi")
        forget_directory_results()
        with transaction.atomic():
            forget_directory_results()  # queued outside this savepoint: already covered

    assert len(callbacks) == 1

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with transaction.atomic():
            forget_directory_results()
            transaction.set_rollback(True)
        forget_directory_results()  # the one above was rolled back with its savepoint

    assert len(callbacks) == 1


def test_a_zero_lifetime_turns_the_cache_off(anna: Associate, settings):
    settings.DIRECTORY_RESULTS_CACHE_SECONDS = 0
    client = Client()
    profile_queries(client, "/associates/?q=anna")

    assert profile_queries(client, "/associates/?q=anna")[1] >= 1


# --- Cards, cached one by one -------------------------------------------------------------------


def card_of(html: str, name: str) -> str:
    """The <article> of ``name``'s card in a page."""
    start = html.index("<article", html.index(name) - 600)
    return html[start : html.index("</article>", start) + len("</article>")]


def prefetches(queries: CaptureQueriesContext) -> list[str]:
    """The queries that read the cards' genres and professions."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if "_prefetch_related_val_associate_id" in query["sql"]
    ]


def test_a_card_shown_by_other_filters_is_not_rendered_again(anna: Associate):
    client = Client()
    by_city = client.get("/associates/?city=Milan", headers=HTMX).content.decode()
    with CaptureQueriesContext(connection) as queries:
        by_profession = client.get("/associates/?profession=producer", headers=HTMX)

    assert by_profession.status_code == 200
    # Another results region, so the rows are read; the card is the one cached by the first.
    assert sum('"associates_associate"' in q["sql"] for q in queries.captured_queries) >= 1
    assert prefetches(queries) == []
    assert card_of(by_profession.content.decode(), "Anna Rossi") == card_of(by_city, "Anna Rossi")


def test_only_the_cards_not_cached_are_rendered(anna: Associate):
    client = Client()
    client.get("/associates/?city=Milan", headers=HTMX)
    bruno = make_associate("Bruno Verdi", professions=["producer"], genres=["jazz"], city="Rome")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/associates/?profession=producer", headers=HTMX).content.decode()

    assert "Anna Rossi" in html
    assert "Jazz" in card_of(html, "Bruno Verdi")
    assert prefetches(queries), "Bruno's card needs his genres and professions"
    for sql in prefetches(queries):
        assert f"IN ({bruno.pk})" in sql


def test_cards_are_cached_in_each_language(anna: Associate):
    Client().get("/associates/?city=Milan", headers={"Accept-Language": "en"})
    italian = Client().get("/associates/?profession=producer", headers={"Accept-Language": "it"})

    assert "Di base a" in card_of(italian.content.decode(), "Anna Rossi")
