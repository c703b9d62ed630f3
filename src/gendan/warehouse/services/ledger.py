"""The stock ledger: every change of stock is a move added here, and the figures it changes
(each location's level, each batch's sellable on hand) are kept in the same transaction.

``stock_moves_add`` is the only code that writes a StockMove or changes a level; reservations
(services/reservations.py) are the only code that changes a batch's ``reserved``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.warehouse.locks import batches_lock, levels_lock
from gendan.warehouse.models import Batch, Location, StockLevel, StockMove

NOT_THERE = _(
    "Only %(there)s %(unit)s of batch %(batch)s are at %(location)s; %(asked)s cannot leave it."
)
HELD_FOR_ORDERS = _(
    "Batch %(batch)s: %(reserved)s %(unit)s of it are reserved for open orders; taking "
    "%(asked)s would leave less than that. Release or move those reservations first."
)
NO_PLACE = _("A move comes from a location, goes to one, or both.")
NOT_POSITIVE = _("A quantity moved is greater than zero, with at most three decimals.")
ZERO = Decimal("0")


@dataclass
class MoveInput:
    kind: str
    batch: Batch
    quantity: Decimal
    from_location: Location | None = None
    to_location: Location | None = None
    reason: str = ""
    document: str = ""
    links: dict[str, object] = field(default_factory=dict)  # order, goods_return, receipt, count
    # A shipment takes goods its reservation held: the reservation service has already
    # lowered ``reserved``, so leaving does not look like eating into what others hold.
    releases_reserved: bool = False


def quantity_valid(quantity: Decimal) -> bool:
    return quantity.is_finite() and quantity > 0 and quantity.as_tuple().exponent >= -3


@transaction.atomic
def stock_moves_add(*, actor: User, moves: list[MoveInput]) -> list[StockMove]:
    """Add the moves to the ledger and keep the figures, all or nothing: a move that would take
    more than a location holds, or eat into what open orders hold, refuses them all."""
    for move in moves:
        if move.from_location is None and move.to_location is None:
            raise ValidationError(NO_PLACE)
        if not quantity_valid(move.quantity):
            raise ValidationError(NOT_POSITIVE)
    batches = batches_lock(move.batch.pk for move in moves)
    levels = levels_lock(place for move in moves for place in move_places(move))
    now = timezone.now()
    errors = levels_apply(moves, batches, levels) + batches_apply(moves, batches, now)
    if errors:
        raise ValidationError(errors)
    levels_save(levels)
    Batch.objects.bulk_update(batches.values(), ["on_hand", "first_received_at"])
    rows = [move_row(actor, move, now) for move in moves]
    return StockMove.objects.bulk_create(rows)


def move_places(move: MoveInput) -> list[tuple[int, int]]:
    return [
        (move.batch.pk, location.pk)
        for location in (move.from_location, move.to_location)
        if location is not None
    ]


def levels_apply(
    moves: list[MoveInput], batches: dict[int, Batch], levels: dict[tuple[int, int], StockLevel]
) -> list[str]:
    errors = []
    for move in moves:
        batch = batches[move.batch.pk]
        if move.from_location is not None:
            level = levels.get((batch.pk, move.from_location.pk))
            there = level.on_hand if level else ZERO
            if there < move.quantity:
                errors.append(NOT_THERE % names(batch, move, there=there))
            elif level is not None:
                level.on_hand -= move.quantity
        if move.to_location is not None:
            key = (batch.pk, move.to_location.pk)
            if key not in levels:
                levels[key] = StockLevel(batch=batch, location=move.to_location, on_hand=ZERO)
            levels[key].on_hand += move.quantity
    return errors


def batches_apply(moves: list[MoveInput], batches: dict[int, Batch], now) -> list[str]:
    """Sellable stock in and out of each batch; what leaves must not eat into reservations."""
    change: dict[int, Decimal] = defaultdict(Decimal)
    released: dict[int, bool] = defaultdict(bool)
    for move in moves:
        change[move.batch.pk] += sellable_change(move)
        released[move.batch.pk] |= move.releases_reserved
        if move.kind in RECEIPTS and batches[move.batch.pk].first_received_at is None:
            batches[move.batch.pk].first_received_at = now
    errors = []
    for pk, delta in change.items():
        batch = batches[pk]
        if delta < 0 and batch.on_hand + delta < batch.reserved:
            asked = -delta
            errors.append(HELD_FOR_ORDERS % {
                "batch": batch.number, "reserved": batch.reserved, "asked": asked,
                "unit": batch.product.get_unit_display(),
            })  # fmt: skip
        batch.on_hand += delta
    return errors


RECEIPTS = (StockMove.Kind.RECEIVED_PRODUCTION, StockMove.Kind.RECEIVED_PURCHASE)


def sellable_change(move: MoveInput) -> Decimal:
    delta = ZERO
    if move.to_location is not None and move.to_location.kind == Location.Kind.SELLABLE:
        delta += move.quantity
    if move.from_location is not None and move.from_location.kind == Location.Kind.SELLABLE:
        delta -= move.quantity
    return delta


def names(batch: Batch, move: MoveInput, **extra: object) -> dict[str, object]:
    return {
        "batch": batch.number, "location": move.from_location, "asked": move.quantity,
        "unit": batch.product.get_unit_display(), **extra,
    }  # fmt: skip


def levels_save(levels: dict[tuple[int, int], StockLevel]) -> None:
    new = [level for level in levels.values() if level.pk is None]
    old = [level for level in levels.values() if level.pk is not None]
    StockLevel.objects.bulk_create(new)
    StockLevel.objects.bulk_update(old, ["on_hand"])


def move_row(actor: User, move: MoveInput, now) -> StockMove:
    return StockMove(
        kind=move.kind, batch=move.batch, from_location=move.from_location,
        to_location=move.to_location, quantity=move.quantity, actor=actor, at=now,
        reason=move.reason[:200], document=move.document[:40], **move.links,
    )  # fmt: skip
