"""The call list of a day (O-43) on a phone: each drop's person, phone (tap to call), window,
amount and message (copy it), marked told with htmx; e-mail all. Each view validates, calls
one selector or service, and renders."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.core.listing import date_param, list_params
from gendan.logistics.models import Drop, RoutePlan
from gendan.logistics.selectors_calls import (
    call_contact,
    call_plan,
    call_progress,
    call_promised_elsewhere,
    call_row,
    call_rows,
    call_unplanned,
)
from gendan.logistics.services.calls import calls_email, drop_told, told_again_text

# Read by whoever follows deliveries (not the driver, who holds view_drop for its own drops).
VIEW, TELL = "logistics.view_routeplan", "logistics.tell_customer"


def day_of(text: str) -> dt.date:
    day = date_param(text)
    if day is None:
        raise Http404
    return day


@permission(VIEW)
def calls_tomorrow(request: HttpRequest) -> HttpResponse:
    """The call list of tomorrow, or of the day chosen in the form."""
    day = date_param(request.GET.get("date", "").strip())
    day = day or timezone.localdate() + dt.timedelta(days=1)
    return redirect("logistics-calls-day", day=day.isoformat())


@permission(VIEW)
def calls_day(request: HttpRequest, day: str) -> HttpResponse:
    """O-43: every drop of the day's plan in route order; O-42: the promised calls."""
    day_value = day_of(day)
    plan = call_plan(day_value)
    params = list_params(request, "q", "show")
    context = {
        "day": day_value, "plan": plan, "params": params,
        "draft": plan is not None and plan.state == RoutePlan.State.DRAFT,
        "rows": call_rows(plan, q=params["q"], untold=params["show"] == "untold"),
        "unplanned": call_unplanned(plan),
        "promised": [
            (booking, *call_contact(booking.order))
            for booking in call_promised_elsewhere(day_value, plan)
        ],
        "progress": call_progress(plan), "tomorrow": timezone.localdate() + dt.timedelta(days=1),
    }  # fmt: skip
    return render(request, "logistics/calls.html", context)


@require_POST
@permission(TELL)
def call_told(request: HttpRequest, pk: int) -> HttpResponse:
    """O-43: the customer told; with htmx the row comes back (and the progress), else the page."""
    drop = get_object_or_404(Drop.objects.select_related("plan"), pk=pk)
    errors, done = [], ""
    try:
        drop, again = drop_told(
            actor=request.user, drop=drop, told_to=request.POST.get("told_to", "")
        )
    except ValidationError as error:
        errors = error.messages
    else:
        done = told_again_text(drop) if again else ""
    if request.headers.get("HX-Request") == "true":
        drop = Drop.objects.select_related("plan").get(pk=pk)
        context = {
            "row": call_row(drop), "errors": errors, "done": done, "oob": True,
            "progress": call_progress(drop.plan),
        }  # fmt: skip
        return render(request, "logistics/calls_row.html", context)
    for text in errors:
        messages.error(request, text)
    if done:
        messages.info(request, done)
    url = reverse("logistics-calls-day", kwargs={"day": drop.plan.day.isoformat()})
    return redirect(f"{url}#drop-{drop.pk}")


@require_POST
@permission(TELL)
def calls_email_view(request: HttpRequest, day: str) -> HttpResponse:
    """E-mail all: queued for the task worker, each customer with an address once."""
    day_value = day_of(day)
    try:
        queued = calls_email(actor=request.user, day=day_value)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("%(count)s e-mails are being sent.") % {"count": queued})
    return redirect("logistics-calls-day", day=day_value.isoformat())
