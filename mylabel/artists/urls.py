from django.urls import path

from mylabel.artists.views import directory, profile

app_name = "artists"
urlpatterns = [
    path("", directory.artist_list, name="list"),
    path("<slug:slug>/", profile.artist_detail, name="detail"),
    # Profile editing routes (owned by the profile views) go below.
    path("<slug:slug>/sections/<slug:section>/", profile.artist_section, name="section"),
    path("<slug:slug>/edit/<slug:section>/", profile.artist_edit_section, name="edit-section"),
    path("<slug:slug>/releases/add/", profile.release_add, name="release-add"),
    path("<slug:slug>/releases/<int:pk>/edit/", profile.release_edit, name="release-edit"),
    path("<slug:slug>/releases/<int:pk>/delete/", profile.release_delete, name="release-delete"),
    path("<slug:slug>/roster/", profile.artist_roster, name="roster"),
]
