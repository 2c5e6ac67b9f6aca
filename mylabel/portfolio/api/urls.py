from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from mylabel.portfolio.api.views import PortfolioViewSet

router = SimpleRouter()
router.register("portfolio", PortfolioViewSet, basename="portfolio")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
