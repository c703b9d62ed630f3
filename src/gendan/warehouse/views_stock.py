"""The stock pages: stock by product, a product's batches, a batch's places and moves (with
the move and write-off form), and low stock. Each validates, calls one service or selector,
and renders; moves and write-offs are confirmed on a page of their own first."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of, service_errors_to_form
from gendan.warehouse.forms_stock import MOVE, MoveForm
from gendan.warehouse.models import Batch, Location, StockMove, Warehouse
from gendan.warehouse.selectors_stock import (
    batch_levels,
    batch_moves,
    batches_chart,
    low_stock,
    move_document,
    move_places,
    product_batches,
    stock_batch_get,
    stock_by_product,
    stock_product_get,
    top_ups_short,
    waiting_needs,
)
from gendan.warehouse.services.moves import stock_move, stock_write_off

MOVED = _("Moved: %(quantity)s of batch %(batch)s from %(from)s to %(to)s.")
WRITTEN_OFF = _("Written off: %(quantity)s of batch %(batch)s from %(from)s.")
FILTERS = ("q", "warehouse", "kind", "stock", "o")


def filter_choices() -> dict[str, object]:
    return {
        "warehouses": Warehouse.objects.filter(is_active=True).order_by("code"),
        "kinds": Location.Kind.choices,
    }


@permission("warehouse.view_batch")
def stock_list(request: HttpRequest) -> HttpResponse:
    """Stock by product: on hand in the places chosen, reserved and available."""
    params = list_params(request, *FILTERS)
    products = stock_by_product(
        search=params["q"], warehouse=params["warehouse"], kind=params["kind"],
        with_stock=params["stock"], order=params["o"] or "sku",
    )  # fmt: skip
    context = {"page": page_of(request, products), "params": params, **filter_choices()}
    return render(request, "warehouse/stock_list.html", context)


@permission("warehouse.view_batch")
def stock_product(request: HttpRequest, pk: int) -> HttpResponse:
    """One product's batches, with a chart of what each has available and reserved."""
    product = stock_product_get(pk)
    params = list_params(request, *FILTERS)
    batches = product_batches(
        product, warehouse=params["warehouse"], kind=params["kind"],
        with_stock=params["stock"], order=params["o"] or "produced_on",
    )  # fmt: skip
    context = {
        "product": product, "page": page_of(request, batches), "params": params,
        "chart": batches_chart(product_batches(product)), **filter_choices(),
        "chart_labels": {"available": _("Available"), "reserved": _("Reserved")},
    }  # fmt: skip
    return render(request, "warehouse/stock_product.html", context)


@permission("warehouse.view_batch")
def stock_batch(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch: its places and the moves behind each figure (all, or one place's)."""
    batch = stock_batch_get(pk)
    return render(request, "warehouse/stock_batch.html", batch_context(request, batch))


def batch_context(request: HttpRequest, batch: Batch, form: MoveForm | None = None) -> dict:
    params = list_params(request, "location", "kind")
    page = page_of(request, batch_moves(batch, location=params["location"], kind=params["kind"]))
    rows = [(move, *move_document(move)) for move in page]
    places = move_places(batch)
    return {
        "batch": batch, "levels": batch_levels(batch), "page": page, "rows": rows,
        "params": params, "kinds": StockMove.Kind.choices,
        "form": form or MoveForm(batch=batch, places=places),
    }  # fmt: skip


@permission("warehouse.add_stockmove")
@require_POST
def stock_batch_move(request: HttpRequest, pk: int) -> HttpResponse:
    """First post: what would happen, to confirm; confirmed: the move or write-off. Refused
    (the ledger's message: what open orders hold, what the place has), nothing changes."""
    batch = stock_batch_get(pk)
    form = MoveForm(request.POST, batch=batch, places=move_places(batch))
    if form.is_valid() and request.POST.get("confirmed") != "yes":
        return render(request, "warehouse/stock_move_confirm.html", {"batch": batch, "form": form})
    if form.is_valid():
        try:
            move = move_book(request, batch, form.cleaned_data)
        except ValidationError as refused:
            service_errors_to_form(form, refused)
        else:
            messages.success(request, move_message(move))
            return redirect("warehouse-stock-batch", pk=batch.pk)
    context = batch_context(request, batch, form)
    return render(request, "warehouse/stock_batch.html", context, status=422)


def move_book(request: HttpRequest, batch: Batch, data: dict) -> StockMove:
    common = {
        "actor": request.user, "batch": batch, "quantity": data["quantity"],
        "from_location": data["from_location"], "reason": data["reason"],
    }  # fmt: skip
    if data["action"] == MOVE:
        return stock_move(**common, to_location=data["to_location"])
    return stock_write_off(**common)


def move_message(move: StockMove) -> str:
    names = {
        "quantity": f"{move.quantity.normalize():f} {move.batch.product.get_unit_display()}",
        "batch": move.batch.number, "from": move.from_location, "to": move.to_location,
    }  # fmt: skip
    return (MOVED if move.kind == StockMove.Kind.MOVED else WRITTEN_OFF) % names


@permission("warehouse.view_batch")
def stock_low(request: HttpRequest) -> HttpResponse:
    """Products open orders will need more of than is available, and top-up orders whose
    customer's batch runs short."""
    needs = waiting_needs()
    context = {"short": low_stock(needs), "top_ups": top_ups_short(needs)}
    return render(request, "warehouse/stock_low.html", context)
