"""What each user gets on each channel when they never chose: the one place that says so.

A ``Preference`` row is stored only where a user's choice differs from these defaults
(``services.set_preferences`` deletes rows that match them), so changing a default here reaches
every user who never touched that box, and a new ``Event`` needs no data migration.
"""

from mylabel.notifications.models import Channel, Event

BOOKING_EVENTS = frozenset(
    {
        Event.BOOKING_REQUESTED,
        Event.BOOKING_ACCEPTED,
        Event.BOOKING_DECLINED,
        Event.BOOKING_CANCELLED,
        Event.BOOKING_PAID,
        Event.BOOKING_COMPLETED,
        Event.BOOKING_EXPIRED,
        Event.BOOKING_DISPUTED,
    }
)
REVIEW_EVENTS = frozenset({Event.REVIEW_PUBLISHED})
MESSAGE_EVENTS = frozenset({Event.MESSAGE_RECEIVED})

# Push is off until the user opts in: a browser subscription alone (helper N2's Web Push) must
# not start buzzing someone who never asked for it event by event.
DEFAULTS: dict[tuple[Event, Channel], bool] = {
    **{(event, Channel.IN_APP): True for event in Event},
    **{(event, Channel.EMAIL): True for event in BOOKING_EVENTS | REVIEW_EVENTS},
    **{(event, Channel.EMAIL): True for event in MESSAGE_EVENTS},
    **{(event, Channel.PUSH): False for event in Event},
}


def default_for(event: str, channel: str) -> bool:
    """The default for ``(event, channel)``; an unknown pair is off, never an error."""
    try:
        return DEFAULTS[(Event(event), Channel(channel))]
    except ValueError:
        return False
