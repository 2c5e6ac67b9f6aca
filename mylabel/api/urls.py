"""/api/v1/ (one include per app's ``api/urls.py``), the OpenAPI schema and its docs."""

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView

from mylabel.api import views

v1: list[URLPattern | URLResolver] = [
    path("auth/token/", views.token, name="token"),
    path("", include("mylabel.accounts.api.urls")),
    path("", include("mylabel.artists.api.urls")),
    path("", include("mylabel.associates.api.urls")),
    path("", include("mylabel.portfolio.api.urls")),
    path("", include("mylabel.bookings.api.urls")),
    path("", include("mylabel.reviews.api.urls")),
    path("", include("mylabel.messaging.api.urls")),
    path("", include("mylabel.notifications.api.urls")),
    path("", include("mylabel.recommendations.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1, "api"), namespace="v1")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]
