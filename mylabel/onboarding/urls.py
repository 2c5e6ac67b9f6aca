from django.urls import path

from mylabel.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.start, name="start"),
    path("artist/", views.artist, name="artist"),
    path("professional/", views.professional, name="professional"),
    path("both/", views.both, name="both"),
    path("me/", views.my_profile, name="mine"),
]
