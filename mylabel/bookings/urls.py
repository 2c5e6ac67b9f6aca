"""Mounted at the site root: booking pages live under /bookings/, the booking form under the
associate's address, and calendar feeds under /calendar/."""

from django.urls import path

from mylabel.bookings.views import bookings, calendar

app_name = "bookings"
urlpatterns = [
    path("bookings/", bookings.booking_list, name="list"),
    path("bookings/calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("bookings/<int:pk>/", bookings.booking_detail, name="detail"),
    path("bookings/<int:pk>/booking.ics", calendar.booking_ics, name="ics"),
    path("bookings/<int:pk>/<slug:action>/", bookings.booking_transition, name="transition"),
    path("associates/<slug:slug>/book/", bookings.book_service, name="book"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
