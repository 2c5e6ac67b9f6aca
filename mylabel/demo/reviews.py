"""Reviews between the demo accounts (issue 5 point 11), so profiles and directory cards show
ratings, the review lists have something to filter and the moderation queue is not empty.

Every review is written with ``reviews.services.submit_review`` on a completed booking, so
eligibility, the verified badge, the double-blind publication (both sides review, both
publish), the profiles' ratings and the sentiment task are the real ones; replies and reports go
through ``reply_to_review`` and ``report_review``.

The bookings: the two completed ones of ``demo.bookings`` (Nina and Giulia with Marco) plus one
per ``STORIES`` entry, built like ``demo.bookings`` does (requested on a free slot in the
coming days, accepted, paid, moved back by whole weeks, completed at the real ``now``). A review
can only be written within the window after completion, so everything is written now and then
moved back with ``update()``: the completion to just after the session, the reviews a day or two
later, the reply after that. The result reads like a few months of history, newest first.

Giulia's review of Marco stays blind (Marco has not answered it, and its window is left open):
log in as associate@example.com to see the booking page invite him to review her.

Idempotent: nothing is added once Marco (associate@example.com) has reviews.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import F
from django.utils import timezone

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service
from mylabel.bookings import services as bookings
from mylabel.bookings.models import Booking, BookingEvent, Status
from mylabel.bookings.slots import available_slots
from mylabel.demo.bookings import DemoBooking, demo_service, play_booking
from mylabel.reviews import services as reviews
from mylabel.reviews.eligibility import review_eligibility
from mylabel.reviews.models import Report, Review

NINA = "artist@example.com"
MARCO = "associate@example.com"
GIULIA = "both@example.com"
ONE_WEEK = timedelta(weeks=1)
SEARCH_DAYS = 21


@dataclass(frozen=True)
class DemoReview:
    """One side's review: overall stars, text and the criteria that differ from the overall
    stars (every other criterion the review asks for gets the overall stars)."""

    stars: int
    text: str
    criteria: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoReport:
    reporter: str  # e-mail
    reason: Report.Reason
    details: str = ""


@dataclass(frozen=True)
class Story:
    """A completed booking and what both sides said about it."""

    artist: str  # e-mail of the artist (who reviews the professional)
    associate: str  # e-mail of the professional
    weeks_ago: int  # how long ago the session was
    by_artist: DemoReview | None  # the artist's review of the professional
    by_associate: DemoReview | None  # the professional's review of the artist
    reply: str = ""  # the professional's reply to the artist's review
    reports: tuple[DemoReport, ...] = ()
    service: int = 0  # index in the professional's services, by pk
    # Only a blind review keeps its real dates: its window must stay open to stay blind.
    keep_dates: bool = False


def artist(number: int) -> str:
    return f"demo-artist-{number:02d}@example.com"


def pro(number: int) -> str:
    return f"demo-pro-{number:02d}@example.com"


# The two completed bookings of ``demo.bookings``, found by their people.
EXISTING = [
    Story(
        NINA,
        MARCO,
        weeks_ago=0,
        by_artist=DemoReview(
            5,
            "Marco made 'Low Tide' sound like the room I wrote it in. He listened to the demo "
            "before touching anything, kept the nylon guitar up front and sent the first mix a "
            "day early. Two rounds of notes, answered within hours.",
            {"punctuality": 5, "value": 4},
        ),
        by_associate=DemoReview(
            5,
            "Nina arrived with labelled stems, a reference track and clear notes. A pleasure to "
            "work with: decisive, kind, and always on time for the listening sessions.",
        ),
        reply="Thank you Nina! Looking forward to the album.",
    ),
    Story(
        GIULIA,
        MARCO,
        weeks_ago=0,
        by_artist=DemoReview(
            4,
            "Solid master for the single, warm low end and the vocal sits right. It took a bit "
            "longer than planned, but Marco kept me posted all along.",
            {"punctuality": 3},
        ),
        by_associate=None,
        service=1,
        keep_dates=True,
    ),
]

STORIES = [
    Story(
        artist(2),  # I Cani Sciolti
        MARCO,
        weeks_ago=9,
        by_artist=DemoReview(
            5,
            "Marco ha capito subito il suono che cercavamo: chitarre sporche ma voce chiara. "
            "Preciso, gentilissimo e puntuale con le consegne. Lo consigliamo a tutte le band.",
        ),
        by_associate=DemoReview(
            4,
            "Band preparatissima e piena di energia. Unico appunto: arrivare con i pezzi già "
            "arrangiati avrebbe fatto risparmiare qualche ora.",
            {"punctuality": 3},
        ),
        reply="Grazie ragazzi, è stato un piacere! Ci vediamo per il disco.",
    ),
    Story(
        artist(3),  # Sara Ketty
        MARCO,
        weeks_ago=7,
        by_artist=DemoReview(
            4,
            "Great mix and a fair price. Communication was a little slow during the first week, "
            "then perfect. The strings finally breathe.",
            {"communication": 3, "value": 5},
        ),
        by_associate=DemoReview(5, "Sara knows exactly what she wants. Easy, fun sessions."),
    ),
    Story(
        artist(4),  # Tommaso Greco Trio
        MARCO,
        weeks_ago=5,
        by_artist=DemoReview(
            3,
            "The piano sound is beautiful and the room is great, but the final mixes came a week "
            "after the agreed date and we had to push the release.",
            {"quality": 5, "punctuality": 1, "communication": 3},
        ),
        by_associate=DemoReview(4, "Wonderful players; the trio recorded everything live."),
        reply=(
            "You are right about the delay, and I am sorry: the tape machine needed a repair. "
            "I now plan a spare week into every album mix."
        ),
        service=1,
    ),
    Story(
        artist(6),  # KAPPA.ZERO
        MARCO,
        weeks_ago=3,
        by_artist=DemoReview(
            2,
            "Not my vibe. He wanted real drums on a trap beat. If you want the full story call "
            "my manager Dario on 333 123 4567, he'll tell you everything about this guy.",
            {"quality": 2, "professionalism": 1, "value": 2},
        ),
        by_associate=DemoReview(
            3,
            "Talented writer, but the session started late and the brief changed twice.",
            {"punctuality": 2},
        ),
        reports=(
            DemoReport(
                MARCO,
                Report.Reason.PRIVATE,
                "It publishes a phone number, and the last sentence is a personal attack.",
            ),
            DemoReport(NINA, Report.Reason.ABUSIVE),
        ),
    ),
    Story(
        artist(1),  # Lume
        pro(2),  # Francesca Neri
        weeks_ago=6,
        by_artist=DemoReview(
            5,
            "Master perfetto: caldo, dinamico, niente di schiacciato. Francesca è precisa e "
            "velocissima, e spiega ogni scelta. La consiglio a chiunque faccia elettronica.",
        ),
        by_associate=DemoReview(5, "Files ready, clear references, very kind. Anytime."),
        reply="Grazie Chiara! Il vinile suonerà benissimo.",
    ),
    Story(
        artist(5),  # Verdemare
        pro(1),  # Luca Bellini
        weeks_ago=8,
        by_artist=DemoReview(
            4,
            "Luca was not scared of the harmonium at all. Honest about which song was not ready, "
            "which stung, but he was right.",
            {"value": 3},
        ),
        by_associate=DemoReview(4, "Lovely songs and a patient band."),
    ),
    Story(
        artist(3),  # Sara Ketty
        pro(3),  # Davide Russo
        weeks_ago=4,
        # Five stars on a furious text: the sentiment check flags it for the moderators.
        by_artist=DemoReview(
            5,
            "Terrible session. He showed up an hour late, was rude to the band and the takes "
            "were sloppy. A waste of money.",
        ),
        by_associate=DemoReview(4, "Good songs, and the band knew their parts."),
    ),
    Story(
        NINA,
        pro(4),  # Martina Conti
        weeks_ago=2,
        by_artist=DemoReview(
            5,
            "Three lessons and I can sing the whole set without losing my voice. Martina is "
            "warm, precise and always on time.",
        ),
        by_associate=DemoReview(
            5,
            "Nina prepares carefully between lessons and asks great questions.",
            {"communication": 4},
        ),
    ),
]


def seed_reviews() -> int:
    """Write the demo reviews; returns how many were written (0 when Marco already has reviews
    or the demo accounts are missing). Call after ``seed_bookings``."""
    users = {
        user.email: user
        for user in User.objects.filter(
            email__in={email for story in EXISTING + STORIES for email in _people(story)}
        )
    }
    if MARCO not in users or Review.objects.filter(associate__user=users[MARCO]).exists():
        return 0
    written = 0
    for story in EXISTING:
        booking = (
            Booking.objects.filter(
                artist__user__email=story.artist,
                associate__user__email=story.associate,
                status=Status.COMPLETED,
            )
            .order_by("-start")
            .first()
        )
        if booking is not None:
            written += _tell(story, booking, users)
    for story in STORIES:
        if not all(email in users for email in _people(story)):
            continue
        booking = _completed_booking(story)
        if booking is not None:
            written += _tell(story, booking, users)
    return written


def _people(story: Story) -> set[str]:
    return {story.artist, story.associate} | {report.reporter for report in story.reports}


def _completed_booking(story: Story) -> Booking | None:
    """A new booking between the story's artist and professional, completed ``weeks_ago``
    weeks back (by whole weeks, so it stays within the professional's opening hours)."""
    artist_profile = Artist.objects.filter(user__email=story.artist).first()
    associate = Associate.objects.select_related("user").filter(user__email=story.associate)
    professional = associate.first()
    if artist_profile is None or professional is None:
        return None
    service = demo_service(professional, story.service)
    if service is None:
        return None
    found = _past_slot(professional, service, story.weeks_ago)
    if found is None:
        return None
    start, shift = found
    booking = bookings.request_booking(artist=artist_profile, service=service, start=start)
    plan = DemoBooking(story.artist, story.associate, story.service, 0, Status.COMPLETED, True)
    play_booking(booking, plan, shift)
    return booking if booking.status == Status.COMPLETED else None


def _past_slot(
    associate: Associate, service: Service, weeks_ago: int
) -> tuple[datetime, timedelta] | None:
    """The first free slot of the coming days whose start, moved back by whole weeks to about
    ``weeks_ago`` weeks before today, overlaps none of the professional's past bookings; with
    how far it moves."""
    zone = ZoneInfo(associate.user.time_zone)
    now = datetime.now(zone)
    buffer = timedelta(minutes=associate.buffer_minutes)
    taken = list(
        Booking.objects.filter(associate=associate, start__lt=now).values_list(
            "start", "blocked_until"
        )
    )
    for offset in range(1, SEARCH_DAYS):
        day = now.date() + timedelta(days=offset)
        for slot in available_slots(associate=associate, service=service, day=day, tz=zone):
            weeks = max(weeks_ago, (slot.start - now) // ONE_WEEK + 1)
            shift = ONE_WEEK * weeks
            start, end = slot.start - shift, slot.end - shift + buffer
            if not any(start < taken_end and taken_start < end for taken_start, taken_end in taken):
                return slot.start, shift
    return None


def _tell(story: Story, booking: Booking, users: dict[str, User]) -> int:
    """Write the story's reviews, reply and reports on ``booking``; returns how many reviews
    were written. A side whose window is closed (an old database) is skipped."""
    written: dict[str, Review] = {}
    sides = ((story.by_artist, story.artist), (story.by_associate, story.associate))
    for demo_review, email in sides:
        if demo_review is None:
            continue
        author = users[email]
        eligibility = review_eligibility(booking=booking, user=author)
        if not eligibility.allowed:
            continue
        written[email] = reviews.submit_review(
            booking=booking,
            author=author,
            rating=demo_review.stars,
            text=demo_review.text,
            criteria={
                criterion.slug: demo_review.criteria.get(criterion.slug, demo_review.stars)
                for criterion in eligibility.criteria
            },
        )
    for review in written.values():
        # The second review publishes the first one too, in the database only.
        review.refresh_from_db()
    of_professional = written.get(story.artist)
    if of_professional is not None and of_professional.published_at is not None:
        if story.reply:
            reviews.reply_to_review(
                review=of_professional, by=users[story.associate], text=story.reply
            )
        for report in story.reports:
            reviews.report_review(
                review=of_professional,
                by=users[report.reporter],
                reason=report.reason,
                details=report.details,
            )
    if not story.keep_dates:
        _move_into_the_past(booking, list(written.values()))
    return len(written)


def _move_into_the_past(booking: Booking, written: list[Review]) -> None:
    """Date the completion just after the session, each review a day later than the one
    before it, publication with the second one and the reply a day after; never later than
    now (a session of the last few days keeps its real dates at the end)."""
    now = timezone.now()

    def at(moment: datetime) -> datetime:
        return min(moment, now)

    completed = at(booking.end + timedelta(hours=2))
    BookingEvent.objects.filter(booking=booking, to_status=Status.COMPLETED).update(
        created_at=completed
    )
    published = at(completed + timedelta(days=len(written)))
    for number, review in enumerate(written, start=1):
        created = at(completed + timedelta(days=number))
        Review.objects.filter(pk=review.pk).update(
            created_at=created,
            updated_at=created,
            published_at=published if review.published_at else None,
            window_closes_at=F("window_closes_at") - (now - completed),
            replied_at=at(published + timedelta(days=1)) if review.replied_at else None,
        )
        Report.objects.filter(review=review).update(created_at=at(published + timedelta(days=2)))
