"""O-58: one customer's goods of one product from one batch. When the clerk makes the delivery
note (O-18), each product of the order is reserved from one batch that has enough available
for all of it:

1. a batch the same customer (homeowner or project) already received of that product, so a
   top-up order matches the floor already laid;
2. then the batch that leaves the smallest remainder (the fewest broken leftovers);
3. then the oldest.

When no single batch has enough, the step is refused with what can be done (the largest batch
and what is missing, the next batch due); with the customer's agreement recorded
(SplitAgreement) the product is reserved over the fewest batches.

A reservation is taken with a conditional UPDATE (``on_hand >= reserved + quantity``), so two
clerks reserving from the same batch at the same moment cannot both have it; the one who
loses chooses again. The batch's constraint holds the same line in the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.catalog.models import Product
from gendan.orders.models import Order
from gendan.orders.routes import DELIVERY_NOTE
from gendan.orders.services.steps import StepRefused
from gendan.parties.models import CustomerKind
from gendan.warehouse.audit_events import reservations_changed_event, split_agreed_event
from gendan.warehouse.models import (
    Batch,
    Location,
    Reservation,
    SplitAgreement,
    StockLevel,
    StockMove,
)
from gendan.warehouse.services.ledger import MoveInput, stock_moves_add
from gendan.warehouse.services.reservations_fast import reservations_take_at_once

ZERO = Decimal("0")
# How often a reservation chooses again after another clerk took the batch it chose.
RETRIES = 5

NO_SINGLE_BATCH = _(
    "O-58: no single batch of %(product)s has the %(needed)s %(unit)s this order needs. "
    "%(largest)s %(due)s Agree a split over batches with the customer, or wait for the next "
    "batch."
)
LARGEST = _("The largest, batch %(batch)s, has %(available)s %(unit)s (%(missing)s missing).")
NONE_AVAILABLE = _("Nothing of it is available.")
NEXT_DUE = _("Batch %(batch)s is due on %(due)s.")
NOT_ENOUGH_AT_ALL = _(
    "%(product)s: %(needed)s %(unit)s are needed and only %(available)s are available over all "
    "batches, even split. %(due)s"
)
AGREED_BY_MISSING = _("O-58: say who agreed to the split (the customer's name).")
RELEASED_CANCELLED = _("The order was cancelled.")
RELEASED_CHANGED = _("The order was changed.")
RELEASED_MOVED = _("Moved to a batch that holds the whole quantity.")
SHIPPED_REASON = _("Shipped with the order.")
PLACES_WRONG = _(
    "Batch %(batch)s: the places picked hold %(picked)s %(unit)s, the reservation %(held)s."
)
PLACES_FOREIGN = _("A place given is for a reservation this order does not hold.")


@dataclass(frozen=True)
class Shortfall:
    """What the order page offers when no single batch can cover a product."""

    product: Product
    needed: Decimal
    largest: Batch | None
    next_due: Batch | None

    @property
    def missing(self) -> Decimal:
        return self.needed - (self.largest.available if self.largest else ZERO)

    def message(self) -> str:
        unit = self.product.get_unit_display()
        largest = (
            LARGEST % {"batch": self.largest.number, "available": self.largest.available,
                       "unit": unit, "missing": self.missing}
            if self.largest else NONE_AVAILABLE
        )  # fmt: skip
        due = NEXT_DUE % {"batch": self.next_due.number, "due": self.next_due.due_on} if (
            self.next_due
        ) else ""  # fmt: skip
        return str(NO_SINGLE_BATCH % {
            "product": self.product, "needed": self.needed, "unit": unit, "largest": largest,
            "due": due,
        })  # fmt: skip


def order_needs(order: Order) -> dict[int, Decimal]:
    """What the order needs of each stocked product: its lines summed (one batch a product)."""
    needs: dict[int, Decimal] = defaultdict(Decimal)
    for product_id, quantity in order.lines.filter(product__stocked=True).values_list(
        "product", "quantity"
    ):
        needs[product_id] += quantity
    return dict(needs)


def held(order: Order) -> dict[int, list[Reservation]]:
    """The order's active reservations, by product."""
    rows: dict[int, list[Reservation]] = defaultdict(list)
    for reservation in order.reservations.filter(state=Reservation.State.ACTIVE).select_related(
        "batch", "product"
    ):
        rows[reservation.product_id].append(reservation)
    return rows


