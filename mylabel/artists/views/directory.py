from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.artists.forms_directory import ArtistDirectoryForm
from mylabel.artists.models import Artist
from mylabel.core.directory import render_directory
from mylabel.core.page_cache import public_page


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@public_page
def artist_list(request: HttpRequest) -> HttpResponse:
    """The artist directory: search, filters, sort and pages, all in the URL (DESIGN.md §2.3)."""
    form = ArtistDirectoryForm.from_query(request.GET)
    artists = (
        Artist.objects.listed()
        .search(form.cleaned_data["q"])
        .filter_directory(**form.queryset_filters())
        .directory_order(form.effective_sort)
        .for_directory()
    )
    return render_directory(request, "artists/artist_list.html", form=form, queryset=artists)
