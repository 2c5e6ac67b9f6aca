from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from mylabel.api.profiles import SLUG_PATTERN
from mylabel.associates.api.views import AssociateViewSet, ServiceViewSet

router = SimpleRouter()
router.register("associates", AssociateViewSet, basename="associate")
router.register(
    f"associates/(?P<slug>{SLUG_PATTERN})/services", ServiceViewSet, basename="associate-service"
)

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
