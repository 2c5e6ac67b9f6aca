"""The artist directory's filters as a django-filter ``FilterSet`` (the API's side of
``ArtistDirectoryForm``), and the base both profile directories share.

The HTML directories drop a bad filter value and say so on the page; a client of the API gets a
400 naming the parameter instead, since nobody reads a page's notice. Either way the rows come
from the same QuerySet methods: ``listed().search().filter_directory().directory_order()``.
"""

from decimal import Decimal
from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from mylabel.artists.forms_directory import ArtistDirectoryForm
from mylabel.artists.models import Artist
from mylabel.core.directory import MAX_QUERY_LENGTH, DirectoryFilterForm
from mylabel.core.models import Genre


def sort_filter(choices: list[tuple[str, Any]]) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        choices=choices,
        help_text=_("The order; by default the best match when searching, else the newest first."),
    )


# The directories' minimum-rating choices (``MinimumRatingField``) without the empty "any".
RATING_CHOICES = [("3", "3"), ("4", "4"), ("4.5", "4.5")]


class DirectoryFilterSet(django_filters.FilterSet):
    """What both directories filter on. Subclasses add ``sort`` (``sort_filter`` with their
    HTML form's choices) and ``directory_filters``. The declared filters only parse and
    document the parameters: ``filter_queryset`` applies them together, through the model's
    QuerySet methods, never one by one."""

    DEFAULT_SORT = DirectoryFilterForm.DEFAULT_SORT

    q = django_filters.CharFilter(
        help_text=_("Words to search for; every word must match (also as a prefix)."),
    )
    genre = django_filters.ModelChoiceFilter(
        queryset=Genre.objects.only("name", "slug"),
        field_name="genres",
        to_field_name="slug",
        help_text=_("A genre's slug."),
    )
    city = django_filters.CharFilter(max_length=80, help_text=_("A city, in any letter case."))
    min_rating = django_filters.ChoiceFilter(
        choices=RATING_CHOICES,
        help_text=_("Only profiles rated at least this on average (unrated ones drop out)."),
    )

    def directory_filters(self, data: dict[str, Any]) -> dict[str, Any]:
        """Keyword arguments for the model's ``filter_directory``."""
        raise NotImplementedError

    def filter_queryset(self, queryset: Any) -> Any:
        data = self.form.cleaned_data
        query = " ".join((data.get("q") or "").split())[:MAX_QUERY_LENGTH]
        sort = data.get("sort") or ""
        # As the HTML form's effective_sort: relevance needs a query to rank by.
        if not sort or (sort == "relevance" and not query):
            sort = "relevance" if query else self.DEFAULT_SORT
        return (
            queryset.search(query)
            .filter_directory(**self.directory_filters(data))
            .directory_order(sort)
            .for_directory()
        )

    @staticmethod
    def minimum_rating(data: dict[str, Any]) -> Decimal | None:
        return Decimal(data["min_rating"]) if data.get("min_rating") else None


class ArtistFilter(DirectoryFilterSet):
    sort = sort_filter(ArtistDirectoryForm.SORT_CHOICES)
    roster = django_filters.BooleanFilter(help_text=_("Only artists on the label's roster."))

    class Meta:
        model = Artist
        fields: list[str] = []

    def directory_filters(self, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "genre": data.get("genre"),
            "city": " ".join((data.get("city") or "").split()),
            "on_roster": bool(data.get("roster")),
            "min_rating": self.minimum_rating(data),
        }
