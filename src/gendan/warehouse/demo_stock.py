"""The demo's stock: a main warehouse (总仓) with its places, and for every stocked product two
to four production batches received through the receiving service (so the ledger, the levels
and the labels are real). Most batches are large enough that a demo order reserves from one;
a few are small, so the stock pages show batches running out and the order pages shortfalls."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from django.utils import timezone

from gendan.accounts.models import User
from gendan.catalog.models import Category, Product
from gendan.warehouse.models import Location, Warehouse
from gendan.warehouse.services.receiving import MAX_PACKAGES, ReceiptLineInput, receipt_create

SELLABLE = [f"A-{number:02d}" for number in range(1, 7)]
SUPPLIER = "浙江安吉竹业辅料厂"
ROLL_M = Decimal("50.00")


def demo_warehouse() -> tuple[Warehouse, list[Location]]:
    warehouse = Warehouse.objects.create(code="ZC", name="总仓", address="广东省佛山市顺德区")
    places = [Location(warehouse=warehouse, code=code, name=f"{code} 货架") for code in SELLABLE]
    places += [
        Location(warehouse=warehouse, code="B-01", name="次品区", kind=Location.Kind.SECONDS),
        Location(warehouse=warehouse, code="C-01", name="残损区", kind=Location.Kind.DAMAGED),
    ]
    Location.objects.bulk_create(places)
    return warehouse, places[: len(SELLABLE)]


def batch_sizes(index: int, rng: random.Random) -> list[int]:
    """Two to four batches: large ones, one small one every fourth product, and for every
    eleventh only small ones (an order of it finds no single batch large enough)."""
    if index % 11 == 5:
        return [rng.randint(20, 40) for _ in range(3)]
    sizes = [rng.randint(350, 900) for _ in range(rng.randint(2, 3))]
    if index % 4 == 1:
        sizes.append(rng.randint(15, 45))
    return sizes


def demo_line(
    product: Product, number: str, size: int, produced: dt.date, place: Location
) -> ReceiptLineInput:
    quantity = Decimal(size)
    pack = product.pack_size or Decimal("1")
    packages = min(MAX_PACKAGES, max(1, math.ceil(quantity / pack)))
    if product.category == Category.FOAM:
        packages = size  # a roll a unit, each labelled with its length (O-59)
    lengths = [ROLL_M] * packages if product.category == Category.FOAM else None
    return ReceiptLineInput(
        product=product, batch_number=number, produced_on=produced, grade=product.grade,
        quantity=quantity, packages=packages, location=place, lengths_m=lengths,
    )  # fmt: skip


def demo_stock(actor: User, products: list[Product], rng: random.Random) -> None:
    """Receive the batches, one receipt per round of deliveries, from production for floors
    and from a supplier for accessories."""
    warehouse, places = demo_warehouse()
    today = timezone.localdate()
    rounds: dict[tuple[int, bool], list[ReceiptLineInput]] = {}
    for index, product in enumerate(p for p in products if p.stocked):
        for round_, size in enumerate(batch_sizes(index, rng)):
            produced = today - dt.timedelta(days=120 - 30 * round_ + rng.randint(0, 9))
            number = f"{product.sku.replace('-', '')}-{produced:%y%m%d}"
            place = places[(index + round_) % len(places)]
            floor = product.category == Category.FLOORING
            line = demo_line(product, number, size, produced, place)
            rounds.setdefault((round_, floor), []).append(line)
    for (_round, floor), lines in sorted(rounds.items()):
        source = "production" if floor else "purchase"
        receipt_create(
            actor=actor, source=source, warehouse=warehouse, lines=lines,
            supplier="" if floor else SUPPLIER,
        )  # fmt: skip
