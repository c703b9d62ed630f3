"""O-58 for the common case at the cost of a few statements, whatever the number of lines: each
product of the order that holds nothing yet, shipped nothing and has no split agreed is
reserved from one batch, the batches of all of them chosen in one query, locked in one and
taken in one conditional UPDATE (bench/warehouse_reserve.py: a 50-line order went from 159
statements, one choice and one UPDATE per line, to about a dozen).

The choice is the per-line one (``batch_whole``, ``batch_choose``): the customer's own batch
first, then the smallest remainder, then the oldest (undated last), then the first made.
When another clerk took a chosen batch between the choice and the UPDATE, nothing of the
fast path stays (savepoint) and the order goes the per-line way, which chooses again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.warehouse.models import Batch, Reservation


@dataclass(frozen=True)
class Chosen:
    """The batch a product's whole quantity is to come from."""

    product_id: int
    batch_id: int
    quantity: Decimal


class BatchTaken(Exception):
    """Another clerk took a chosen batch between the choice and the UPDATE."""


def reservations_take_at_once(
    *, order: Order, actor: User, needs: dict[int, Decimal], customer: int | None
) -> dict[int, list[str]]:
    """Reserve each product of ``needs`` (product pk: quantity) from one batch, ``customer``'s
    own first (``order_customer``); the changes, by product. A product no single batch
    covers is left out (the per-line path says what can be done); nothing at all is
    reserved when a chosen batch was taken meanwhile."""
    plan = batches_choose(order=order, needs=needs, customer=customer)
    return plan_take(order=order, actor=actor, plan=plan) or {}


def batches_choose(
    *, order: Order, needs: dict[int, Decimal], customer: int | None
) -> list[Chosen]:
    """The batch of each product of ``needs`` that ``batch_choose`` would take of those
    holding its whole quantity, every line in one query: for each line of the order, the
    first batch of its product covering its quantity in the order of the choice, which is
    the order of the index batch_product_available, so a line reads one index entry; the
    customer's own batch, where one covers, first. The quantities are the lines' own
    (fifty written into the query cost more to build in Python than the query takes to
    run, bench/warehouse_reserve.py); a product on more than one line is left to the
    per-line path, which sums them."""
    if not needs:
        return []
    rows = (
        order.lines.filter(product__in=needs)
        .values_list("product", batch_first(own_batches(customer, needs)))
        .order_by("product")
    )
    lines = Counter(product for product, _batch in rows)
    return [
        Chosen(product, batch, needs[product]) for product, batch in rows
        if batch is not None and lines[product] == 1
    ]  # fmt: skip


def batch_first(own: set[int]) -> Subquery | Coalesce:
    """The outer line's first batch of its product covering its quantity: the least
    available (the least remainder), then the oldest, undated last, then the first made;
    of ``own`` first."""
    covering = Batch.objects.alias(available=F("on_hand") - F("reserved")).filter(
        product=OuterRef("product"), available__gte=OuterRef("quantity")
    )
    order = (F("available").asc(), F("produced_on").asc(nulls_last=True), F("pk").asc())
    general = Subquery(covering.order_by(*order).values("pk")[:1])
    if not own:
        return general
    mine = covering.filter(pk__in=own).order_by(*order).values("pk")[:1]
    return Coalesce(Subquery(mine), general)


def own_batches(customer: int | None, needs: dict[int, Decimal]) -> set[int]:
    """O-58: the batches of these products the customer already received."""
    if customer is None:
        return set()
    return set(
        Reservation.objects.filter(
            Q(order__end_customer=customer) | Q(order__customer=customer),
            product__in=needs, state=Reservation.State.SHIPPED,
        ).order_by().values_list("batch", flat=True)  # no ordering: no join to sort by
    )  # fmt: skip


def plan_take(*, order: Order, actor: User, plan: list[Chosen]) -> dict[int, list[str]] | None:
    """Take the plan's batches and write its reservations; None, with nothing changed, when
    a batch no longer has the quantity available (another clerk was quicker)."""
    if not plan:
        return {}
    try:
        with transaction.atomic():  # a savepoint: all of the plan, or none of it
            numbers = batches_lock(plan)
            Reservation.objects.bulk_create(
                Reservation(order=order, product_id=c.product_id, batch_id=c.batch_id,
                            quantity=c.quantity, reserved_by=actor)
                for c in plan
            )  # fmt: skip
            batches_take(order, plan)
    except BatchTaken:
        return None
    return {c.product_id: [f"{numbers[c.batch_id]} +{c.quantity}"] for c in plan}


def batches_lock(plan: list[Chosen]) -> dict[int, str]:
    """Lock the chosen batches in one statement, by product as the per-line path takes them
    (one batch a product), so two clerks, whichever path each goes, never wait on each
    other in a circle; their numbers, by pk."""
    locked = Batch.objects.select_for_update().filter(pk__in=[c.batch_id for c in plan])
    return dict(locked.order_by("product_id", "pk").values_list("pk", "number"))


def batches_take(order: Order, plan: list[Chosen]) -> None:
    """One conditional UPDATE for all: each batch's ``reserved`` grows by what the order now
    holds of it (only the plan's new reservations: its products held nothing, and a batch
    is of one product) if it still has that much available; fewer rows than chosen means
    one was taken meanwhile. (Fifty amounts written into the UPDATE as CASE arms cost more
    to build in Python than the whole reservation's statements take to run.)"""
    holds = Reservation.objects.filter(
        order=order, batch=OuterRef("pk"), state=Reservation.State.ACTIVE
    ).order_by()
    more = Subquery(holds.values("batch").annotate(total=Sum("quantity")).values("total"))
    taking = Batch.objects.filter(pk__in=[c.batch_id for c in plan]).alias(more=more)
    if taking.filter(on_hand__gte=F("reserved") + F("more")).update(
        reserved=F("reserved") + more
    ) != len(plan):
        raise BatchTaken
