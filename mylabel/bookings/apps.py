from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "mylabel.bookings"
    label = "bookings"
