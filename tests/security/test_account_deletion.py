"""Deleting an account (DESIGN.md §2.1, issue 10 point 9): the person's data is anonymised,
other people's history (conversations, reviews and the ratings they make, bookings, payments)
stays intact."""

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from mylabel.accounts.deletion import delete_account, deleted_email
from mylabel.accounts.models import User
from mylabel.api.models import ApiToken
from mylabel.api.services import create_api_token
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate
from mylabel.bookings.models import Booking, CalendarFeed, Status
from mylabel.messaging.services import send_message, start_direct_conversation
from mylabel.notifications.models import PushSubscription
from mylabel.payments.models import Payment
from mylabel.reviews.services import refresh_rating
from tests.factories import DEFAULT_PASSWORD
from tests.reviews.factories import ReviewFactory, completed_booking

pytestmark = pytest.mark.django_db

DELETE_URL = "/account/delete/"
LOGIN_URL = "/accounts/login/"


def test_the_delete_page_has_the_agreed_address_and_is_linked_from_the_settings(artist_client):
    assert reverse("account_delete") == DELETE_URL
    assert DELETE_URL in artist_client.get("/account/settings/").content.decode()
    page = artist_client.get(DELETE_URL)
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    for response in (client.get(DELETE_URL), client.post(DELETE_URL, {"password": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN_URL)


def test_a_wrong_password_is_refused_clearly_and_changes_nothing(artist_client, artist):
    response = artist_client.post(DELETE_URL, {"password": "not-it"})
    assert response.status_code == 400
    assert "not your current password" in response.content.decode()
    artist.refresh_from_db()
    assert artist.is_active
    assert artist.email == "nina@example.com"
    assert artist.check_password(DEFAULT_PASSWORD)


def test_deleting_anonymises_the_account_and_everything_personal(
    client, artist: User, nina: Artist
):
    assert EmailAddress.objects.filter(user=artist).exists()  # allauth's, from the sign-up
    create_api_token(user=artist, name="script")
    CalendarFeed.objects.create(user=artist)
    PushSubscription.objects.create(
        user=artist, endpoint="https://push.example.com/1", p256dh="k", auth="a"
    )
    client.force_login(artist)

    response = client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    artist.refresh_from_db()
    assert artist.email == deleted_email(artist) == f"deleted-{artist.pk}@invalid"
    assert artist.name == "Former member"
    assert not artist.is_active
    assert not artist.has_usable_password()
    assert not artist.avatar
    assert not EmailAddress.objects.filter(user=artist).exists()
    assert not ApiToken.objects.filter(user=artist).exists()
    assert not CalendarFeed.objects.filter(user=artist).exists()
    assert not PushSubscription.objects.filter(user=artist).exists()
    nina.refresh_from_db()
    assert (nina.stage_name, nina.bio, nina.website_url) == ("Former member", "", "")
    # The session ended, the profile is gone from the site.
    assert client.get("/account/settings/").status_code == 302
    assert client.get(nina.get_absolute_url()).status_code == 404
    assert nina.slug not in client.get("/artists/").content.decode()


def test_the_deleted_account_cannot_log_in_and_its_old_address_can_sign_up_again(client, artist):
    delete_account(user=artist, password=DEFAULT_PASSWORD)
    response = client.post(LOGIN_URL, {"login": "nina@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="nina@example.com").exists()


def test_deleting_twice_is_impossible(artist):
    delete_account(user=artist, password=DEFAULT_PASSWORD)
    with pytest.raises(ValidationError, match="already been deleted"):
        delete_account(user=artist, password=DEFAULT_PASSWORD)


def test_the_other_side_still_reads_the_conversation_as_with_a_former_member(
    client, artist: User, associate: User
):
    conversation = start_direct_conversation(user=artist, other=associate)
    send_message(conversation=conversation, sender=artist, body="Can you mix my EP?")
    send_message(conversation=conversation, sender=associate, body="Gladly, next week.")

    delete_account(user=artist, password=DEFAULT_PASSWORD)

    client.force_login(associate)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert "Can you mix my EP?" in page
    assert "Gladly, next week." in page
    assert "Former member" in page
    assert "Nina" not in page


def test_reviews_stay_and_still_count_in_the_professionals_rating(
    client, artist: User, nina: Artist, marco: Associate
):
    review = ReviewFactory.create(artist=nina, associate=marco, rating=4, text="Great ears.")
    refresh_rating(review)

    delete_account(user=artist, password=DEFAULT_PASSWORD)

    marco.refresh_from_db()
    assert (marco.rating_count, marco.rating_average) == (1, Decimal("4.00"))
    refresh_rating(review)  # recomputing from the reviews gives the same
    marco.refresh_from_db()
    assert marco.rating_count == 1
    page = client.get(f"/associates/{marco.slug}/reviews/").content.decode()
    assert "Great ears." in page
    assert "Former member" in page
    assert "Nina" not in page


def test_a_booking_in_progress_blocks_the_deletion_with_a_clear_message(
    artist_client, artist: User, nina: Artist, marco: Associate
):
    booking = completed_booking(nina, marco)
    Booking.objects.filter(pk=booking.pk).update(status=Status.PAID)

    response = artist_client.post(DELETE_URL, {"password": DEFAULT_PASSWORD})

    assert response.status_code == 400
    assert "bookings in progress" in response.content.decode()
    artist.refresh_from_db()
    assert artist.is_active
    assert Artist.objects.get(pk=nina.pk).stage_name != "Former member"


def test_finished_bookings_and_their_payments_are_kept_untouched(
    artist: User, nina: Artist, marco: Associate
):
    booking = completed_booking(nina, marco)
    payment = Payment.objects.create(
        gateway="offline",
        payer=artist,
        payee=marco.user,
        description="Mixing",
        amount=Decimal("200.00"),
        status=Payment.Status.SUCCEEDED,
    )
    Booking.objects.filter(pk=booking.pk).update(payment=payment)

    delete_account(user=artist, password=DEFAULT_PASSWORD)

    booking.refresh_from_db()
    payment.refresh_from_db()
    assert (booking.status, booking.price, booking.payment_id) == (
        Status.COMPLETED,
        Decimal("200.00"),
        payment.pk,
    )
    assert (payment.status, payment.amount, payment.payer_id) == (
        Payment.Status.SUCCEEDED,
        Decimal("200.00"),
        artist.pk,
    )


def test_the_api_deletes_the_account_and_its_token_stops_working(artist: User):
    _token, key = create_api_token(user=artist, name="script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    wrong = api.delete("/api/v1/me/", {"password": "nope"}, format="json")
    assert wrong.status_code == 400
    assert "not your current password" in str(wrong.json())
    artist.refresh_from_db()
    assert artist.is_active

    assert (
        api.delete("/api/v1/me/", {"password": DEFAULT_PASSWORD}, format="json").status_code == 204
    )
    artist.refresh_from_db()
    assert not artist.is_active
    assert api.get("/api/v1/me/").status_code in {401, 403}
