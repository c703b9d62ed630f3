"""The failed deliveries' pages (O-44): the list, open ones first with what is still to do, and
one failure with the driver's report, its photo and the four follow-ups as forms (the goods
back, the customer told, the rebooking, the freight charged after a confirmation). Each
validates, calls one service, and goes back to the failure with what happened."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of
from gendan.core.uploads import upload_response
from gendan.logistics.models import FailedDelivery, Fault
from gendan.logistics.selectors_failures import (
    SORTS,
    TODO,
    failure_row,
    failures_list,
    failures_visible,
)
from gendan.logistics.services.failures import (
    failure_customer_told,
    failure_freight_charge,
    failure_goods_back,
    failure_rebook,
    freight_checked,
    share_amount,
)

VIEW = "logistics.view_faileddelivery"
GOODS_BACK_DONE = _("The goods are back in stock; the order waits for the warehouse to ship it.")
TOLD_DONE = _("Recorded: the customer was told.")
REBOOKED_DONE = _("Rebooked: %(booking)s.")
CHARGED_DONE = _("The redelivery freight is charged: %(reference)s.")
STATE_CHOICES = (("open", _("Still to do")), ("done", _("Done")), ("all", _("All")))
SORT_CHOICES = {"new": _("Newest first"), "old": _("Oldest first"), "order": _("By order")}


class RebookForm(forms.Form):
    """O-41, O-42: a day, or a window of 3 to 5 days with a call promised."""

    first_day = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(
        label=_("until (a window)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip
    told_to = forms.CharField(label=_("agreed with"), max_length=60)
    call_promised = forms.BooleanField(label=_("call the day before promised"), required=False)
    window_start = forms.TimeField(
        label=_("someone there from"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )  # fmt: skip
    window_end = forms.TimeField(
        label=_("someone there until"), required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )  # fmt: skip
    note = forms.CharField(label=_("note"), max_length=200, required=False)


@permission(VIEW)
def failure_list(request: HttpRequest) -> HttpResponse:
    """O-44: the failed deliveries, those with something still to do first."""
    params = list_params(request, "q", "state", "fault", "sort")
    params["state"] = params["state"] if params["state"] in dict(STATE_CHOICES) else "open"
    params["sort"] = params["sort"] if params["sort"] in SORTS else "new"
    rows = failures_list(
        request.user, q=params["q"], state=params["state"], fault=params["fault"],
        sort=params["sort"],
    )  # fmt: skip
    page = page_of(request, rows)
    now = timezone.now()
    context = {
        "page": page, "rows": [failure_row(failure, now=now) for failure in page.object_list],
        "params": params, "states": STATE_CHOICES, "faults": Fault.choices,
        "sorts": SORT_CHOICES.items(),
    }  # fmt: skip
    return render(request, "logistics/failures_list.html", context)


def failure_get(request: HttpRequest, pk: int) -> FailedDelivery:
    return get_object_or_404(failures_visible(request.user), pk=pk)


@permission(VIEW)
def failure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    failure = failure_get(request, pk)
    return render(request, "logistics/failures_detail.html", detail_context(failure))


def detail_context(failure: FailedDelivery, **extra: object) -> dict[str, object]:
    order = failure.order
    initial = {"told_to": failure.customer_told_to or order.contact_name, "first_day": None}
    initial["first_day"] = timezone.localdate() + dt.timedelta(days=1)
    return {
        "failure": failure, "row": failure_row(failure), "todo": TODO,
        "rebook_form": extra.pop("rebook_form", None) or RebookForm(initial=initial),
        "told_to": initial["told_to"], **extra,
    }  # fmt: skip


@permission(VIEW)
def failure_photo(request: HttpRequest, pk: int) -> FileResponse:
    """The driver's photo of the failed drop."""
    failure = failure_get(request, pk)
    name = failure.photo.name
    if not name or not default_storage.exists(name):
        raise Http404
    filename = f"{failure.order.number}-failed{PurePosixPath(name).suffix}"
    return upload_response(default_storage.open(name, "rb"), filename=filename)


def answered(request: HttpRequest, failure: FailedDelivery, done: object = "", error=None):
    for text in error.messages if isinstance(error, ValidationError) else []:
        messages.error(request, text)
    if done:
        messages.success(request, str(done))
    return redirect("logistics-failure", pk=failure.pk)


@require_POST
@permission("warehouse.add_stockmove")
def failure_goods_back_view(request: HttpRequest, pk: int) -> HttpResponse:
    failure = failure_get(request, pk)
    try:
        failure_goods_back(actor=request.user, failure=failure)
    except ValidationError as error:
        return answered(request, failure, error=error)
    return answered(request, failure, GOODS_BACK_DONE)


@require_POST
@permission("logistics.change_faileddelivery")
def failure_told_view(request: HttpRequest, pk: int) -> HttpResponse:
    failure = failure_get(request, pk)
    told_to = request.POST.get("told_to", "")[:200]
    try:
        failure_customer_told(actor=request.user, failure=failure, told_to=told_to)
    except ValidationError as error:
        return answered(request, failure, error=error)
    return answered(request, failure, TOLD_DONE)


@require_POST
@permission("logistics.change_faileddelivery")
def failure_rebook_view(request: HttpRequest, pk: int) -> HttpResponse:
    failure = failure_get(request, pk)
    form = RebookForm(request.POST)
    if not form.is_valid():
        context = detail_context(failure, rebook_form=form)
        return render(request, "logistics/failures_detail.html", context, status=422)
    try:
        failure = failure_rebook(actor=request.user, failure=failure, **form.cleaned_data)
    except ValidationError as error:
        return answered(request, failure, error=error)
    return answered(request, failure, REBOOKED_DONE % {"booking": failure.rebooking})


def share_of(percent: str) -> Decimal | str:
    """The share as a fraction from the percentage typed (50 to 100); the service says what is
    wrong with anything else."""
    try:
        return Decimal(percent.strip()) / 100
    except (InvalidOperation, ValueError):
        return percent


@require_POST
@permission("logistics.charge_freight")
def failure_charge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """O-44: first the confirmation of where the money is charged, then the charge."""
    failure = failure_get(request, pk)
    freight, percent = request.POST.get("freight", "")[:20], request.POST.get("share", "")[:10]
    if request.POST.get("confirmed") != "yes":
        context = {"failure": failure, "freight": freight, "percent": percent}
        try:
            context |= charge_preview(freight, share_of(percent))
        except ValidationError as error:
            return answered(request, failure, error=error)
        return render(request, "logistics/failures_charge_confirm.html", context)
    try:
        failure = failure_freight_charge(
            actor=request.user, failure=failure, freight=freight, share=share_of(percent)
        )
    except ValidationError as error:
        return answered(request, failure, error=error)
    return answered(request, failure, CHARGED_DONE % {"reference": failure.charge_reference})


def charge_preview(freight: str, share: object) -> dict[str, object]:
    """What the confirmation shows: the freight, the share and the amount charged."""
    amount, part = freight_checked(freight, share)
    return {"amount": share_amount(amount, part), "share": part, "freight_amount": amount}
