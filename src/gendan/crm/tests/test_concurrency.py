"""Batches of events for the same customers at the same instant (PostgreSQL's trigger)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import connection

from gendan.crm.keeping import figures_rebuild
from gendan.crm.models import CategoryFigures, DayCount, Event, Figures
from gendan.crm.services.events import EventInput, events_record
from gendan.orders.tests.test_concurrency import at_once
from gendan.parties.tests.factories import CustomerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]
START = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def kept() -> tuple:
    return (
        sorted(Figures.objects.values_list()),
        sorted(CategoryFigures.objects.values_list("customer_id", "category", "purchase_count",
                                                   "purchase_amount", "period_count")),
        sorted(DayCount.objects.exclude(customers=0).values_list("measure", "day", "customers")),
    )  # fmt: skip


def test_concurrent_batches_for_the_same_customers_keep_figures_a_rebuild_agrees_with():
    """E-1 to E-3: four batches at once, overlapping customers, in different orders: every
    event counts once and the kept figures equal a rebuild (no lost update, no deadlock)."""
    customers = [CustomerFactory(kind="online").pk for _ in range(5)]
    kinds = ["order_paid", "add_to_cart", "qr_scan", "card_claimed", "favourite_item"]
    seeds = iter(range(4))

    def batch() -> int:
        rng = random.Random(next(seeds))
        rows = [
            EventInput(kind=rng.choice(kinds), at=START + dt.timedelta(days=rng.randint(0, 90)),
                       customer_id=rng.choice(customers), amount=Decimal(rng.randint(1, 900)),
                       category=rng.choice(["", "flooring"]))
            for _ in range(40)
        ]  # fmt: skip
        return len(events_record(rows=rows))

    results = at_once(batch, times=4)
    before = kept()
    figures_rebuild()

    assert results == [40, 40, 40, 40]
    paid = Event.objects.filter(kind="order_paid").count()
    assert sum(Figures.objects.values_list("purchase_count", flat=True)) == paid
    assert kept() == before


def test_an_import_meeting_an_order_recorded_meanwhile_is_refused_whole():
    """An import and an API batch record the same order at once: the import, which checked
    for recorded orders before the batch committed, is refused whole with a clear message
    and records nothing; imported again, it leaves that order out."""
    import io
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connections, transaction

    from gendan.crm.copying import RECORDED_MEANWHILE
    from gendan.crm.imports import events_import

    buyer = CustomerFactory(kind="online", platform="tmall", platform_id="tb_9").pk
    inserted, release = threading.Event(), threading.Event()

    def batch() -> None:
        try:
            with transaction.atomic():
                order = EventInput(kind="order_paid", at=START, customer_id=buyer,
                                   amount=Decimal("10"), external_id="T-9")  # fmt: skip
                events_record(rows=[order])
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    file = b"event,time,platform,platform_id,amount,external_id\n" + b"".join(
        f"order_paid,2026-06-0{day},tmall,tb_9,20,T-{day + 5}\n".encode() for day in (1, 2, 3, 4)
    )
    other = threading.Thread(target=batch)
    other.start()
    inserted.wait(10)
    # The import waits on the batch's uncommitted order T-9 at the unique index; let it commit.
    threading.Timer(1.0, release.set).start()
    with pytest.raises(ValidationError) as refused:
        events_import(io.BytesIO(file))
    other.join()

    assert refused.value.messages == [str(RECORDED_MEANWHILE)]
    assert list(Event.objects.values_list("external_id", flat=True)) == ["T-9"]
    assert events_import(io.BytesIO(file)) == 3
