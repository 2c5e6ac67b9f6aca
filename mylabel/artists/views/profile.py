from django.http import Http404, HttpRequest, HttpResponse


def artist_detail(request: HttpRequest, slug: str) -> HttpResponse:  # placeholder
    raise Http404
