from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gendan.crm.selectors import dashboard, group_get, group_people
from gendan.web.decorators import permission
from gendan.web.listing import page_of


@permission("crm.view_figures")
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """E-1, E-2: the four figures, returning and sleeping, each opening its people."""
    groups = dashboard()
    charts = {group.key: group.trends for group in groups}
    return render(request, "crm/dashboard.html", {"groups": groups, "charts": charts})


@permission("crm.view_figures")
def people(request: HttpRequest, group: str) -> HttpResponse:
    found = group_get(group)
    if found is None:
        raise Http404
    context = {"group": found, "page": page_of(request, group_people(found))}
    return render(request, "crm/people.html", context)
