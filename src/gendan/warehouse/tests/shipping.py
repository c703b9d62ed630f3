"""Goods out of the warehouse for tests of what comes back: until the ship step writes its
own moves, an order's reservations are shipped here as the ship step will (each held batch
leaves from the place that holds it, with a SHIPPED move, the reservation marked shipped)."""

from __future__ import annotations

from django.db import transaction

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.tests.helpers import staff
from gendan.warehouse.models import Reservation, StockLevel, StockMove
from gendan.warehouse.services.ledger import MoveInput, stock_moves_add
from gendan.warehouse.services.reservations import batch_give_back


@transaction.atomic
def order_shipped_out(order: Order) -> None:
    """Ship what the order still holds (nothing, when the ship step already did)."""
    for reservation in order.reservations.filter(state=Reservation.State.ACTIVE):
        level = (
            StockLevel.objects.filter(batch=reservation.batch, location__kind="sellable")
            .order_by("-on_hand")
            .first()
        )
        batch_give_back(reservation.batch_id, reservation.quantity)
        reservation.state = Reservation.State.SHIPPED
        reservation.save(update_fields=["state"])
        stock_moves_add(
            actor=staff(Role.WAREHOUSE),
            moves=[MoveInput(
                kind=StockMove.Kind.SHIPPED, batch=reservation.batch,
                quantity=reservation.quantity, from_location=level.location,
                document=order.number, links={"order": order}, releases_reserved=True,
            )],
        )  # fmt: skip
