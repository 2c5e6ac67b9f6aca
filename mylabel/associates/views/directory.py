from django.http import Http404, HttpRequest, HttpResponse


def associate_list(request: HttpRequest) -> HttpResponse:  # placeholder until the directory lands
    raise Http404
