"""Stock counts: the list and a count started; a count's lines counted on a phone, submitted;
approved (the differences booked) or rejected by a second person."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of
from gendan.warehouse.forms_stock import CountStartForm, RejectForm
from gendan.warehouse.models import StockCount, Warehouse
from gendan.warehouse.selectors_stock import count_get, count_list
from gendan.warehouse.services.counts import (
    Entry,
    count_label,
    counters,
    stock_count_approve,
    stock_count_enter,
    stock_count_reject,
    stock_count_start,
    stock_count_submit,
)

NOT_A_NUMBER = _("Line %(line)s: “%(value)s” is not a quantity.")
SAVED = _("Counted quantities saved.")
SUBMITTED = _("Submitted: a second person (finance or the general manager) approves it.")
APPROVED = _("Approved: the differences are booked.")
REJECTED = _("Rejected: nothing was booked.")
STARTED = _("Count %(label)s started: %(lines)s lines to count.")


@permission("warehouse.view_stockmove")
def count_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "state", "warehouse")
    counts = count_list(state=params["state"], warehouse=params["warehouse"])
    context = {
        "page": page_of(request, counts), "params": params, "form": CountStartForm(),
        "states": StockCount.State.choices, "warehouses": Warehouse.objects.order_by("code"),
    }  # fmt: skip
    return render(request, "warehouse/count_list.html", context)


@permission("warehouse.add_stockcount")
@require_POST
def count_start(request: HttpRequest) -> HttpResponse:
    form = CountStartForm(request.POST)
    if not form.is_valid():
        return refused(request, "warehouse-counts", form_errors(form))
    try:
        count = stock_count_start(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, "warehouse-counts", error.messages)
    label = {"label": count_label(count), "lines": count.lines.count()}
    messages.success(request, STARTED % label)
    return redirect("warehouse-count", pk=count.pk)


@permission("warehouse.view_stockmove")
def count_detail(request: HttpRequest, pk: int) -> HttpResponse:
    count = count_get(pk)
    lines = (
        count.lines.select_related("batch__product", "location", "counted_by")
        .annotate(difference=F("counted") - F("expected"))
        .order_by("location__code", "batch__product__sku", "batch__number")
    )
    context = {
        "count": count, "label": count_label(count), "lines": lines,
        "counted_it": request.user.pk in counters(count),
        "may_count": count.state == StockCount.State.OPEN
        and request.user.has_perm("warehouse.add_stockcount"),
        "may_decide": count.state == StockCount.State.SUBMITTED
        and request.user.has_perm("warehouse.change_stockcount"),
    }  # fmt: skip
    return render(request, "warehouse/count_detail.html", context)


@permission("warehouse.add_stockcount")
@require_POST
def count_lines(request: HttpRequest, pk: int) -> HttpResponse:
    """The counted quantities typed (empty ones left as they were), all saved or none."""
    count = count_get(pk)
    try:
        entries = entries_posted(request, count)
        stock_count_enter(actor=request.user, count=count, entries=entries)
        if request.POST.get("submit") == "yes":
            stock_count_submit(actor=request.user, count=count)
            messages.success(request, SUBMITTED)
        else:
            messages.success(request, SAVED)
    except ValidationError as error:
        return refused(request, "warehouse-count", error.messages, pk=count.pk)
    return redirect("warehouse-count", pk=count.pk)


def entries_posted(request: HttpRequest, count: StockCount) -> list[Entry]:
    entries = []
    for line in count.lines.order_by("pk"):
        text = request.POST.get(f"counted-{line.pk}", "").strip().replace(",", "")
        if not text:
            continue
        try:
            counted = Decimal(text)
        except InvalidOperation:
            raise ValidationError(NOT_A_NUMBER % {"line": line.pk, "value": text[:20]}) from None
        reason = request.POST.get(f"reason-{line.pk}", "")
        entries.append(Entry(line_id=line.pk, counted=counted, reason=reason))
    return entries


@permission("warehouse.change_stockcount")
@require_POST
def count_approve(request: HttpRequest, pk: int) -> HttpResponse:
    count = count_get(pk)
    if request.POST.get("confirmed") != "yes":
        context = {"count": count, "label": count_label(count), "lines": differing(count)}
        return render(request, "warehouse/count_approve_confirm.html", context)
    try:
        stock_count_approve(actor=request.user, count=count)
    except ValidationError as error:
        return refused(request, "warehouse-count", error.messages, pk=count.pk)
    messages.success(request, APPROVED)
    return redirect("warehouse-count", pk=count.pk)


def differing(count: StockCount) -> list:
    lines = count.lines.select_related("batch__product", "location")
    return [line for line in lines if line.counted is not None and line.counted != line.expected]


@permission("warehouse.change_stockcount")
@require_POST
def count_reject(request: HttpRequest, pk: int) -> HttpResponse:
    count = count_get(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return refused(request, "warehouse-count", form_errors(form), pk=count.pk)
    try:
        stock_count_reject(actor=request.user, count=count, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return refused(request, "warehouse-count", error.messages, pk=count.pk)
    messages.success(request, REJECTED)
    return redirect("warehouse-count", pk=count.pk)


def refused(request: HttpRequest, where: str, errors: list, **kwargs: object) -> HttpResponse:
    for error in errors:
        messages.error(request, error)
    return redirect(where, **kwargs)


def form_errors(form: object) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]
