from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from mylabel.reviews.api.views import ReviewViewSet

router = SimpleRouter()
router.register("reviews", ReviewViewSet, basename="review")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
