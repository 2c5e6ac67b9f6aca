"""Demo data: the signing records of the demo artists already on the roster."""

from datetime import timedelta

from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.artists.models import Artist

from .models import Signing
from .services import sign_artist

DEMO_NOTE = "Signed after the showcase; first EP planned with the label's producers."


def sign_demo_artists(*, by: User) -> int:
    """Give every artist on the roster without a signing record one (``seed_demo`` puts demo
    artists on the roster first); returns how many were recorded. Safe to run again."""
    today = timezone.localdate()
    unsigned = (
        Artist.objects.filter(is_on_roster=True)
        .exclude(pk__in=Signing.objects.current().values("artist"))
        .order_by("stage_name", "pk")
    )
    recorded = 0
    for index, artist in enumerate(unsigned):
        sign_artist(
            artist=artist,
            by=by,
            start_date=today - timedelta(days=90 + 45 * index),
            notes=DEMO_NOTE,
        )
        recorded += 1
    return recorded
