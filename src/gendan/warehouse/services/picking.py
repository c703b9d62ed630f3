"""Preparing an order (O-18, O-58): the warehouse takes each reserved line's boxes, one label
scanned (or typed) at a time, from the batch the line is reserved from and no other, then
records the checks of each product (a box opened and the colour compared, quality, colour
code, size). The ship step (services/shipping.py) ships only what is picked and checked.

A box of another batch, of a product the order does not hold, already picked or gone, is
refused on the spot with what was expected and what was scanned. Goods received without
labels are picked by quantity and location, still from the reserved batch.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.orders.models import Order
from gendan.warehouse.audit_events import pick_checked_event, pick_undone_event, picked_event
from gendan.warehouse.locks import package_lock, reservations_lock
from gendan.warehouse.models import Location, Package, Pick, PickCheck, Reservation, StockLevel
from gendan.warehouse.services.ledger import quantity_valid

ZERO = Decimal("0")

NOTHING_TO_PICK = _(
    "Order %(order)s holds nothing in the warehouse to pick: its delivery note is not made, "
    "or its goods have left."
)
CODE_MISSING = _("Scan or type a box label.")
PACKAGE_UNKNOWN = _("No box has the label %(code)s.")
PACKAGE_GONE = _("Box %(code)s has already left the warehouse.")
PACKAGE_PICKED = _("Box %(code)s is already picked for order %(order)s.")
WRONG_PRODUCT = _(
    "Box %(code)s holds %(product)s (batch %(scanned)s): this order needs none of it from the "
    "warehouse. Put it back."
)
WRONG_BATCH = _(
    "O-58: box %(code)s is of batch %(scanned)s; this order's %(product)s is reserved from "
    "batch %(expected)s. Put it back and take a box of batch %(expected)s."
)
LINE_FULL = _("%(product)s, batch %(batch)s: all %(quantity)s %(unit)s are already picked.")
PICKED = _("Box %(code)s picked: %(quantity)s %(unit)s of batch %(batch)s.")
QUANTITY_WRONG = _(
    "A quantity picked is greater than zero, with at most three decimals, and no more than is "
    "still to pick (%(left)s %(unit)s)."
)
PLACE_WRONG = _("%(location)s does not hold %(quantity)s %(unit)s of batch %(batch)s.")
PLACE_MISSING = _("Choose the location the goods are taken from.")
LINE_NOT_FOUND = _("That line is not one this order holds.")
PICK_NOT_FOUND = _("That pick is not one of this order's, or its goods have left.")
NOT_PICKED_YET = _("Pick %(product)s before recording its checks: a box is opened and compared.")
NOTE_NEEDED = _("A check not passed needs a note saying what was found.")


def shown(quantity: Decimal) -> str:
    """A quantity as people write it in a message: 10, 2.36 (not 10.000)."""
    return format(quantity.normalize(), "f")


def picking_allowed(actor: User) -> None:
    if not actor.has_perm("warehouse.add_pick"):
        raise PermissionDenied


def holding_of(order: Order) -> list[Reservation]:
    """The order's active reservations, locked; refused when there is nothing to pick."""
    holding = reservations_lock(order.pk)
    if not holding:
        raise ValidationError(NOTHING_TO_PICK % {"order": order.number})
    return holding


def picked_of(reservation: Reservation) -> Decimal:
    return reservation.picks.aggregate(total=Sum("quantity"))["total"] or ZERO


@transaction.atomic
def package_pick(*, actor: User, order: Order, code: str) -> Pick:
    """O-58: take the box with this label for the order, if it is of the reserved batch."""
    picking_allowed(actor)
    code = (code or "").strip()
    if not code:
        raise ValidationError(CODE_MISSING)
    holding = holding_of(order)
    package = package_lock(code)
    if package is None:
        raise ValidationError(PACKAGE_UNKNOWN % {"code": code})
    package_available(package)
    reservation = reservation_for(holding, package)
    left = reservation.quantity - picked_of(reservation)
    if left <= 0:
        raise ValidationError(LINE_FULL % line_names(reservation))
    # The last box of a line may hold more than is left: it is opened and only part taken.
    pick = Pick.objects.create(
        reservation=reservation, package=package, location=package.location,
        quantity=min(package.quantity, left), picked_by=actor,
    )  # fmt: skip
    picked_event(actor=actor, pick=pick)
    return pick


def package_available(package: Package) -> None:
    """A box that left, or that an order being prepared already holds, is not taken again."""
    if package.gone_at is not None:
        raise ValidationError(PACKAGE_GONE % {"code": package.code})
    taken = (
        Pick.objects.filter(package=package, reservation__state=Reservation.State.ACTIVE)
        .select_related("reservation__order")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            PACKAGE_PICKED % {"code": package.code, "order": taken.reservation.order.number}
        )


def reservation_for(holding: list[Reservation], package: Package) -> Reservation:
    """The line the box belongs to: the product's reservation from the box's own batch."""
    same_product = [r for r in holding if r.product_id == package.batch.product_id]
    names = {"code": package.code, "scanned": package.batch.number}
    if not same_product:
        raise ValidationError(WRONG_PRODUCT % (names | {"product": package.batch.product}))
    for reservation in same_product:
        if reservation.batch_id == package.batch_id:
            return reservation
    expected = ", ".join(r.batch.number for r in same_product)
    raise ValidationError(
        WRONG_BATCH % (names | {"product": package.batch.product, "expected": expected})
    )


