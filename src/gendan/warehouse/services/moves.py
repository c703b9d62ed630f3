"""The warehouse moves goods between its places (sellable → second grade, rack to rack) and
writes off what is damaged beyond sale, each with a reason, through the ledger
(``stock_moves_add``): what open orders hold cannot leave the sellable places, and the ledger's
own message says so."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.warehouse.audit_events import stock_moved_event, stock_written_off_event
from gendan.warehouse.models import Batch, Location, StockMove
from gendan.warehouse.services.ledger import MoveInput, stock_moves_add

REASON_REQUIRED = _("Say why the goods are moved or written off.")
SAME_PLACE = _("The goods are already at %(location)s: choose another place to move them to.")
PLACE_CLOSED = _("Location %(location)s is no longer in use.")
OTHER_WAREHOUSE = _(
    "%(location)s is in another warehouse: goods go between warehouses with a transfer, "
    "not a move within one."
)


@transaction.atomic
def stock_move(
    *,
    actor: User,
    batch: Batch,
    quantity: Decimal,
    from_location: Location,
    to_location: Location,
    reason: str,
) -> StockMove:
    """Goods of one batch from one place to another of the same warehouse (a MOVED move)."""
    reason = reason_checked(reason)
    if from_location.pk == to_location.pk:
        raise ValidationError(SAME_PLACE % {"location": from_location})
    if to_location.warehouse_id != from_location.warehouse_id:
        raise ValidationError(OTHER_WAREHOUSE % {"location": to_location})
    if not to_location.is_active:
        raise ValidationError(PLACE_CLOSED % {"location": to_location})
    [move] = stock_moves_add(actor=actor, moves=[MoveInput(
        kind=StockMove.Kind.MOVED, batch=batch, quantity=quantity,
        from_location=from_location, to_location=to_location, reason=reason,
    )])  # fmt: skip
    stock_moved_event(actor=actor, move=move)
    return move


@transaction.atomic
def stock_write_off(
    *, actor: User, batch: Batch, quantity: Decimal, from_location: Location, reason: str
) -> StockMove:
    """Goods of one batch leave the stock for good (a WRITTEN_OFF move): damaged, lost."""
    reason = reason_checked(reason)
    [move] = stock_moves_add(actor=actor, moves=[MoveInput(
        kind=StockMove.Kind.WRITTEN_OFF, batch=batch, quantity=quantity,
        from_location=from_location, reason=reason,
    )])  # fmt: skip
    stock_written_off_event(actor=actor, move=move)
    return move


def reason_checked(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    return reason[:200]
