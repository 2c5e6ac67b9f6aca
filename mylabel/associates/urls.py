from django.urls import path

from mylabel.associates.views import directory, profile

app_name = "associates"
urlpatterns = [
    path("", directory.associate_list, name="list"),
    path("<slug:slug>/", profile.associate_detail, name="detail"),
    # Profile editing routes (owned by the profile views) go below.
]
