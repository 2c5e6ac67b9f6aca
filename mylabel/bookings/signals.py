"""Domain events of the bookings app, sent by ``bookings.services`` after the commit.

``booking_status_changed``: ``booking=`` (the Booking) and ``event=`` (its new BookingEvent).
Notifications, caches and metrics subscribe in their own ``apps.py``.
"""

from django.dispatch import Signal

booking_status_changed = Signal()
