"""The warehouse's preparing pages (O-18, O-58): the work list, what to pick for a day, and
picking one order on a phone. Each validates, calls one service or selector, and renders; a
picking form sent by htmx gets the order's lines back with what happened, a form sent without
script is sent back to the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from gendan.catalog.models import Product
from gendan.core.decorators import permission
from gendan.core.listing import date_param, list_params, page_of
from gendan.orders.models import Order
from gendan.orders.selectors import order_get
from gendan.warehouse.selectors_picking import (
    pick_checks,
    pick_lines,
    picklist,
    picklist_runs,
    to_prepare,
    work_rows,
)
from gendan.warehouse.services.picking import (
    CHECKS,
    PICKED,
    package_pick,
    pick_check_record,
    pick_undo,
    quantity_pick,
    shown,
)


@permission("warehouse.view_batch")
def work_list(request: HttpRequest) -> HttpResponse:
    """O-18: the delivery notes received, to prepare, by delivery day; urgent pickups first."""
    params = list_params(request, "q")
    page = page_of(request, to_prepare(request.user, params["q"]))
    context = {"page": page, "rows": work_rows(list(page.object_list)), "params": params}
    return render(request, "warehouse/work_list.html", context)


@permission("warehouse.view_batch")
def work_picklist(request: HttpRequest) -> HttpResponse:
    """What to pick for one day's deliveries, by product, batch and location (default: tomorrow)."""
    day = date_param(request.GET.get("date", "").strip())
    day = day or timezone.localdate() + dt.timedelta(days=1)
    runs = picklist_runs(request.user, day)  # O-43: truck by truck, once routes are published
    context = {"day": day, "rows": picklist(request.user, day), "runs": runs}
    return render(request, "warehouse/work_picklist.html", context)


@permission("warehouse.add_pick")
def order_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """Picking one order on a phone: scan each box, then record each product's checks."""
    order = order_get(user=request.user, pk=pk)
    return render(request, "warehouse/work_pick.html", pick_context(order))


def pick_context(order: Order, **extra: object) -> dict[str, object]:
    lines = pick_lines(order)
    checks = pick_checks(order)
    products = []
    for line in lines:
        if line.reservation.product not in [p for p, _c in products]:
            products.append((line.reservation.product, checks.get(line.reservation.product_id)))
    ready = bool(lines) and all(line.done for line in lines) and all(
        check is not None and all(getattr(check, name) for name in CHECKS)
        for _product, check in products
    )  # fmt: skip
    return {"order": order, "lines": lines, "products": products, "ready": ready, **extra}


def picked_answer(request: HttpRequest, order: Order, *, done: str = "", error: object = None):
    """The lines again with what happened (htmx), or the page again (a plain form)."""
    errors = list(error.messages) if isinstance(error, ValidationError) else []
    if request.headers.get("HX-Request") == "true":
        context = pick_context(order, done=done, errors=errors)
        return render(request, "warehouse/work_pick_lines.html", context)
    for text in errors:
        messages.error(request, text)
    if done:
        messages.success(request, done)
    return redirect("warehouse-order-pick", pk=order.pk)


@require_POST
@permission("warehouse.add_pick")
def pick_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """O-58: a box scanned or typed: taken for its line, or refused on the spot."""
    order = order_get(user=request.user, pk=pk)
    try:
        pick = package_pick(actor=request.user, order=order, code=request.POST.get("code", ""))
    except ValidationError as error:
        return picked_answer(request, order, error=error)
    done = PICKED % {
        "code": pick.package.code, "quantity": shown(pick.quantity),
        "unit": pick.reservation.product.get_unit_display(), "batch": pick.reservation.batch.number,
    }  # fmt: skip
    return picked_answer(request, order, done=str(done))


@require_POST
@permission("warehouse.add_pick")
def pick_quantity(request: HttpRequest, pk: int) -> HttpResponse:
    """Goods without labels: a quantity from a place, of the line's reserved batch."""
    order = order_get(user=request.user, pk=pk)
    try:
        quantity = Decimal(request.POST.get("quantity", "").strip() or "0")
    except InvalidOperation:
        quantity = Decimal("0")
    try:
        quantity_pick(
            actor=request.user, order=order, quantity=quantity,
            reservation_id=number_of(request.POST.get("line")),
            location_id=number_of(request.POST.get("location")),
        )  # fmt: skip
    except ValidationError as error:
        return picked_answer(request, order, error=error)
    return picked_answer(request, order)


def number_of(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 12 else 0


@require_POST
@permission("warehouse.add_pick")
def pick_undo_view(request: HttpRequest, pk: int, pick_pk: int) -> HttpResponse:
    order = order_get(user=request.user, pk=pk)
    try:
        pick_undo(actor=request.user, order=order, pick_id=pick_pk)
    except ValidationError as error:
        return picked_answer(request, order, error=error)
    return picked_answer(request, order)


@require_POST
@permission("warehouse.add_pickcheck")
def pick_check(request: HttpRequest, pk: int) -> HttpResponse:
    """O-58: the checks of one product: box opened and colour compared, quality, code, size."""
    order = order_get(user=request.user, pk=pk)
    product = get_object_or_404(Product, pk=number_of(request.POST.get("product")))
    checks = {name: request.POST.get(name) == "on" for name in CHECKS}
    try:
        pick_check_record(
            actor=request.user, order=order, product=product, checks=checks,
            note=request.POST.get("note", ""),
        )  # fmt: skip
    except ValidationError as error:
        return picked_answer(request, order, error=error)
    return picked_answer(request, order)