def line_names(reservation: Reservation) -> dict[str, object]:
    return {
        "product": reservation.product, "batch": reservation.batch.number,
        "quantity": shown(reservation.quantity), "unit": reservation.product.get_unit_display(),
    }  # fmt: skip


@transaction.atomic
def quantity_pick(
    *, actor: User, order: Order, reservation_id: int, location_id: int, quantity: Decimal
) -> Pick:
    """Goods received without labels: a quantity from a place, of the line's reserved batch."""
    picking_allowed(actor)
    reservation = next((r for r in holding_of(order) if r.pk == reservation_id), None)
    if reservation is None:
        raise ValidationError(LINE_NOT_FOUND)
    location = Location.objects.filter(pk=location_id).select_related("warehouse").first()
    if location is None:
        raise ValidationError({"location": PLACE_MISSING})
    left = reservation.quantity - picked_of(reservation)
    unit = reservation.product.get_unit_display()
    if not quantity_valid(quantity) or quantity > left:
        raise ValidationError({"quantity": QUANTITY_WRONG % {"left": shown(left), "unit": unit}})
    if location_free(reservation, location) < quantity:
        raise ValidationError({"location": PLACE_WRONG % {
            "location": location, "quantity": shown(quantity), "unit": unit,
            "batch": reservation.batch.number,
        }})  # fmt: skip
    pick = Pick.objects.create(
        reservation=reservation, location=location, quantity=quantity, picked_by=actor
    )
    picked_event(actor=actor, pick=pick)
    return pick


def location_free(reservation: Reservation, location: Location) -> Decimal:
    """What a sellable place holds of the batch beyond what orders being prepared picked."""
    if location.kind != Location.Kind.SELLABLE:
        return ZERO
    level = StockLevel.objects.filter(batch=reservation.batch, location=location).first()
    picked = Pick.objects.filter(
        reservation__batch=reservation.batch, reservation__state=Reservation.State.ACTIVE,
        location=location,
    ).aggregate(total=Sum("quantity"))["total"] or ZERO  # fmt: skip
    return (level.on_hand if level else ZERO) - picked


@transaction.atomic
def pick_undo(*, actor: User, order: Order, pick_id: int) -> None:
    """A box picked by mistake goes back: its pick is taken back (the audit log keeps it)."""
    picking_allowed(actor)
    holding = holding_of(order)
    pick = (
        Pick.objects.select_related("reservation__batch", "reservation__order", "package")
        .filter(pk=pick_id, reservation__in=holding)
        .first()
    )
    if pick is None:
        raise ValidationError(PICK_NOT_FOUND)
    pick_undone_event(actor=actor, pick=pick)
    pick.delete()


CHECKS = ("colour_compared", "quality_ok", "colour_code_ok", "size_ok")


@transaction.atomic
def pick_check_record(
    *, actor: User, order: Order, product: Product, checks: dict[str, bool], note: str = ""
) -> PickCheck:
    """O-58: the checks of one product of the order, once some of it is picked; recorded
    again, the new answers replace the old (the audit log keeps both)."""
    picking_allowed(actor)
    holding = [r for r in holding_of(order) if r.product_id == product.pk]
    if not holding:
        raise ValidationError(LINE_NOT_FOUND)
    if not any(r.picks.exists() for r in holding):
        raise ValidationError(NOT_PICKED_YET % {"product": product})
    answers = {name: bool(checks.get(name)) for name in CHECKS}
    note = (note or "").strip()[:200]
    if not all(answers.values()) and not note:
        raise ValidationError({"note": NOTE_NEEDED})
    check, _created = PickCheck.objects.update_or_create(
        order=order, product=product,
        defaults={**answers, "note": note, "checked_by": actor, "checked_at": timezone.now()},
    )  # fmt: skip
    pick_checked_event(actor=actor, check=check)
    return check


@transaction.atomic
def order_pick_all(*, order: Order, actor: User) -> None:
    """Prepare the whole order as the warehouse would (the demo and the benchmark walk orders
    with it, simulate.py): each line's labelled boxes of its batch first, then unlabelled
    stock from the places holding the batch; then each product's checks, all passed."""
    for reservation in reservations_lock(order.pk):
        left = reservation.quantity - picked_of(reservation)
        free = Package.objects.filter(batch=reservation.batch, gone_at__isnull=True).exclude(
            picks__reservation__state=Reservation.State.ACTIVE
        )
        for code in free.order_by("code").values_list("code", flat=True):
            if left <= 0:
                break
            left -= package_pick(actor=actor, order=order, code=code).quantity
        levels = StockLevel.objects.filter(
            batch=reservation.batch, location__kind=Location.Kind.SELLABLE, on_hand__gt=0
        ).select_related("location").order_by("location", "pk")  # fmt: skip
        for level in levels:
            part = min(left, location_free(reservation, level.location))
            if part > 0:
                quantity_pick(actor=actor, order=order, reservation_id=reservation.pk,
                              location_id=level.location_id, quantity=part)  # fmt: skip
                left -= part
    for product in Product.objects.filter(
        pk__in=order.reservations.filter(state=Reservation.State.ACTIVE).values("product")
    ):
        pick_check_record(
            actor=actor, order=order, product=product, checks=dict.fromkeys(CHECKS, True)
        )
