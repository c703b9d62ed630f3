"""The demo's stock work after the orders walked: goods of one batch moved to the seconds for
a shade that does not match, and a count of one place that the warehouse submitted, with one
difference, waiting for finance's or the general manager's approval."""

from __future__ import annotations

from decimal import Decimal

from gendan.accounts.models import User
from gendan.warehouse.models import Location, StockLevel
from gendan.warehouse.services.counts import (
    Entry,
    stock_count_enter,
    stock_count_start,
    stock_count_submit,
)
from gendan.warehouse.services.moves import stock_move

MOVED = Decimal("5")


def demo_counts(actor: User) -> None:
    sellable = list(
        StockLevel.objects.filter(location__kind=Location.Kind.SELLABLE, on_hand__gt=0)
        .select_related("batch", "location__warehouse")
        .order_by("location__code", "pk")
    )
    free = [level for level in sellable if level.batch.available >= MOVED * 2]
    if not free:
        return
    demo_move(actor, free[0])
    demo_count(actor, free[0].location)


def demo_move(actor: User, level: StockLevel) -> None:
    seconds = Location.objects.filter(
        warehouse=level.location.warehouse, kind=Location.Kind.SECONDS
    ).first()
    if seconds is not None:
        stock_move(
            actor=actor, batch=level.batch, quantity=MOVED, from_location=level.location,
            to_location=seconds, reason="开箱比色：色差偏深，降为次品",
        )  # fmt: skip


def demo_count(actor: User, place: Location) -> None:
    """Every line as in the books but the first, two short (a free batch: the approval can
    book it)."""
    count = stock_count_start(actor=actor, warehouse=place.warehouse, location=place)
    lines = list(count.lines.order_by("pk").select_related("batch"))
    entries = [Entry(line_id=line.pk, counted=line.expected) for line in lines]
    first = lines[0]
    if first.batch.available >= 2:
        entries[0] = Entry(line_id=first.pk, counted=first.expected - 2, reason="两箱受潮报损")
    stock_count_enter(actor=actor, count=count, entries=entries)
    stock_count_submit(actor=actor, count=count)
