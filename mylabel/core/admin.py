from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.http import HttpRequest

from mylabel.core.models import Genre


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class BoundedDateChangeList(ChangeList):
    """A change list whose date drill-down (``date_hierarchy``) answers an impossible date the
    way Django answers any other bad filter: back to the list with ``?e=1``. Django catches only
    the ``ValueError`` of building the first day, so ``?created_at__year=99999999999999999999``
    (``OverflowError``) or the year 9999 (its end is in the year 10000) was a 500."""

    def get_filters(self, request: HttpRequest) -> Any:
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error
