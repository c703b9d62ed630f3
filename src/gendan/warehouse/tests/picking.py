"""Orders ready to pick, and labelled boxes, for the picking and shipping tests."""

from __future__ import annotations

from decimal import Decimal

from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import Order, PaymentTerms
from gendan.orders.routes import SHIP
from gendan.orders.tests.helpers import scenario
from gendan.warehouse.models import Batch, Location, Package
from gendan.warehouse.tests.helpers import location


def boxes(batch: Batch, count: int, quantity: str, place: Location | None = None) -> list[Package]:
    """Labelled boxes of a batch received (the ledger's stock is put in by batch_received)."""
    return [
        Package.objects.create(
            code=f"{batch.number}-{box:03d}",
            batch=batch,
            location=place or location(),
            quantity=Decimal(quantity),
        )
        for box in range(1, count + 1)
    ]


def at_ship(product, quantity: str, **fields: object) -> Order:
    """A supermarket's order with its delivery note made (so reserved) and signed by finance:
    waiting for the warehouse to ship it."""
    order = scenario(
        "supermarket", terms=PaymentTerms.CONTRACT, product=product, quantity=quantity, **fields
    )
    return walked_to(order, SHIP.code)
