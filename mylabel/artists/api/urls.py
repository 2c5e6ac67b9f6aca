from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from mylabel.artists.api.views import ArtistViewSet

router = SimpleRouter()
router.register("artists", ArtistViewSet, basename="artist")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
