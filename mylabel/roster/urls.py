"""The label's roster under ``/roster/``."""

from django.urls import path

from mylabel.roster import views

app_name = "roster"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("sign/", views.sign, name="sign"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/release/", views.release, name="release"),
]
