"""Services and opening hours for the demo professionals, so a newcomer can book right away.

Written through the associates' services like the rest of the demo; idempotent (an associate
that already has services, or weekly hours, is left as it is) and deterministic.
"""

from dataclasses import dataclass
from datetime import time
from decimal import Decimal

from mylabel.associates.availability import add_weekly_rule
from mylabel.associates.models import Associate, Service, WeeklyRule
from mylabel.associates.services import add_service


@dataclass(frozen=True)
class DemoService:
    name: str
    description: str
    price: str
    pricing_unit: str
    duration_minutes: int
    deposit_percent: int = 0


# What each craft sells, by profession name (first matching profession of the associate wins).
CATALOGUE: dict[str, list[DemoService]] = {
    "Producer": [
        DemoService(
            "Song production",
            "From demo to finished arrangement: programming, live parts, editing.",
            "450",
            Service.PricingUnit.TRACK,
            480,
            30,
        ),
        DemoService(
            "Pre-production session",
            "We pick the songs, fix tempos and keys and plan the recording.",
            "90",
            Service.PricingUnit.SESSION,
            120,
        ),
    ],
    "Mixing engineer": [
        DemoService(
            "Mix",
            "Stereo mix with two rounds of revisions and stems on request.",
            "180",
            Service.PricingUnit.TRACK,
            240,
            30,
        ),
        DemoService(
            "Attended mix session",
            "Sit in the room (or on a call) while we mix together.",
            "60",
            Service.PricingUnit.HOUR,
            60,
        ),
    ],
    "Mastering engineer": [
        DemoService(
            "Master",
            "Streaming and vinyl masters, with a reference listening call.",
            "60",
            Service.PricingUnit.TRACK,
            60,
        ),
    ],
    "Recording engineer": [
        DemoService(
            "Tracking session",
            "Half a day in the studio with an engineer, mics and backline.",
            "280",
            Service.PricingUnit.SESSION,
            240,
            25,
        ),
    ],
    "Session musician": [
        DemoService(
            "Studio session",
            "Three hours of parts for your songs, remote or in the room.",
            "200",
            Service.PricingUnit.SESSION,
            180,
        ),
    ],
    "Vocal coach": [
        DemoService(
            "Vocal lesson",
            "Technique, breath and performance, tailored to your songs.",
            "45",
            Service.PricingUnit.HOUR,
            60,
        ),
    ],
    "Photographer": [
        DemoService(
            "Press shoot",
            "Half-day shoot, two locations, 20 edited photos.",
            "350",
            Service.PricingUnit.SESSION,
            240,
            50,
        ),
    ],
}
FALLBACK = [
    DemoService(
        "Consultation call",
        "A focused call about your project and what to do next.",
        "40",
        Service.PricingUnit.SESSION,
        45,
    )
]
WEEKDAY_HOURS = [(time(10), time(13)), (time(14, 30), time(19))]
SATURDAY_HOURS = (time(11), time(16))


def seed_marketplace() -> int:
    """Give every associate without services a few from the catalogue, and open hours.
    Returns how many associates were set up."""
    set_up = 0
    associates = Associate.objects.select_related("user").prefetch_related("professions")
    for associate in associates.order_by("pk"):
        if Service.objects.filter(associate=associate).exists():
            continue
        names = [profession.name for profession in associate.professions.all()]
        offer = next((CATALOGUE[name] for name in names if name in CATALOGUE), FALLBACK)
        for item in offer:
            add_service(
                associate=associate,
                by=associate.user,
                name=item.name,
                description=item.description,
                price=Decimal(item.price),
                pricing_unit=item.pricing_unit,
                duration_minutes=item.duration_minutes,
                deposit_percent=item.deposit_percent,
            )
        if not WeeklyRule.objects.filter(associate=associate).exists():
            _open_hours(associate)
        set_up += 1
    return set_up


def _open_hours(associate: Associate) -> None:
    for weekday in range(5):
        for start, end in WEEKDAY_HOURS:
            add_weekly_rule(
                associate=associate,
                by=associate.user,
                weekday=weekday,
                start_time=start,
                end_time=end,
            )
    if associate.pk % 3 == 0:  # some work Saturdays too
        add_weekly_rule(
            associate=associate,
            by=associate.user,
            weekday=5,
            start_time=SATURDAY_HOURS[0],
            end_time=SATURDAY_HOURS[1],
        )
