"""O-44: a failed delivery's goods back into stock, as they left: into the batches and the
places the last shipment took them from (RETURNED moves on the order), the order's
reservations of those batches active again (the customer keeps the shade, O-58), and its picks
and checks cleared, so the warehouse picks, checks and ships it again through the ship step.
Called by logistics (services/failures.py) in its own transaction, with the order locked."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.warehouse.audit_events import reservations_changed_event
from gendan.warehouse.locks import shipped_reservations_lock
from gendan.warehouse.models import (
    Batch,
    Location,
    Package,
    Pick,
    PickCheck,
    Reservation,
    StockMove,
)
from gendan.warehouse.services.ledger import MoveInput, stock_moves_add
from gendan.warehouse.services.reservations import places_checked

GOODS_BACK_REASON = _("Back from a failed delivery.")


def order_goods_back(*, order: Order, actor: User, reason: str = "") -> list[StockMove]:
    """The RETURNED moves of what the order shipped last ([] when nothing stocked left with
    it); refused (ValidationError) when a batch's shipment does not match its reservation."""
    holding = shipped_reservations_lock(order.pk)
    if not holding:
        return []
    places = last_shipment_places(order)
    why = (reason or str(GOODS_BACK_REASON))[:200]
    moves = [
        MoveInput(
            kind=StockMove.Kind.RETURNED, batch=r.batch, quantity=quantity, to_location=place,
            reason=why, document=order.number, links={"order": order},
        )
        for r in holding for place, quantity in places_checked(r, places.get(r.batch_id, []))
    ]  # fmt: skip
    rows = stock_moves_add(actor=actor, moves=moves)
    changes = reservations_active_again(holding)
    picks_cleared(order, holding)
    reservations_changed_event(actor=actor, order=order, changes=changes, reason=why)
    return rows


def last_shipment_places(order: Order) -> dict[int, list[tuple[Location, Decimal]]]:
    """{batch pk: [(location, quantity), ...]}: where the order's last shipment left from (the
    ship step writes its moves at one time)."""
    shipped = StockMove.objects.filter(order=order, kind=StockMove.Kind.SHIPPED)
    last = shipped.aggregate(at=Max("at"))["at"]
    summed: dict[int, dict[Location, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for move in shipped.filter(at=last).select_related("from_location"):
        summed[move.batch_id][move.from_location] += move.quantity
    return {batch: list(parts.items()) for batch, parts in summed.items()}


def reservations_active_again(holding: list[Reservation]) -> list[str]:
    """Held for the order again: back in the batches' ``reserved`` (their goods are back)."""
    for reservation in holding:
        Batch.objects.filter(pk=reservation.batch_id).update(
            reserved=F("reserved") + reservation.quantity
        )
        reservation.state, reservation.ended_at, reservation.ended_by = (
            Reservation.State.ACTIVE, None, None,
        )  # fmt: skip
        reservation.end_reason = ""
    Reservation.objects.bulk_update(holding, ["state", "ended_at", "ended_by", "end_reason"])
    return [f"{r.batch.number} +{r.quantity}" for r in holding]


def picks_cleared(order: Order, holding: list[Reservation]) -> None:
    """A box that left whole is on its shelf again; the picks and checks go (the audit log
    keeps them), so the redelivery is picked and checked anew (O-58)."""
    picks = Pick.objects.filter(reservation__in=holding)
    Package.objects.filter(picks__in=picks, gone_at__isnull=False).update(gone_at=None)
    picks.delete()
    PickCheck.objects.filter(order=order).delete()
