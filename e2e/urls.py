"""The site's URLs plus its uploads, for the live server.

Django serves ``MEDIA_ROOT`` only with ``DEBUG`` on (``config/urls.py``), and tests run with it
off; a journey that uploads an image must still see it load, or the browser logs a 404.
"""

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views.static import serve


def serve_media(request: HttpRequest, path: str) -> HttpResponse | FileResponse:
    # MEDIA_ROOT is read per request: each test puts its uploads in a directory of its own.
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


urlpatterns = [
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_media),
    path("", include("config.urls")),
]