def shipped(order: Order) -> dict[int, Decimal]:
    rows = (
        order.reservations.filter(state=Reservation.State.SHIPPED)
        .values("product")
        .annotate(total=Sum("quantity"))
    )
    return {row["product"]: row["total"] for row in rows}


@transaction.atomic
def order_reserve(*, order: Order, actor: User, reason: str = "") -> QuerySet[Reservation]:
    """Reserve what the order needs and does not hold yet; give back what it holds beyond its
    needs. Refused (StepRefused) with what can be done when a product has no batch to come
    from; then nothing of the order is reserved. The products new to the order go at once
    (reservations_fast); the rest, and all of them when a chosen batch was taken meanwhile,
    product by product. What the order then holds, as a query."""
    needs = order_needs(order)
    holding, gone = held(order), shipped(order)
    agreed = set(order.split_agreements.values_list("product", flat=True))
    other = holding.keys() | gone.keys() | agreed  # changed, part shipped, split: per line
    fresh = {p: q for p, q in needs.items() if q > 0 and p not in other}
    done = reservations_take_at_once(
        order=order, actor=actor, needs=fresh, customer=order_customer(order)
    )
    refusals: list[str] = []
    rest = (set(needs) | set(holding)) - set(done)
    products = Product.objects.in_bulk(rest) if rest else {}
    for product_id in sorted(products):
        product = products[product_id]
        wanted = needs.get(product_id, ZERO) - gone.get(product_id, ZERO)
        try:
            done[product_id] = product_reserve(
                order, actor, product, wanted, holding.get(product_id, []),
                split=product_id in agreed, reason=reason,
            )  # fmt: skip
        except StepRefused as refused:
            refusals += refused.reasons
    if refusals:
        raise StepRefused(refusals)
    changes = [change for product_id in sorted(done) for change in done[product_id]]
    if changes:
        reservations_changed_event(actor=actor, order=order, changes=changes, reason=reason)
    return order.reservations.filter(state=Reservation.State.ACTIVE)  # read only if wanted


def product_reserve(
    order: Order,
    actor: User,
    product: Product,
    wanted: Decimal,
    holding: list[Reservation],
    *,
    split: bool,
    reason: str,
) -> list[str]:
    """Bring what the order holds of one product to ``wanted``; the changes, as text."""
    have = sum((r.quantity for r in holding), ZERO)
    if wanted <= 0:
        return reservations_end(holding, actor, Reservation.State.RELEASED, RELEASED_CHANGED)
    if have == wanted:
        return []
    if have > wanted:
        return reservation_shrink(holding, have - wanted)
    if len(holding) == 1 and batch_take(holding[0].batch_id, wanted - have):
        holding[0].quantity += wanted - have
        holding[0].save(update_fields=["quantity"])
        return [f"{holding[0].batch.number} +{wanted - have}"]
    # Not from the batch it holds: the whole quantity again from one batch (or a split).
    changes = reservations_end(holding, actor, Reservation.State.RELEASED, RELEASED_MOVED)
    return changes + reservation_take(order, actor, product, wanted, split=split)


def reservation_take(
    order: Order, actor: User, product: Product, quantity: Decimal, *, split: bool
) -> list[str]:
    """Reserve ``quantity`` of a product from one batch (or, agreed, the fewest)."""
    refused: set[int] = set()
    for _attempt in range(RETRIES):
        plan = batch_plan(order, product, quantity, split=split, exclude=refused)
        taken = []
        for batch, part in plan:
            if not batch_take(batch.pk, part):
                refused.add(batch.pk)
                break
            taken.append((batch, part))
        else:
            return reservations_write(order, actor, product, taken)
        for batch, part in taken:  # another clerk was quicker: give back and choose again
            batch_give_back(batch.pk, part)
    raise StepRefused([shortfall_of(product, quantity).message()])


