"""Returned goods back into stock (O-62, O-63; O-50 recalls): each line into the batch it
shipped from, graded on inspection. Sellable goods go to a sellable place and count as
available again; second-grade and damaged goods stay in their batch, kept apart in a place of
their kind, never available. Called in the booking-in's transaction (orders/effects.py
RETURN_WORK): a refused line refuses the whole booking, and no move is written."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.models import GoodsReturn, Order, ReturnLine
from gendan.orders.return_grading import Grading, LineGrading
from gendan.warehouse.audit_events import returned_stock_in_event
from gendan.warehouse.models import Batch, Location, StockMove
from gendan.warehouse.selectors_returns import ShippedBatch, location_default, shipped_batches
from gendan.warehouse.services.ledger import MoveInput, stock_moves_add

NOT_SHIPPED = _(
    "Line %(position)s: %(product)s did not leave the warehouse for this order, so it cannot "
    "come back into stock."
)
NOT_ITS_BATCH = _(
    "Line %(position)s: the order's %(product)s did not ship from batch %(batch)s; it comes "
    "back into a batch it shipped from."
)
MORE_THAN_SHIPPED = _(
    "Line %(position)s: only %(left)s %(unit)s of batch %(batch)s shipped on this order and "
    "have not come back; %(asked)s cannot come back into it."
)
WRONG_PLACE = _(
    "Line %(position)s: %(location)s is not a place in use for %(condition)s goods; choose "
    "one that is."
)
NO_PLACE = _(
    "Line %(position)s: no place in use takes %(condition)s goods; set one up under the "
    "warehouse's locations first."
)


def return_stock_in(
    *, order: Order, actor: User, goods_return: GoodsReturn, grading: Grading
) -> list[StockMove]:
    """The RETURNED moves of the return's stocked lines (products not kept in stock come back
    with no move), document: the return's number."""
    shipped = shipped_batches(order)
    moves, errors = [], []
    for line in goods_return.lines.select_related("product").order_by("position"):
        if not line.product.stocked:
            continue
        try:
            moves.append(line_move(line, grading.get(line.pk, LineGrading()), shipped, order))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    if not moves:
        return []
    for move in moves:
        move.links = {"order": order, "goods_return": goods_return}
        move.document = str(goods_return)
    written = stock_moves_add(actor=actor, moves=moves)
    returned_stock_in_event(actor=actor, goods_return=goods_return, moves=written)
    return written


def line_move(
    line: ReturnLine, grading: LineGrading, shipped: dict[int, list[ShippedBatch]], order: Order
) -> MoveInput:
    names = {"position": line.position, "product": line.product, "unit": line.get_unit_display()}
    option = batch_option(line, grading, shipped.get(line.product_id, []), names)
    if line.quantity > option.left:
        raise ValidationError(
            MORE_THAN_SHIPPED % (names | {"left": option.left, "batch": option.batch.number,
                                          "asked": line.quantity})
        )  # fmt: skip
    option.back += line.quantity  # a second line of the same batch sees what this one took
    place = place_of(order, option.batch, grading, names)
    return MoveInput(
        kind=StockMove.Kind.RETURNED, batch=option.batch, quantity=line.quantity,
        to_location=place, reason=str(line.get_condition_display() or "")[:200],
    )  # fmt: skip


def batch_option(
    line: ReturnLine, grading: LineGrading, options: list[ShippedBatch], names: dict
) -> ShippedBatch:
    """The batch the line names (a split), else the one with the most still out."""
    if not options:
        raise ValidationError(NOT_SHIPPED % names)
    if grading.batch_id is None:
        return max(options, key=lambda option: option.left)
    for option in options:
        if option.batch.pk == grading.batch_id:
            return option
    batch = Batch.objects.filter(pk=grading.batch_id).first()
    raise ValidationError(NOT_ITS_BATCH % (names | {"batch": batch.number if batch else "?"}))


def place_of(order: Order, batch: Batch, grading: LineGrading, names: dict) -> Location:
    """The location the warehouse chose, which must take goods of the line's grade; else the
    default (warehouse/selectors_returns.py ``location_default``)."""
    kind = grading.condition
    condition = Location.Kind(kind).label
    if grading.location_id is None:
        place = location_default(order, batch, kind)
        if place is None:
            raise ValidationError(NO_PLACE % (names | {"condition": condition}))
        return place
    place = Location.objects.filter(pk=grading.location_id).select_related("warehouse").first()
    usable = place is not None and place.is_active and place.warehouse.is_active
    if not usable or place.kind != kind:
        shown = place or grading.location_id
        raise ValidationError(WRONG_PLACE % (names | {"location": shown, "condition": condition}))
    return place
