from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M``; every list view also orders by a unique key so pages are stable.

    A relevance-ordered directory search is paged by its QuerySet's ``ranked_page`` (the page's
    rows and the number of matches from one ranking on the narrow search table), as on the
    site: a separate ``COUNT`` over the joined profiles then the ranked rows cost three times
    as much. Anything it does not answer (another order, a page past the end, a page number
    that is not one) is paged by DRF as usual, with DRF's own errors."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        page = self._ranked_page(queryset, request) if isinstance(queryset, QuerySet) else None
        if page is None:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.page = page
        return list(page)

    def _ranked_page(self, queryset: QuerySet[Any], request: Request) -> Page | None:
        ranked_page = getattr(queryset, "ranked_page", None)
        page_size = self.get_page_size(request)
        number = request.query_params.get(self.page_query_param) or "1"
        if ranked_page is None or not page_size or not number.isdigit() or int(number) < 1:
            return None
        ranked = ranked_page((int(number) - 1) * page_size, page_size)
        if ranked is None or (not ranked[0] and number != "1"):
            return None
        rows, total = ranked
        paginator = self.django_paginator_class(queryset, page_size)
        paginator.count = total  # a cached_property: the ranking counted already
        return Page(rows, int(number), paginator)
