from django.urls import URLPattern, URLResolver, path

from mylabel.recommendations.api.views import RecommendationViewSet

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "me/recommendations/",
        RecommendationViewSet.as_view({"get": "list"}),
        name="my-recommendations",
    )
]
