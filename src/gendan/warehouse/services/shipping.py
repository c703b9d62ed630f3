"""The ship step's work (orders/effects.py STEP_WORK): goods leave only as picked and checked
(O-58), and signing the step (O-20: the driver, carrier or collecting customer signs the
warehouse's copy) writes their stock moves in the step's own transaction.

Refused, with every reason at once, unless each active reservation is picked in full from its
reserved batch and each product has its checks recorded, all passed. Then the reservations
are shipped from the places the picks came from (reservations_ship), and the picked boxes
leave: a whole box is marked gone; the one box opened for the last part keeps what is left.
An order holding nothing in the warehouse (no stocked products) ships as before.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.orders.services.steps import StepRefused
from gendan.warehouse.audit_events import packages_shipped_event
from gendan.warehouse.locks import reservations_lock
from gendan.warehouse.models import Location, Package, Pick, PickCheck, Reservation, StockMove
from gendan.warehouse.services.picking import CHECKS, line_names, shown
from gendan.warehouse.services.reservations import reservations_ship

ZERO = Decimal("0")

NOT_PICKED = _(
    "O-18: %(product)s, batch %(batch)s: %(picked)s of %(quantity)s %(unit)s are picked. "
    "The warehouse picks the whole line before it ships."
)
NOT_CHECKED = _(
    "O-58: %(product)s has no checks recorded: open a box and compare the colour, check the "
    "quality, the colour code and the size."
)
CHECK_FAILED = _("O-58: %(product)s did not pass its checks: %(note)s")


def order_ship(*, order: Order, actor: User) -> list[StockMove]:
    """O-20 with O-58: in the ship step's transaction, what the order holds leaves as picked."""
    holding = reservations_lock(order.pk)
    if not holding:
        return []
    picks = list(Pick.objects.filter(reservation__in=holding).select_related("location", "package"))
    refusals = pick_shortfalls(holding, picks) + check_shortfalls(order, holding)
    if refusals:
        raise StepRefused(refusals)
    try:
        moves = reservations_ship(order=order, actor=actor, places=picked_places(picks))
    except ValidationError as error:  # the place no longer holds it: say so on the step
        raise StepRefused(error.messages) from error
    packages_leave(order, actor, picks)
    return moves


def pick_shortfalls(holding: list[Reservation], picks: list[Pick]) -> list[str]:
    picked: dict[int, Decimal] = defaultdict(Decimal)
    for pick in picks:
        picked[pick.reservation_id] += pick.quantity
    return [
        str(NOT_PICKED % (line_names(r) | {"picked": shown(picked[r.pk])}))
        for r in holding
        if picked[r.pk] != r.quantity
    ]


def check_shortfalls(order: Order, holding: list[Reservation]) -> list[str]:
    checks = {check.product_id: check for check in PickCheck.objects.filter(order=order)}
    reasons, seen = [], set()
    for reservation in holding:
        if reservation.product_id in seen:
            continue
        seen.add(reservation.product_id)
        check = checks.get(reservation.product_id)
        if check is None:
            reasons.append(str(NOT_CHECKED % {"product": reservation.product}))
        elif not all(getattr(check, name) for name in CHECKS):
            reasons.append(str(CHECK_FAILED % {"product": reservation.product, "note": check.note}))
    return reasons


def picked_places(picks: list[Pick]) -> dict[int, list[tuple[Location, Decimal]]]:
    """{reservation pk: [(location, quantity), ...]}: where the picks came from, summed."""
    places: dict[int, dict[Location, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for pick in picks:
        places[pick.reservation_id][pick.location] += pick.quantity
    return {pk: list(parts.items()) for pk, parts in places.items()}


def packages_leave(order: Order, actor: User, picks: list[Pick]) -> None:
    """A box taken whole is gone; an opened box keeps what was not taken from it."""
    now, codes = timezone.now(), []
    for pick in picks:
        package = pick.package
        if package is None:
            continue
        codes.append(package.code)
        if pick.quantity >= package.quantity:
            Package.objects.filter(pk=package.pk).update(gone_at=now)
        else:
            Package.objects.filter(pk=package.pk).update(quantity=package.quantity - pick.quantity)
    if codes:
        packages_shipped_event(actor=actor, order=order, codes=codes)
