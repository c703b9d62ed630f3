"""O-61, urgent self-pickup: what the clerk sees before making the delivery note.

For each stocked line, the stock of its product by batch and whether one batch covers it
(O-58: a customer's product comes from one batch). When none does, the substitutes the
handbook allows (§9.5 "与顾客协商更换品种"): a product of the same board class, size and grade
in another colour, or of the same colour and size in another grade; only those one batch can
cover, each with that batch (the one the delivery note would reserve) and its price for this
customer.

Substitutes are ranked best first: another colour in the same grade before another grade (the
order the handbook's rule gives them, and the grade is what the customer paid for); then the
price nearest to the line's; then the batch the customer already has, or that leaves the
smallest remainder (as reservations choose); then the item number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet

from gendan.catalog.models import Product
from gendan.catalog.selectors import prices_for
from gendan.orders.guards import order_priced_for
from gendan.orders.models import Order, OrderLine
from gendan.orders.routes import DELIVERY_NOTE, FINISHED, SHIP
from gendan.warehouse.models import Batch, Substitution
from gendan.warehouse.services.reservations import batch_choose, customer_batches, order_needs

OTHER_COLOUR, OTHER_GRADE = "colour", "grade"
ZERO = Decimal("0")


@dataclass(frozen=True)
class Substitute:
    product: Product
    rule: str  # OTHER_COLOUR or OTHER_GRADE
    batch: Batch  # the batch that covers the line, as the delivery note would reserve it
    price: Decimal  # for this order's customer (O-9)

    @property
    def other_colour(self) -> bool:
        return self.rule == OTHER_COLOUR


@dataclass(frozen=True)
class LineStock:
    line: OrderLine
    needed: Decimal  # the order's whole quantity of the product: it comes from one batch
    batches: list[Batch]
    substitutes: list[Substitute] = field(default_factory=list)
    reserve_from: Batch | None = None  # the batch the delivery note would reserve, if one covers

    @property
    def covered(self) -> bool:
        return any(batch.available >= self.needed for batch in self.batches)

    def covers(self, batch: Batch) -> bool:
        return batch.available >= self.needed


def order_is_urgent(order: Order) -> bool:
    """O-61: the warehouse treats a self-pickup as urgent, from its registration until its
    goods leave (the ship step signed), unless it is closed or cancelled. Stable name: the
    warehouse's work list imports it."""
    return order.self_pickup and order.step not in FINISHED and SHIP.code not in order.signed


def urgent_orders(orders: QuerySet[Order]) -> QuerySet[Order]:
    """O-61: the orders of ``orders`` that ``order_is_urgent`` holds urgent, in one query."""
    return (
        orders.filter(self_pickup=True)
        .exclude(step__in=FINISHED)
        .exclude(signed__has_key=SHIP.code)
    )


def pickup_open(order: Order) -> bool:
    """A self-pickup whose delivery note is not made yet: stock is checked, substitutes agreed."""
    return order.self_pickup and DELIVERY_NOTE.code not in order.signed


def product_batches(product: Product) -> list[Batch]:
    """The product's batches with stock on hand, the most available first."""
    batches = Batch.objects.filter(product=product, on_hand__gt=0)
    return sorted(batches, key=lambda batch: (-batch.available, batch.pk))


def order_pickup(order: Order) -> list[LineStock] | None:
    """Each stocked line's stock by batch, with substitutes when no batch covers it; None
    when the order is no self-pickup or its delivery note is made (the reservations say it)."""
    if not pickup_open(order):
        return None
    needs = order_needs(order)
    rows = []
    for line in order.lines.filter(product__stocked=True).select_related("product"):
        rows.append(line_stock(order, line, needs[line.product_id]))
    return rows


def line_stock(order: Order, line: OrderLine, needed: Decimal) -> LineStock:
    """The line's batches; the one the note would reserve, or the substitutes when none."""
    batches = product_batches(line.product)
    whole = [batch for batch in batches if batch.available >= needed]
    if whole:
        chosen = batch_choose(order, line.product, whole, needed)
        return LineStock(line, needed, batches, reserve_from=chosen)
    return LineStock(line, needed, batches, substitutes_for(order, line))


def order_substitutions(order: Order) -> QuerySet[Substitution]:
    """O-61: the choices recorded on the order, who chose and who recorded them, oldest first."""
    return order.substitutions.select_related("original", "substitute", "recorded_by")


def substitute_candidates(product: Product) -> QuerySet[Product]:
    """Products the customer may take instead (O-61), before looking at stock: active, stocked,
    the same unit, board class and size; the same grade in another colour, or the same colour
    in another grade. A product without a size or colour code has none."""
    sized = None not in (product.length_mm, product.width_mm, product.thickness_mm)
    if not sized:
        return Product.objects.none()
    other_colour = Q(grade=product.grade) & ~Q(colour_code=product.colour_code)
    other_grade = Q(colour_code=product.colour_code) & ~Q(grade=product.grade)
    rules = other_colour | other_grade if product.colour_code else other_colour
    same = Product.objects.filter(
        is_active=True, stocked=True, unit=product.unit, board_class=product.board_class,
        length_mm=product.length_mm, width_mm=product.width_mm,
        thickness_mm=product.thickness_mm,
    )  # fmt: skip
    return same.filter(rules).exclude(pk=product.pk).exclude(colour_code="")


def substitutes_for(order: Order, line: OrderLine) -> list[Substitute]:
    """The candidates one batch can cover and the customer has a price for, best first. A
    candidate the order already has on another line must cover both lines from one batch."""
    needs = order_needs(order)
    needed = needs.get(line.product_id, line.quantity)
    candidates = list(substitute_candidates(line.product))
    prices = prices_for(products=candidates, customer=order_priced_for(order), on=order.log_day)
    covering: dict[int, list[Batch]] = {}
    for batch in Batch.objects.filter(
        product__in=[p for p in candidates if p.pk in prices], on_hand__gte=F("reserved") + needed
    ):
        if batch.available >= needed + needs.get(batch.product_id, ZERO):
            covering.setdefault(batch.product_id, []).append(batch)
    found = []
    for product in candidates:
        if product.pk in covering:
            batch = batch_choose(order, product, covering[product.pk], needed)
            rule = OTHER_COLOUR if product.grade == line.product.grade else OTHER_GRADE
            found.append(Substitute(product, rule, batch, prices[product.pk]))
    return sorted(found, key=lambda s: substitute_rank(order, line, needed, s))


def substitute_rank(
    order: Order, line: OrderLine, needed: Decimal, substitute: Substitute
) -> tuple[object, ...]:
    own = substitute.batch.pk in customer_batches(order, substitute.product)
    return (
        not substitute.other_colour,
        abs(substitute.price - line.unit_price),
        not own,
        substitute.batch.available - needed,
        substitute.product.sku,
    )


def line_covered(order: Order, line: OrderLine) -> bool:
    """Whether one batch of the line's product covers what the order needs of it."""
    needed = order_needs(order).get(line.product_id, line.quantity)
    return LineStock(line, needed, product_batches(line.product)).covered


def line_substitute(order: Order, line: OrderLine, product: Product) -> Substitute | None:
    """The proposed substitute of the line that is this product, if it still is one: none is
    proposed while one batch of the line's own product covers it."""
    if line_covered(order, line):
        return None
    return next((s for s in substitutes_for(order, line) if s.product.pk == product.pk), None)
