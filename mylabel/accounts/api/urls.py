from django.urls import URLPattern, URLResolver, path

from mylabel.accounts.api import views

urlpatterns: list[URLPattern | URLResolver] = [path("me/", views.me, name="me")]
