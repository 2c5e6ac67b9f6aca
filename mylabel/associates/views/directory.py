from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from mylabel.associates.forms_directory import AssociateDirectoryForm
from mylabel.associates.models import Associate
from mylabel.core.directory import render_directory
from mylabel.core.page_cache import public_page


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
@public_page
def associate_list(request: HttpRequest) -> HttpResponse:
    """The professionals directory: search, filters, sort and pages, all in the URL
    (DESIGN.md §2.3)."""
    form = AssociateDirectoryForm.from_query(request.GET)
    associates = (
        Associate.objects.listed()
        .search(form.cleaned_data["q"])
        .filter_directory(**form.queryset_filters())
        .directory_order(form.effective_sort)
        .for_directory()
    )
    return render_directory(
        request, "associates/associate_list.html", form=form, queryset=associates
    )
