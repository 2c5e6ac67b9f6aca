"""moderation views of reviews (being written)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
