"""Review URLs, one route list per views module: writing (review, reply, report), listing (a
profile's reviews) and moderation (the label's queue under /moderation/reviews/)."""

from django.urls import include, path

app_name = "reviews"
urlpatterns = [
    path("", include("mylabel.reviews.views.writing")),
    path("", include("mylabel.reviews.views.listing")),
    path("moderation/reviews/", include("mylabel.reviews.views.moderation")),
]
