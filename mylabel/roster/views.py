from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from mylabel.analytics.access import label_admin_required


@label_admin_required
@require_safe
def roster(request: HttpRequest) -> HttpResponse:
    return render(request, "roster/roster.html", {})
