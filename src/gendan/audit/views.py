from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gendan.audit.selectors import audit_event_list
from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of


@permission("audit.view_auditevent")
def audit_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "action")
    page = page_of(request, audit_event_list(action=params["action"]))
    return render(request, "audit/audit_list.html", {"page": page, "params": params})
