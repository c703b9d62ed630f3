"""Whether a drop's goods may leave on its day: the reasons they may not, translated, with
their rule. Until they are gone, nobody promises the customer a time (O-43).

The delivery note made (O-18), the order's stocked products reserved for it (O-58: the note
reserves them; a cancelled or changed order lets them go), and finance's signature on the note
(O-19) where the order's route has finance review it. Once the ship step is signed the goods
are on their way and nothing of this holds them any more.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from gendan.orders.models import Order, OrderLine
from gendan.orders.routes import DELIVERY_NOTE, FINANCE_REVIEW, ROUTES, SHIP
from gendan.warehouse.models import Reservation

NOTE_NOT_MADE = _("O-18: the delivery note is not made yet.")
NOT_RESERVED = _("O-18: the stock is not reserved for %(products)s.")
FINANCE_NOT_SIGNED = _("O-19: finance has not signed the delivery note.")


def drop_readiness(order: Order) -> list[str]:
    """Why the order's goods may not leave yet; an empty list when they may."""
    return orders_readiness([order])[order.pk]


def orders_readiness(orders: Iterable[Order]) -> dict[int, list[str]]:
    """``drop_readiness`` of many orders in two queries (a day's call list or plan)."""
    orders = list(orders)
    waiting = [o for o in orders if DELIVERY_NOTE.code in o.signed and SHIP.code not in o.signed]
    unreserved = orders_unreserved(waiting)
    return {order.pk: order_reasons(order, unreserved.get(order.pk, [])) for order in orders}


def order_reasons(order: Order, unreserved: list[str]) -> list[str]:
    if SHIP.code in order.signed:
        return []
    if DELIVERY_NOTE.code not in order.signed:
        # The note reserves the stock and is what finance signs: one reason says it all.
        return [str(NOTE_NOT_MADE)]
    reasons = []
    if unreserved:
        reasons.append(str(NOT_RESERVED % {"products": ", ".join(unreserved)}))
    if ROUTES[order.route].has(FINANCE_REVIEW.code) and FINANCE_REVIEW.code not in order.signed:
        reasons.append(str(FINANCE_NOT_SIGNED))
    return reasons


def orders_unreserved(orders: list[Order]) -> dict[int, list[str]]:
    """The item numbers of each order's stocked products its active reservations do not
    cover in full."""
    if not orders:
        return {}
    pks = [order.pk for order in orders]
    held: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for row in (
        Reservation.objects.filter(order__in=pks, state=Reservation.State.ACTIVE)
        .values("order", "product")
        .annotate(total=Sum("quantity"))
    ):
        held[row["order"], row["product"]] = row["total"]
    missing: dict[int, list[str]] = defaultdict(list)
    for row in (
        OrderLine.objects.filter(order__in=pks, product__stocked=True)
        .values("order", "product", "product__sku")
        .annotate(needed=Sum("quantity"))
        .order_by("order", "product__sku")
    ):
        if held[row["order"], row["product"]] < row["needed"]:
            missing[row["order"]].append(row["product__sku"])
    return dict(missing)
