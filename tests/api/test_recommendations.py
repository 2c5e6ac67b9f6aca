"""``GET /api/v1/me/recommendations/``: the signed-in artist's suggestions (issue 9)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.recommendations.models import Recommendation
from mylabel.recommendations.services import refresh_recommendations
from tests.api.helpers import assert_error
from tests.profile_factories import ArtistFactory
from tests.recommendations.helpers import scene
from tests.recommendations.test_pages import recommend

pytestmark = pytest.mark.django_db

URL = reverse("api:my-recommendations")


def test_an_artist_gets_targets_scores_and_reasons(
    artist_api: APIClient, nina: Artist, marco: Associate
):
    setting = scene(nina, marco)
    refresh_recommendations()

    response = artist_api.get(URL, {"kind": "associate"})

    assert response.status_code == 200
    body = response.json()
    first = body["results"][0]
    assert set(first) == {
        "kind",
        "rank",
        "score",
        "target",
        "reason",
        "reason_facts",
        "computed_at",
    }
    assert first["kind"] == "associate"
    assert first["rank"] == 1
    assert 0 < first["score"] <= 1
    assert first["target"]["slug"] in {setting.next_up.slug, marco.slug}
    assert first["target"]["url"].startswith("/associates/")
    assert "artists like you" in first["reason"]
    assert first["reason_facts"]["similar_artists"] == 2
    assert setting.booked.slug not in {row["target"]["slug"] for row in body["results"]}


def test_the_kind_filter_and_its_bad_values(artist_api: APIClient, nina: Artist):
    recommend(nina, 2)

    artists = artist_api.get(URL, {"kind": "artist"}).json()["results"]
    both = artist_api.get(URL).json()

    assert [row["kind"] for row in artists] == ["artist", "artist"]
    assert artists[0]["target"]["headline"] == ""
    assert both["count"] == 4
    assert_error(artist_api.get(URL, {"kind": "label"}), 400, fields=["kind"])


def test_an_artist_before_the_first_refresh_gets_an_empty_list(artist_api: APIClient, nina):
    assert artist_api.get(URL).json()["results"] == []


def test_anonymous_callers_are_asked_to_sign_in(api_client: APIClient):
    assert_error(api_client.get(URL), 401)


@pytest.mark.parametrize("persona", ["associate_api", "stranger_api", "admin_api"])
def test_accounts_without_an_artist_profile_are_refused_with_a_reason(
    request: pytest.FixtureRequest, persona: str
):
    body = assert_error(request.getfixturevalue(persona).get(URL), 403, code="not_an_artist")

    assert "artist profile" in body["detail"]


def test_only_reading_is_allowed(artist_api: APIClient, nina: Artist):
    recommend(nina, 1)

    assert_error(artist_api.post(URL, {}, format="json"), 405)
    assert Recommendation.objects.count() == 2


def test_another_artists_rows_are_never_listed(api_as, nina: Artist):
    recommend(nina, 1)
    other = ArtistFactory.create()

    assert api_as(other.user).get(URL).json()["results"] == []


@pytest.mark.parametrize("rows", [1, 25], ids=["1-row", "50-rows"])
def test_the_list_has_a_fixed_query_budget(
    artist_api: APIClient, nina: Artist, django_assert_num_queries, rows: int
):
    """The token (1; its last use is stamped at most once a minute, by the warm-up call), the
    artist check (1), the count and the page's rows with their targets (2)."""
    recommend(nina, rows)
    artist_api.get(URL)  # the token's last-use stamp is written once a minute

    with django_assert_num_queries(4):
        response = artist_api.get(URL, {"page_size": 50})

    assert len(response.json()["results"]) == 2 * rows