def batch_plan(
    order: Order, product: Product, quantity: Decimal, *, split: bool, exclude: set[int]
) -> list[tuple[Batch, Decimal]]:
    """Where the quantity comes from; refused (StepRefused) when nothing can cover it."""
    whole = batch_whole(order, product, quantity, exclude)
    if whole is not None:
        return [(whole, quantity)]
    if not split:
        raise StepRefused([shortfall_of(product, quantity).message()])
    batches = [
        batch for batch in Batch.objects.filter(product=product, on_hand__gt=F("reserved"))
        if batch.pk not in exclude
    ]  # fmt: skip
    return split_plan(product, batches, quantity)


def batch_whole(
    order: Order, product: Product, quantity: Decimal, exclude: set[int]
) -> Batch | None:
    """The batch ``batch_choose`` would take of those holding the whole quantity, chosen by
    the database: a product has hundreds of batches, and loading them all for each line of
    an order cost more than the rest of the reservation (bench/warehouse_reserve.py)."""
    customer = order_customer(order)
    own = Value(False) if customer is None else Exists(
        Reservation.objects.filter(
            Q(order__end_customer=customer) | Q(order__customer=customer),
            batch=OuterRef("pk"), product=product, state=Reservation.State.SHIPPED,
        )
    )  # fmt: skip
    choice = (F("own").desc(), F("on_hand") - F("reserved"),
              F("produced_on").asc(nulls_last=True), "pk")  # fmt: skip
    return (
        Batch.objects.filter(product=product, on_hand__gte=F("reserved") + quantity)
        .exclude(pk__in=exclude)
        .alias(own=own)
        .order_by(*choice)
        .first()
    )


def batch_choose(order: Order, product: Product, whole: list[Batch], quantity: Decimal) -> Batch:
    """The customer's own batch first, then the smallest remainder, then the oldest."""
    own = customer_batches(order, product)
    return min(
        whole,
        key=lambda batch: (
            batch.pk not in own,
            batch.available - quantity,
            batch.produced_on is None,
            batch.produced_on or timezone.localdate(),
            batch.pk,
        ),
    )


def customer_batches(order: Order, product: Product) -> set[int]:
    """The batches of this product the order's customer (homeowner or project) received."""
    customer = order_customer(order)
    if customer is None:
        return set()
    return set(
        Reservation.objects.filter(
            Q(order__end_customer=customer) | Q(order__customer=customer),
            product=product, state=Reservation.State.SHIPPED,
        ).values_list("batch", flat=True)
    )  # fmt: skip


def order_customer(order: Order) -> int | None:
    """Whose floor it is: the homeowner of a dealer's or supermarket's order, else the
    customer itself unless it is a dealer or supermarket buying for many homeowners."""
    if order.end_customer_id:
        return order.end_customer_id
    if order.channel in (CustomerKind.DEALER, CustomerKind.SUPERMARKET):
        return None
    return order.customer_id


def split_plan(
    product: Product, batches: list[Batch], quantity: Decimal
) -> list[tuple[Batch, Decimal]]:
    """O-58, agreed by the customer: the fewest batches (the largest first); the last part
    from the smallest batch that still covers it, so the large ones are not broken."""
    if sum((batch.available for batch in batches), ZERO) < quantity:
        raise StepRefused([not_enough_message(product, quantity, batches)])
    ordered = sorted(batches, key=lambda batch: (-batch.available, batch.pk))
    plan, left = [], quantity
    while left > 0:
        covering = [b for b in ordered if b.available >= left]
        if covering:
            last = min(covering, key=lambda batch: (batch.available, batch.pk))
            plan.append((last, left))
            break
        plan.append((ordered[0], ordered[0].available))
        left -= ordered[0].available
        ordered = ordered[1:]
    return plan


