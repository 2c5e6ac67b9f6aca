from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from mylabel.bookings.api.views import BookingViewSet

router = SimpleRouter()
router.register("bookings", BookingViewSet, basename="booking")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
