"""Stock for tests, put in through the real ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gendan.accounts.roles import Role
from gendan.catalog.models import Product
from gendan.orders.tests.helpers import listed_product, staff
from gendan.warehouse.models import Batch, Location, StockMove, Warehouse
from gendan.warehouse.services.ledger import MoveInput, stock_moves_add


def stocked_product(price: str = "100", **fields: object) -> Product:
    """A product kept in stock by batch, listed at one price in every price list."""
    return listed_product(price, stocked=True, pack_size=Decimal("2.360"), **fields)


def location(code: str = "A-01", kind: str = Location.Kind.SELLABLE) -> Location:
    warehouse, _created = Warehouse.objects.get_or_create(code="WH1", defaults={"name": "总仓"})
    place, _created = Location.objects.get_or_create(
        warehouse=warehouse, code=code, defaults={"kind": kind}
    )
    return place


def batch_received(
    product: Product,
    number: str,
    quantity: str | Decimal,
    *,
    produced_on: dt.date | None = None,
    place: Location | None = None,
) -> Batch:
    """A batch of the product received from production into a sellable location."""
    batch, _created = Batch.objects.get_or_create(
        product=product, number=number, defaults={"produced_on": produced_on}
    )
    stock_moves_add(
        actor=staff(Role.WAREHOUSE),
        moves=[
            MoveInput(
                kind=StockMove.Kind.RECEIVED_PRODUCTION, batch=batch,
                quantity=Decimal(quantity), to_location=place or location(),
                reason="test receipt",
            )
        ],
    )  # fmt: skip
    batch.refresh_from_db()
    return batch
