from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M``; every list view also orders by a unique key so pages are stable."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