def not_enough_message(product: Product, quantity: Decimal, batches: list[Batch]) -> str:
    due = next_batch_due(product)
    return str(NOT_ENOUGH_AT_ALL % {
        "product": product, "needed": quantity, "unit": product.get_unit_display(),
        "available": sum((batch.available for batch in batches), ZERO),
        "due": NEXT_DUE % {"batch": due.number, "due": due.due_on} if due else "",
    })  # fmt: skip


def shortfall_of(product: Product, quantity: Decimal) -> Shortfall:
    largest = (
        Batch.objects.filter(product=product, on_hand__gt=F("reserved"))
        .order_by(F("reserved") - F("on_hand"), "pk")
        .first()
    )
    return Shortfall(product, quantity, largest, next_batch_due(product))


def next_batch_due(product: Product) -> Batch | None:
    return (
        Batch.objects.filter(product=product, due_on__gte=timezone.localdate(), on_hand=0)
        .order_by("due_on", "pk")
        .first()
    )


def batch_take(batch_pk: int, quantity: Decimal) -> bool:
    """Reserve from a batch if it still has the quantity available: one conditional UPDATE,
    so of two clerks at the same moment only one gets what only one can have."""
    return bool(
        Batch.objects.filter(pk=batch_pk, on_hand__gte=F("reserved") + quantity).update(
            reserved=F("reserved") + quantity
        )
    )


def batch_give_back(batch_pk: int, quantity: Decimal) -> None:
    Batch.objects.filter(pk=batch_pk).update(reserved=F("reserved") - quantity)


def reservations_write(
    order: Order, actor: User, product: Product, taken: list[tuple[Batch, Decimal]]
) -> list[str]:
    Reservation.objects.bulk_create(
        Reservation(order=order, product=product, batch=batch, quantity=part, reserved_by=actor)
        for batch, part in taken
    )
    return [f"{batch.number} +{part}" for batch, part in taken]


def reservation_shrink(holding: list[Reservation], surplus: Decimal) -> list[str]:
    """Hold less: taken off the smallest reservations first (a split gets fewer batches)."""
    changes = []
    for reservation in sorted(holding, key=lambda r: (r.quantity, -r.pk)):
        if surplus <= 0:
            break
        part = min(surplus, reservation.quantity)
        batch_give_back(reservation.batch_id, part)
        surplus -= part
        reservation.quantity -= part
        if reservation.quantity == 0:
            reservation.quantity = part  # a row keeps what it held; its state says it ended
            reservation.state, reservation.ended_at = Reservation.State.RELEASED, timezone.now()
            reservation.end_reason = str(RELEASED_CHANGED)
        reservation.save(update_fields=["quantity", "state", "ended_at", "end_reason"])
        changes.append(f"{reservation.batch.number} −{part}")
    return changes


def reservations_end(
    holding: list[Reservation], actor: User | None, state: str, reason: object
) -> list[str]:
    """End the reservations: their quantities leave the batches' ``reserved``."""
    now = timezone.now()
    for reservation in holding:
        batch_give_back(reservation.batch_id, reservation.quantity)
        reservation.state, reservation.ended_at, reservation.ended_by = state, now, actor
        reservation.end_reason = str(reason)[:200]
    Reservation.objects.bulk_update(holding, ["state", "ended_at", "ended_by", "end_reason"])
    sign = "−" if state == Reservation.State.RELEASED else "→"
    return [f"{r.batch.number} {sign}{r.quantity}" for r in holding]


@transaction.atomic
def order_release(*, order: Order, actor: User, reason: object = RELEASED_CANCELLED) -> None:
    """Give back everything the order holds (it was cancelled), in the caller's transaction."""
    holding = [r for rows in held(order).values() for r in rows]
    if holding:
        changes = reservations_end(holding, actor, Reservation.State.RELEASED, reason)
        reservations_changed_event(actor=actor, order=order, changes=changes, reason=str(reason))


def order_reservations_follow(*, order: Order, actor: User) -> None:
    """O-7 with O-58: a changed order, once its delivery note is made, holds what it now
    needs, from the batches it held where they have enough; refused, the change is too."""
    if DELIVERY_NOTE.code not in order.signed:
        return
    try:
        order_reserve(order=order, actor=actor, reason=str(RELEASED_CHANGED))
    except StepRefused as refused:
        raise ValidationError(refused.reasons) from refused


