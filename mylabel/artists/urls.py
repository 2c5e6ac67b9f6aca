from django.urls import path

from mylabel.artists.views import directory, profile

app_name = "artists"
urlpatterns = [
    path("", directory.artist_list, name="list"),
    path("<slug:slug>/", profile.artist_detail, name="detail"),
    # Profile editing routes (owned by the profile views) go below.
]
