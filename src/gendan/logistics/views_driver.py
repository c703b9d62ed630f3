"""The driver's phone (issue 14 point 6): today's route, a stop's Arrived, Delivered and
Failed, and the driver's sheet for finance (O-22); logistics, the warehouse and finance read a
driver's route and the day's sheets. Each validates, calls one service or selector, renders."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.core.listing import date_param
from gendan.core.uploads import upload_response
from gendan.logistics.collect import amount_to_collect
from gendan.logistics.forms_driver import DeliverForm, FailForm
from gendan.logistics.models import Driver, Drop
from gendan.logistics.selectors_driver import (
    FOLLOW,
    day_routes,
    day_sheets,
    driver_day,
    driver_drop_get,
    driver_sheet,
    driver_shown,
    receiving_document_needed,
    sheets_readable,
)
from gendan.logistics.services.driver import drop_arrive, drop_deliver, drop_fail
from gendan.orders.known import contact_name
from gendan.orders.services.steps import StepRefused

SEE = "logistics.view_drop"  # drivers (their own) and everyone who follows deliveries
ARRIVED = _("Arrived at stop %(number)s.")
DELIVERED = _("Stop %(number)s delivered and signed for.")
FAILED = _("Stop %(number)s reported as failed; logistics follows it up.")
NOT_A_DRIVER = _("You are not set up as a driver: logistics adds you on the drivers' page.")


def day_of(request: HttpRequest) -> dt.date:
    return date_param(request.GET.get("day", "").strip()) or timezone.localdate()


def whose(request: HttpRequest) -> tuple[Driver | None, bool]:
    """The signed-in driver's own route, or another's (``?driver=``) read only."""
    wanted = request.GET.get("driver", "").strip()
    if wanted and not (wanted.isdigit() and int(wanted) <= 2**63 - 1):
        raise Http404
    return driver_shown(request.user, int(wanted) if wanted else None)


@permission(SEE)
def driver_route(request: HttpRequest) -> HttpResponse:
    """Today's route in order (or ``?day=``): a card per stop with what is needed at the door."""
    day = day_of(request)
    driver, own = whose(request)
    if driver is None:
        return drivers_of_day(request, day)
    context = {"found": driver_day(driver=driver, day=day), "own": own, "today": day}
    return render(request, "logistics/driver_route.html", context)


def drivers_of_day(request: HttpRequest, day: dt.date) -> HttpResponse:
    """Someone who is not a driver: the day's drivers to choose from, if they may see them."""
    if not request.user.has_perm(FOLLOW):
        return render(request, "logistics/driver_none.html", {"message": NOT_A_DRIVER})
    routes = day_routes(day)
    drivers = list({route.driver_id: route.driver for route in routes}.values())
    context = {"drivers": drivers, "day": day, "sheets": sheets_readable(request.user)}
    return render(request, "logistics/driver_choose.html", context)


def back_to_route(drop: Drop) -> HttpResponse:
    url = reverse("logistics-driver")
    return redirect(f"{url}?day={drop.plan.day.isoformat()}#stop-{drop.pk}")


@require_POST
@permission(SEE)
def driver_arrive(request: HttpRequest, pk: int) -> HttpResponse:
    drop = driver_drop_get(user=request.user, pk=pk)
    try:
        drop = drop_arrive(actor=request.user, drop=drop)
    except (ValidationError, PermissionDenied) as refused:
        messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
        return back_to_route(drop)
    messages.success(request, ARRIVED % {"number": request.POST.get("number", drop.sequence)})
    return back_to_route(drop)


def refusal_add(form, refused: Exception) -> None:
    """The service's refusal on the form: on its field where it names one."""
    if isinstance(refused, StepRefused):
        for reason in refused.reasons:
            form.add_error(None, reason)
        return
    if hasattr(refused, "error_dict"):
        for name, errors in refused.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    form.add_error(None, list(getattr(refused, "messages", [str(refused)])))


@permission(SEE)
def driver_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    """O-21: the receiver's name, the signature drawn on the screen, a photo, the supermarket's
    document: signs the order's deliver step; O-22: the cash collected."""
    drop = driver_drop_get(user=request.user, pk=pk)
    if request.method != "POST":
        order = drop.order
        initial = {"received_by": contact_name(order), "collected": amount_to_collect(order)}
        return deliver_page(request, drop, DeliverForm(initial=initial))
    form = DeliverForm(data=request.POST, files=request.FILES)
    if form.is_valid():
        try:
            drop_deliver(actor=request.user, drop=drop, **deliver_fields(form.cleaned_data))
        except (ValidationError, StepRefused, PermissionDenied) as refused:
            refusal_add(form, refused)
        else:
            messages.success(request, DELIVERED % {"number": request.GET.get("n", drop.sequence)})
            return back_to_route(drop)
    return deliver_page(request, drop, form, status=422)


def deliver_fields(data: dict) -> dict:
    return {
        "received_by": data["received_by"], "signature_png": data["signature"],
        "photo": data.get("photo"), "receiving_document": data.get("receiving_document", ""),
        "collected": data.get("collected"),
    }  # fmt: skip


def deliver_page(request: HttpRequest, drop: Drop, form, status: int = 200) -> HttpResponse:
    context = {"drop": drop, "form": form, "to_collect": amount_to_collect(drop.order),
               "supermarket": receiving_document_needed(drop.order)}  # fmt: skip
    return render(request, "logistics/driver_deliver.html", context, status=status)


@permission(SEE)
def driver_fail(request: HttpRequest, pk: int) -> HttpResponse:
    """O-44: why, whose fault and a photo, confirmed: the drop is failed for logistics."""
    drop = driver_drop_get(user=request.user, pk=pk)
    form = FailForm(data=request.POST or None, files=request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("reason", "detail", "fault", "photo")}
        try:
            drop_fail(actor=request.user, drop=drop, **fields)
        except (ValidationError, PermissionDenied) as refused:
            refusal_add(form, refused)
        else:
            messages.success(request, FAILED % {"number": request.GET.get("n", drop.sequence)})
            return back_to_route(drop)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "logistics/driver_fail.html", {"drop": drop, "form": form}, status=status
    )


@permission(SEE)
def driver_sheet_view(request: HttpRequest) -> HttpResponse:
    """O-22: the driver's sheet of a day for finance: notes signed, cash to collect and
    collected; printable."""
    day = day_of(request)
    driver, _own = whose(request)
    if driver is None:
        return drivers_of_day(request, day)
    sheet = driver_sheet(driver=driver, day=day)
    return render(request, "logistics/driver_sheet.html", {"sheets": [sheet], "day": day})


@permission(FOLLOW)
def day_sheets_view(request: HttpRequest, day: str) -> HttpResponse:
    """O-22: every driver's sheet of a day, as finance receives the notes and the cash
    (finance, logistics and the general manager)."""
    if not sheets_readable(request.user):
        raise PermissionDenied
    when = date_param(day)
    if when is None:
        raise Http404
    context = {"sheets": day_sheets(day=when), "day": when, "all_drivers": True}
    return render(request, "logistics/driver_sheet.html", context)


@permission(SEE)
def drop_signature(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer's signature as drawn: for the drop's driver and those who follow deliveries."""
    if request.user.has_perm(FOLLOW):
        drop = Drop.objects.filter(pk=pk).first()
    else:
        drop = Drop.objects.filter(pk=pk, route__driver__user=request.user).first()
    if drop is None or not drop.signature:
        raise Http404
    return upload_response(drop.signature.open("rb"), filename=f"signature-{drop.pk}.png")