@transaction.atomic
def split_agree(
    *, actor: User, order: Order, product: Product, agreed_by: str, agreed_at=None, note: str = ""
) -> SplitAgreement:
    """O-58: the customer agreed to take a product from more than one batch; recorded by the
    clerk who makes the delivery note."""
    if not (actor.is_superuser or actor.has_role(Role.CLERK)):
        raise PermissionDenied
    if not agreed_by.strip():
        raise ValidationError({"agreed_by": AGREED_BY_MISSING})
    agreement = SplitAgreement(
        order=order, product=product, agreed_by=agreed_by.strip(),
        agreed_at=agreed_at or timezone.now(), note=note, recorded_by=actor,
    )  # fmt: skip
    agreement.full_clean()
    agreement.save()
    split_agreed_event(actor=actor, agreement=agreement)
    return agreement


Places = dict[int, list[tuple[Location, Decimal]]]


@transaction.atomic
def reservations_ship(
    *, order: Order, actor: User, places: Places | None = None
) -> list[StockMove]:
    """The goods the order holds leave: its active reservations become shipped, ``reserved``
    falls by what they held and SHIPPED moves take it out of ``places`` ({reservation pk:
    [(location, quantity), ...]}, what was picked) or, without, out of the locations holding
    the batch in pk order. All or nothing, in the caller's transaction."""
    holding = sorted(  # batches in pk order, as the ledger locks them
        (r for rows in held(order).values() for r in rows), key=lambda r: (r.batch_id, r.pk)
    )
    if places is not None and set(places) - {r.pk for r in holding}:
        raise ValidationError(PLACES_FOREIGN)
    if not holding:
        return []
    wanted = places if places is not None else places_held(holding)
    moves = [
        MoveInput(
            kind=StockMove.Kind.SHIPPED, batch=r.batch, quantity=quantity, from_location=place,
            reason=str(SHIPPED_REASON), document=order.number, links={"order": order},
            releases_reserved=True,
        )
        for r in holding for place, quantity in places_checked(r, wanted.get(r.pk, []))
    ]  # fmt: skip
    changes = reservations_end(holding, actor, Reservation.State.SHIPPED, SHIPPED_REASON)
    rows = stock_moves_add(actor=actor, moves=moves)
    reservations_changed_event(actor=actor, order=order, changes=changes, reason="shipped")
    return rows


def places_held(holding: list[Reservation]) -> Places:
    """Where each reservation's goods are taken from when nobody said: the sellable locations
    holding its batch, in pk order, until the quantity is reached."""
    levels = StockLevel.objects.filter(
        batch__in={r.batch_id for r in holding}, on_hand__gt=0,
        location__kind=Location.Kind.SELLABLE,
    ).select_related("location").order_by("location", "pk")  # fmt: skip
    left: dict[int, dict[Location, Decimal]] = {r.batch_id: {} for r in holding}
    for level in levels:
        left[level.batch_id][level.location] = level.on_hand
    chosen: Places = {}
    for reservation in holding:
        need, parts = reservation.quantity, []
        for place, there in left[reservation.batch_id].items():
            part = min(need, there)
            if part > 0:
                parts.append((place, part))
                left[reservation.batch_id][place] -= part
                need -= part
        chosen[reservation.pk] = parts
    return chosen


def places_checked(
    reservation: Reservation, parts: list[tuple[Location, Decimal]]
) -> list[tuple[Location, Decimal]]:
    """The places add up to what the reservation holds, or the shipment is refused."""
    picked = sum((Decimal(quantity) for _place, quantity in parts), ZERO)
    if picked != reservation.quantity:
        raise ValidationError(PLACES_WRONG % {
            "batch": reservation.batch.number, "picked": picked, "held": reservation.quantity,
            "unit": reservation.product.get_unit_display(),
        })  # fmt: skip
    return [(place, Decimal(quantity)) for place, quantity in parts]
