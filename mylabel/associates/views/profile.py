from django.http import Http404, HttpRequest, HttpResponse


def associate_detail(request: HttpRequest, slug: str) -> HttpResponse:  # placeholder
    raise Http404
