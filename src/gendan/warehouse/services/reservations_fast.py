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

from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.orders.models import Order
from gendan.warehouse.models import Batch, Reservation

QUANTITY = Batch._meta.get_field("reserved")


@dataclass(frozen=True)
class Chosen:
    """The batch a product's whole quantity is to come from."""

    product_id: int
    batch_id: int
    number: str
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
    holding its whole quantity, every product in one query: for each product, its first
    covering batch in the order of the choice, which is the order of the index
    batch_product_available, so each product reads one index entry; the customer's own
    batch, where one covers, first. The query reads each product's quantity from the
    order's lines (the sum ``order_needs`` makes): fifty quantities written into it cost
    more to build in Python than the query takes to run (bench/warehouse_reserve.py)."""
    if not needs:
        return []
    lines = order.lines.filter(product=OuterRef("pk")).order_by().values("product")
    need = Subquery(lines.annotate(total=Sum("quantity")).values("total"))
    firsts = (
        Product.objects.filter(pk__in=needs)
        .annotate(need=need)
        .values(first=batch_first(own_batches(customer, needs)))
    )
    rows = Batch.objects.filter(pk__in=firsts).order_by().values_list("product", "pk", "number")
    chosen = (Chosen(p, b, number, needs[p]) for p, b, number in rows)
    return sorted(chosen, key=lambda c: c.product_id)


def batch_first(own: set[int]) -> Subquery | Coalesce:
    """The outer product's first batch covering its ``need``: the least available (the least
    remainder), then the oldest, undated last, then the first made; of ``own`` first."""
    covering = Batch.objects.alias(available=F("on_hand") - F("reserved")).filter(
        product=OuterRef("pk"), available__gte=OuterRef("need")
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
        ).values_list("batch", flat=True)
    )  # fmt: skip


def plan_take(*, order: Order, actor: User, plan: list[Chosen]) -> dict[int, list[str]] | None:
    """Take the plan's batches and write its reservations; None, with nothing changed, when
    a batch no longer has the quantity available (another clerk was quicker)."""
    if not plan:
        return {}
    try:
        with transaction.atomic():  # a savepoint: all of the plan, or none of it
            batches_lock(plan)
            batches_take(plan)
    except BatchTaken:
        return None
    Reservation.objects.bulk_create(
        Reservation(order=order, product_id=c.product_id, batch_id=c.batch_id,
                    quantity=c.quantity, reserved_by=actor)
        for c in plan
    )  # fmt: skip
    return {c.product_id: [f"{c.number} +{c.quantity}"] for c in plan}


def batches_lock(plan: list[Chosen]) -> None:
    """Lock the chosen batches in one statement, by product as the per-line path takes them
    (one batch a product), so two clerks, whichever path each goes, never wait on each
    other in a circle."""
    locked = Batch.objects.select_for_update().filter(pk__in=[c.batch_id for c in plan])
    list(locked.order_by("product_id", "pk").values_list("pk", flat=True))


def batches_take(plan: list[Chosen]) -> None:
    """One conditional UPDATE for all: each batch's ``reserved`` grows by its quantity if it
    still has that much available; fewer rows than chosen means one was taken meanwhile."""
    still = reduce(or_, (Q(pk=c.batch_id, on_hand__gte=F("reserved") + c.quantity) for c in plan))
    more = Case(*(When(pk=c.batch_id, then=Value(c.quantity)) for c in plan), output_field=QUANTITY)
    if Batch.objects.filter(still).update(reserved=F("reserved") + more) != len(plan):
        raise BatchTaken
