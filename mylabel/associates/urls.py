from django.urls import path

from mylabel.associates.views import directory, profile

app_name = "associates"
urlpatterns = [
    path("", directory.associate_list, name="list"),
    path("<slug:slug>/", profile.associate_detail, name="detail"),
    # Profile editing routes (owned by the profile views) go below.
    path("<slug:slug>/sections/<slug:section>/", profile.associate_section, name="section"),
    path("<slug:slug>/edit/<slug:section>/", profile.associate_edit_section, name="edit-section"),
]
