"""The label's roster under ``/roster/``."""

from django.urls import path

from mylabel.roster import views

app_name = "roster"
urlpatterns = [
    path("", views.roster, name="roster"),
]
