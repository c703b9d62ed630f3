"""What a drop weighs and covers (O-43): from its order's lines and their product records."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from gendan.catalog.models import Category, Unit
from gendan.orders.models import Order

ZERO = Decimal("0")


@dataclass(frozen=True)
class Load:
    m2: Decimal  # floor area of boards
    kg: Decimal

    def __add__(self, other: Load) -> Load:
        return Load(self.m2 + other.m2, self.kg + other.kg)


def line_load(product, quantity: Decimal, unit: str) -> Load:
    """A line's m² (boards only) and kg: the product's weight per unit, else for boards the
    default weight per m² (GENDAN_DEFAULT_KG_PER_M2)."""
    area = quantity if unit == Unit.SQUARE_METRE else quantity * (product.area_m2 or ZERO)
    if product.category != Category.FLOORING:
        area = ZERO  # accessories take no floor space worth counting
    if product.weight_kg is not None:
        weight = quantity * product.weight_kg
    else:
        weight = area * settings.GENDAN_DEFAULT_KG_PER_M2
    return Load(area.quantize(Decimal("0.01")), weight.quantize(Decimal("0.1")))


def order_load(order: Order) -> Load:
    """The whole order's load (its lines as they stand now)."""
    total = Load(ZERO, ZERO)
    for line in order.lines.select_related("product"):
        total += line_load(line.product, line.quantity, line.unit)
    return total
