"""The stock records the access table asks about (config/tests/test_access.py): a batch in
stock, a second place, and a count the warehouse counted and submitted."""

from __future__ import annotations

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import staff
from gendan.warehouse.models import Location
from gendan.warehouse.services.counts import (
    Entry,
    stock_count_enter,
    stock_count_start,
    stock_count_submit,
)
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product


def stock_world_ids() -> dict[str, int]:
    batch = batch_received(stocked_product(), "ACCESS-1", "100")
    place, other = location(), location("S-01", Location.Kind.SECONDS)
    counter = staff(Role.WAREHOUSE)
    count = stock_count_start(actor=counter, warehouse=place.warehouse)
    entries = [Entry(line_id=line.pk, counted=line.expected) for line in count.lines.all()]
    stock_count_enter(actor=counter, count=count, entries=entries)
    stock_count_submit(actor=counter, count=count)
    return {
        "batch": batch.pk, "location": place.pk, "other_location": other.pk,
        "stock_warehouse": place.warehouse.pk, "count": count.pk,
    }  # fmt: skip
