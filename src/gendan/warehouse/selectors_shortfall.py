"""O-58 on the order page: what each product of the order gets from the warehouse.

Before the delivery note, and whenever a product is not held in full (the note or a change
was refused for a shortfall), the clerk sees for each stocked product of the order the batch
the note would reserve, or, when no single batch has enough, the largest batch and what is
missing, the next batch due, and whether the customer agreed to a split (then the batches the
split would take). The figures are those the reservation service would use now
(services/reservations.py ``batch_plan``, ``shortfall_of``); nothing is reserved here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gendan.catalog.models import Product
from gendan.orders.models import Order
from gendan.orders.routes import FINISHED, SHIP
from gendan.orders.services.steps import StepRefused
from gendan.warehouse.models import Batch, SplitAgreement
from gendan.warehouse.services.reservations import (
    Shortfall,
    batch_plan,
    held,
    order_needs,
    shipped,
    shortfall_of,
)

ZERO = Decimal("0")


@dataclass(frozen=True)
class ProductStock:
    """One product of the order: what it needs still, and where that would come from."""

    product: Product
    needed: Decimal  # still to be reserved or shipped: the order's quantity less what left
    held: Decimal  # what active reservations hold of it now
    plan: list[tuple[Batch, Decimal]] = field(default_factory=list)  # empty: cannot be covered
    shortfall: Shortfall | None = None  # set when no single batch has the whole quantity
    agreement: SplitAgreement | None = None
    refusal: str = ""  # why even a split cannot cover it

    @property
    def covered(self) -> bool:
        return self.held >= self.needed

    @property
    def one_batch(self) -> bool:
        return self.shortfall is None

    @property
    def split_needed(self) -> bool:
        """A split is what would cover it, and the customer has not agreed to one yet."""
        return self.shortfall is not None and self.agreement is None


def order_shortfalls(order: Order) -> list[ProductStock]:
    """Each stocked product of the order not fully shipped, by item number; empty once the
    goods left, or the order is closed or cancelled (nothing more leaves for it)."""
    if order.step in FINISHED or SHIP.code in order.signed:
        return []
    needs, holding, gone = order_needs(order), held(order), shipped(order)
    agreements = {a.product_id: a for a in order.split_agreements.select_related("recorded_by")}
    products = Product.objects.in_bulk(needs)
    rows = []
    for product in sorted(products.values(), key=lambda p: (p.sku, p.pk)):
        needed = needs[product.pk] - gone.get(product.pk, ZERO)
        if needed <= 0:
            continue
        have = sum((r.quantity for r in holding.get(product.pk, [])), ZERO)
        rows.append(product_stock(order, product, needed, have, agreements.get(product.pk)))
    return rows


def product_stock(
    order: Order, product: Product, needed: Decimal, have: Decimal, agreement
) -> ProductStock:
    row = ProductStock(product=product, needed=needed, held=have, agreement=agreement)
    if row.covered:
        return row
    try:
        plan = batch_plan(order, product, needed, split=False, exclude=set())
        return ProductStock(product, needed, have, plan=plan, agreement=agreement)
    except StepRefused:
        shortfall = shortfall_of(product, needed)
    try:
        plan = batch_plan(order, product, needed, split=True, exclude=set())
        refusal = ""
    except StepRefused as refused:
        plan, refusal = [], " ".join(refused.reasons)
    return ProductStock(
        product, needed, have, plan=plan, shortfall=shortfall, agreement=agreement,
        refusal=refusal,
    )  # fmt: skip
