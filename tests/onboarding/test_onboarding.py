"""Onboarding (issue 3 §1): choose artist, professional or both, fill the essentials, and add the
other profile later."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.onboarding import views as onboarding_views
from mylabel.onboarding.profiles import UserProfiles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START, ARTIST, PROFESSIONAL, BOTH, MINE = (
    "/welcome/",
    "/welcome/artist/",
    "/welcome/professional/",
    "/welcome/both/",
    "/welcome/me/",
)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [START, ARTIST, PROFESSIONAL, BOTH, MINE])
def test_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_anonymous_post_creates_nothing(client, artist_data):
    response = client.post(ARTIST, artist_data)
    assert response.status_code == 302
    assert not Artist.objects.exists()


def test_the_choice_page_does_not_accept_posts(newcomer_client):
    assert newcomer_client.post(START).status_code == 405


# --- The choice ---------------------------------------------------------------------------------


def test_a_new_member_chooses_artist_professional_or_both(newcomer_client):
    response = newcomer_client.get(START)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Welcome, Nova Reyes" in content
    for url in (ARTIST, PROFESSIONAL, BOTH):
        assert f'href="{url}"' in content
    assert "css/onboarding.css" in content


def test_each_form_page_shows_only_its_profile(newcomer_client):
    artist_page = newcomer_client.get(ARTIST).content.decode()
    assert 'name="artist-stage_name"' in artist_page
    assert 'name="pro-headline"' not in artist_page

    professional_page = newcomer_client.get(PROFESSIONAL).content.decode()
    assert 'name="pro-headline"' in professional_page
    assert 'name="artist-stage_name"' not in professional_page

    both_page = newcomer_client.get(BOTH).content.decode()
    assert 'name="artist-stage_name"' in both_page
    assert 'name="pro-headline"' in both_page
    assert 'name="artist-city"' in both_page
    assert 'name="pro-city"' not in both_page


def test_names_are_prefilled_from_the_display_name(newcomer_client):
    content = newcomer_client.get(BOTH).content.decode()
    assert 'name="artist-stage_name" value="Nova Reyes"' in content
    assert 'name="pro-display_name" value="Nova Reyes"' in content


def test_every_checkbox_is_labelled_and_grouped(newcomer_client):
    content = newcomer_client.get(BOTH).content.decode()
    assert content.count("<fieldset") == 3  # artist genres, professions, professional genres
    assert '<legend class="choice-group__legend">What you do</legend>' in content
    assert 'for="id_artist-genres_0"' in content
    assert 'id="id_artist-genres_0"' in content


# --- Creating profiles --------------------------------------------------------------------------


def test_artist_onboarding_creates_the_artist_profile(newcomer_client, newcomer, artist_data):
    response = newcomer_client.post(ARTIST, artist_data)

    artist = Artist.objects.get(user=newcomer)
    assert response.status_code == 302
    assert response["Location"] == artist.get_absolute_url()
    assert artist.stage_name == "Nova Reyes"
    assert artist.slug == "nova-reyes"
    assert (artist.city, str(artist.country)) == ("Torino", "IT")
    assert set(artist.genres.values_list("slug", flat=True)) == {"indie", "electronic"}
    assert "nova reyes" in Artist.objects.get(pk=artist.pk).search_text
    assert not Associate.objects.exists()
    assert messages_of(response) == ["Welcome to MyLabel! Your artist profile is live."]


def test_professional_onboarding_creates_the_professional_profile(
    newcomer_client, newcomer, professional_data
):
    response = newcomer_client.post(PROFESSIONAL, professional_data)

    associate = Associate.objects.get(user=newcomer)
    assert response["Location"] == associate.get_absolute_url()
    assert associate.display_name == "Nova Reyes Studio"
    assert associate.headline == "Mixing engineer for indie and electronic records"
    assert associate.works_remotely
    assert set(associate.professions.values_list("slug", flat=True)) == {
        "mixing-engineer",
        "producer",
    }
    assert list(associate.genres.values_list("slug", flat=True)) == ["indie"]
    assert not Artist.objects.exists()
    assert messages_of(response) == ["Welcome to MyLabel! Your professional profile is live."]


def test_works_remotely_defaults_to_no(newcomer_client, newcomer, professional_data):
    del professional_data["pro-works_remotely"]
    newcomer_client.post(PROFESSIONAL, professional_data)
    assert not Associate.objects.get(user=newcomer).works_remotely


def test_both_creates_both_profiles_and_opens_the_artist_one(
    newcomer_client, newcomer, artist_data, professional_data
):
    del professional_data["pro-city"], professional_data["pro-country"]
    response = newcomer_client.post(BOTH, {**artist_data, **professional_data})

    artist = Artist.objects.get(user=newcomer)
    associate = Associate.objects.get(user=newcomer)
    assert response["Location"] == artist.get_absolute_url()
    # City and country are asked once and shared.
    assert (associate.city, str(associate.country)) == ("Torino", "IT")
    assert messages_of(response) == [
        "Welcome to MyLabel! Your artist and professional profiles are live."
    ]


def test_a_taken_stage_name_gets_its_own_address(
    newcomer_client, newcomer, artist_data, give_artist_profile
):
    give_artist_profile(UserFactory(), stage_name="Nova Reyes")
    newcomer_client.post(ARTIST, artist_data)
    assert Artist.objects.get(user=newcomer).slug == "nova-reyes-2"


def test_html_in_a_name_is_stored_as_plain_text(newcomer_client, newcomer, artist_data):
    artist_data["artist-stage_name"] = "<b>Nova</b>"
    newcomer_client.post(ARTIST, artist_data)
    assert Artist.objects.get(user=newcomer).stage_name == "<b>Nova</b>"


# --- Adding the other profile later -------------------------------------------------------------


def test_an_artist_is_offered_only_the_professional_profile(
    newcomer_client, newcomer, give_artist_profile
):
    give_artist_profile(newcomer)

    assert newcomer_client.get(START)["Location"] == PROFESSIONAL
    assert newcomer_client.get(BOTH)["Location"] == START
    again = newcomer_client.get(ARTIST)
    assert again["Location"] == START
    assert messages_of(again) == ["You already have an artist profile."]

    page = newcomer_client.get(PROFESSIONAL)
    assert page.status_code == 200
    assert b"One more profile" in page.content
    assert b'name="artist-stage_name"' not in page.content


def test_an_artist_adds_a_professional_profile_later(
    newcomer_client, newcomer, give_artist_profile, professional_data
):
    artist = give_artist_profile(newcomer)

    response = newcomer_client.post(PROFESSIONAL, professional_data)

    associate = Associate.objects.get(user=newcomer)
    assert response["Location"] == associate.get_absolute_url()
    assert Artist.objects.get(user=newcomer) == artist
    assert messages_of(response) == ["Your professional profile is live."]


def test_a_professional_adds_an_artist_profile_later(
    newcomer_client, newcomer, give_professional_profile, artist_data
):
    give_professional_profile(newcomer)
    assert newcomer_client.get(START)["Location"] == ARTIST
    again = newcomer_client.get(PROFESSIONAL, follow=True)
    assert again.redirect_chain == [(START, 302), (ARTIST, 302)]
    assert b"You already have a professional profile." in again.content

    response = newcomer_client.post(ARTIST, artist_data)

    assert response["Location"] == Artist.objects.get(user=newcomer).get_absolute_url()
    assert messages_of(response) == ["Your artist profile is live."]


@pytest.mark.parametrize("url", [START, ARTIST, PROFESSIONAL, BOTH])
def test_a_member_with_both_profiles_is_sent_to_their_profile(
    newcomer_client, newcomer, give_artist_profile, give_professional_profile, url
):
    artist = give_artist_profile(newcomer)
    give_professional_profile(newcomer)

    response = newcomer_client.get(url, follow=False)
    if response["Location"] == START:
        response = newcomer_client.get(START)
    assert response.status_code == 302
    assert response["Location"] == artist.get_absolute_url()


def test_posting_a_profile_that_exists_changes_nothing(
    newcomer_client, newcomer, give_artist_profile, artist_data
):
    artist = give_artist_profile(newcomer, stage_name="Original Name")

    response = newcomer_client.post(ARTIST, {**artist_data, "artist-stage_name": "Duplicate"})

    assert response.status_code == 302
    assert list(Artist.objects.filter(user=newcomer)) == [artist]
    artist.refresh_from_db()
    assert artist.stage_name == "Original Name"


def test_a_profile_created_meanwhile_is_reported_on_the_form(
    newcomer_client, newcomer, give_artist_profile, artist_data, monkeypatch
):
    # Two tabs: the page was loaded before the other tab created the profile, so the view's
    # own check passes and the service's duplicate check is what refuses.
    give_artist_profile(newcomer)
    monkeypatch.setattr(onboarding_views.UserProfiles, "of", classmethod(lambda cls, user: cls()))

    response = newcomer_client.post(ARTIST, artist_data)

    assert response.status_code == 200
    assert b"You already have an artist profile." in response.content
    assert Artist.objects.filter(user=newcomer).count() == 1


# --- "My profile" -------------------------------------------------------------------------------


def test_my_profile_leads_to_onboarding_without_a_profile(newcomer_client):
    assert newcomer_client.get(MINE)["Location"] == START


def test_my_profile_leads_to_the_artist_profile_first(
    newcomer_client, newcomer, give_artist_profile, give_professional_profile
):
    give_professional_profile(newcomer)
    associate_only = newcomer_client.get(MINE)["Location"]
    assert associate_only == Associate.objects.get(user=newcomer).get_absolute_url()

    artist = give_artist_profile(newcomer)
    assert newcomer_client.get(MINE)["Location"] == artist.get_absolute_url()


def test_the_navigation_links_to_my_profile_without_a_profile_query(newcomer_client):
    with CaptureQueriesContext(connection) as queries:
        response = newcomer_client.get("/")
    assert b'href="/welcome/me/"' in response.content
    assert b"My profile" in response.content
    # The home page's "Recommended for you" reads recommendations (joined to their artists),
    # not the visitor's profile.
    profile_queries = [
        query
        for query in queries
        if "artists_artist" in query["sql"] and "recommendations_" not in query["sql"]
    ]
    assert not profile_queries


def test_user_profiles_reads_both_profiles_in_one_query(
    newcomer, give_artist_profile, give_professional_profile, django_assert_num_queries
):
    give_artist_profile(newcomer)
    give_professional_profile(newcomer)
    with django_assert_num_queries(1):
        profiles = UserProfiles.of(newcomer)
    assert profiles.has_both
    assert profiles.artist_url == "/artists/nova-reyes/"
    assert profiles.associate_url == "/associates/nova-reyes-studio/"


def test_a_visitor_has_no_profiles():
    profiles = UserProfiles.of(AnonymousUser())
    assert not profiles.has_any
    assert profiles.home_url == START


def test_settings_page_offers_the_missing_profile(newcomer_client, newcomer, give_artist_profile):
    content = newcomer_client.get("/account/settings/").content.decode()
    assert f'href="{ARTIST}"' in content
    assert f'href="{PROFESSIONAL}"' in content
    assert "Add an artist profile" in content

    artist = give_artist_profile(newcomer)
    content = newcomer_client.get("/account/settings/").content.decode()
    assert f'href="{artist.get_absolute_url()}"' in content
    assert f'href="{ARTIST}"' not in content
    assert "Add a professional profile" in content


# --- Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field", ["artist-stage_name", "artist-city", "artist-country"], ids=lambda f: f[7:]
)
def test_a_missing_artist_field_is_reported_and_nothing_saved(newcomer_client, artist_data, field):
    artist_data[field] = "" if field.endswith("country") else "   "
    response = newcomer_client.post(ARTIST, artist_data)

    assert response.status_code == 200
    form = response.context["artist_form"]
    assert form.errors[field.removeprefix("artist-")] == ["This field is required."]
    assert b'role="alert"' in response.content
    assert not Artist.objects.exists()


@pytest.mark.parametrize(
    "field",
    ["pro-display_name", "pro-headline", "pro-city", "pro-country"],
    ids=lambda f: f[4:],
)
def test_a_missing_professional_field_is_reported_and_nothing_saved(
    newcomer_client, professional_data, field
):
    del professional_data[field]
    response = newcomer_client.post(PROFESSIONAL, professional_data)

    assert response.status_code == 200
    assert response.context["professional_form"].errors[field.removeprefix("pro-")]
    assert not Associate.objects.exists()


def test_a_professional_without_a_profession_is_refused(newcomer_client, professional_data):
    del professional_data["pro-professions"]
    response = newcomer_client.post(PROFESSIONAL, professional_data)

    assert response.status_code == 200
    assert response.context["professional_form"].errors["professions"] == [
        "Choose at least one profession."
    ]
    assert b"Choose at least one profession." in response.content
    assert not Associate.objects.exists()


# Past 64 bits: SQLite's driver raised OverflowError on them (mylabel/core/lookups.py).
@pytest.mark.parametrize(
    "bad_pk", ["99999", "rock", "-1", "99999999999999999999", "-99999999999999999999"]
)
def test_unknown_genres_are_refused(newcomer_client, artist_data, bad_pk):
    artist_data["artist-genres"] = [*artist_data["artist-genres"], bad_pk]
    response = newcomer_client.post(ARTIST, artist_data)

    assert response.status_code == 200
    assert response.context["artist_form"].errors["genres"] == [
        "One of the chosen genres is not on our list; pick again."
    ]
    assert not Artist.objects.exists()


def test_unknown_professions_are_refused(newcomer_client, professional_data):
    professional_data["pro-professions"] = ["424242"]
    response = newcomer_client.post(PROFESSIONAL, professional_data)
    assert response.context["professional_form"].errors["professions"]
    assert not Associate.objects.exists()


def test_too_many_genres_are_refused(newcomer_client, artist_data, genre_pks):
    artist_data["artist-genres"] = list(genre_pks.values())[:6]
    response = newcomer_client.post(ARTIST, artist_data)
    assert response.context["artist_form"].errors["genres"] == ["Choose at most 5 genres."]
    assert not Artist.objects.exists()


def test_an_unknown_country_is_refused(newcomer_client, artist_data):
    artist_data["artist-country"] = "XX"
    response = newcomer_client.post(ARTIST, artist_data)
    assert response.context["artist_form"].errors["country"]
    assert not Artist.objects.exists()


def test_an_overlong_headline_is_refused(newcomer_client, professional_data):
    professional_data["pro-headline"] = "x" * 161
    response = newcomer_client.post(PROFESSIONAL, professional_data)
    assert response.context["professional_form"].errors["headline"]
    assert not Associate.objects.exists()


def test_both_saves_nothing_when_one_form_is_invalid(
    newcomer_client, artist_data, professional_data
):
    del professional_data["pro-professions"]
    response = newcomer_client.post(BOTH, {**artist_data, **professional_data})

    assert response.status_code == 200
    assert response.context["artist_form"].is_valid()
    assert not response.context["professional_form"].is_valid()
    assert not Artist.objects.exists()
    assert not Associate.objects.exists()
    # What was typed stays in the form.
    assert b'value="Torino"' in response.content


def test_a_service_error_rolls_back_both_profiles(
    newcomer_client, newcomer, artist_data, professional_data, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"headline": "That headline is not allowed."})

    monkeypatch.setattr(onboarding_views, "create_associate_profile", refuse)

    response = newcomer_client.post(BOTH, {**artist_data, **professional_data})

    assert response.status_code == 200
    assert response.context["professional_form"].errors["headline"] == [
        "That headline is not allowed."
    ]
    assert not Artist.objects.filter(user=newcomer).exists()


def test_a_service_error_on_no_field_is_shown_above_the_form(
    newcomer_client, artist_data, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError({"slug": "Taken.", "__all__": "Try again."})

    monkeypatch.setattr(onboarding_views, "create_artist_profile", refuse)

    response = newcomer_client.post(ARTIST, artist_data)

    assert response.context["artist_form"].non_field_errors() == ["Taken.", "Try again."]
    assert b"Try again." in response.content


def test_onboarding_pages_follow_the_member_language(newcomer_client, newcomer):
    newcomer.language = "it"
    newcomer.save()
    response = newcomer_client.get(ARTIST)
    assert response.status_code == 200
    assert b'<html lang="it">' in response.content
