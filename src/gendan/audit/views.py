from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gendan.audit.selectors import AuditFilter, audit_action_choices, audit_event_list
from gendan.core.decorators import permission
from gendan.core.listing import date_param, list_params, page_of


@permission("audit.view_auditevent")
def audit_list(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "action", "by", "record", "start", "end")
    filters = AuditFilter(
        action=params["action"], by=params["by"], record=params["record"],
        start=date_param(params["start"]), end=date_param(params["end"]),
    )  # fmt: skip
    context = {
        "page": page_of(request, audit_event_list(filters=filters)),
        "params": params,
        "actions": audit_action_choices(),
    }
    return render(request, "audit/audit_list.html", context)
