"""What the warehouse prepares (O-18): the delivery notes received and not shipped, by day of
delivery, urgent self-pickups first (O-61); what to pick for one day, by product, batch and
location; and one order's lines as the picker sees them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.orders.routes import DELIVERY_NOTE, FINISHED, SHIP
from gendan.orders.selectors import order_visible
from gendan.warehouse.models import (
    Batch,
    LoadingRun,
    LoadingRunOrder,
    Location,
    Pick,
    PickCheck,
    Reservation,
    StockLevel,
)
from gendan.warehouse.selectors_pickup import order_is_urgent
from gendan.warehouse.services.reservations import places_held

ZERO = Decimal("0")
# O-18: the warehouse starts preparing when the note arrives, at least a day ahead.
LEAD = dt.timedelta(days=1)


def to_prepare(user: User, search: str = "") -> QuerySet[Order]:
    """Orders whose delivery note the warehouse has, holding stock, not shipped: urgent
    self-pickups first, then by delivery day (booked with the customer, else expected)."""
    active = Reservation.objects.filter(order=OuterRef("pk"), state=Reservation.State.ACTIVE)
    orders = (
        order_visible(user)
        .filter(signed__has_key=DELIVERY_NOTE.code)
        .exclude(signed__has_key=SHIP.code)
        .exclude(step__in=FINISHED)
        .filter(Exists(active))
        .annotate(
            delivery_on=Coalesce(
                KT("signed__delivery_note__delivery_booked_for"),
                Cast("expected_delivery_on", TextField()),
                output_field=TextField(),
            ),
            note_at=KT("signed__delivery_note__at"),
            held=sum_of(active.values("order").annotate(total=Sum("quantity"))),
            picked=sum_of(
                Pick.objects.filter(
                    reservation__order=OuterRef("pk"), reservation__state=Reservation.State.ACTIVE
                )
                .values("reservation__order")
                .annotate(total=Sum("quantity"))
            ),
        )
        .select_related("customer", "end_customer")
    )
    if search:
        orders = orders.filter(
            Q(number__icontains=search) | Q(customer__name__icontains=search)
            | Q(end_customer__name__icontains=search)
        )  # fmt: skip
    return orders.order_by(
        F("self_pickup").desc(), F("delivery_on").asc(nulls_last=True), "note_at", "pk"
    )


def sum_of(rows: QuerySet) -> Coalesce:
    return Coalesce(Subquery(rows.values("total")[:1]), Value(ZERO), output_field=DecimalField())


@dataclass(frozen=True)
class WorkRow:
    order: Order
    delivery_on: dt.date | None
    note_at: dt.datetime | None
    picked: Decimal
    held: Decimal

    @property
    def urgent(self) -> bool:
        """O-61: the customer collects: the warehouse sees it as urgent."""
        return order_is_urgent(self.order)

    @property
    def late_note(self) -> bool:
        """O-18: the note came less than a day before delivery (preparing starts late)."""
        if self.delivery_on is None or self.note_at is None:
            return False
        start = dt.datetime.combine(
            self.delivery_on, dt.time(), tzinfo=timezone.get_current_timezone()
        )
        return start - self.note_at < LEAD

    @property
    def ready(self) -> bool:
        return self.picked >= self.held


def work_rows(orders: list[Order]) -> list[WorkRow]:
    """Each order of a page of the work list (``to_prepare``), as the warehouse reads it."""
    return [
        WorkRow(
            order, day_of(order.delivery_on), moment_of(order.note_at), order.picked, order.held
        )
        for order in orders
    ]


def day_of(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text)[:10]) if text else None
    except ValueError:
        return None


def moment_of(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass
class PickRow:
    """What to take of one batch from one place for the day's orders."""

    batch: Batch
    location: Location
    quantity: Decimal = ZERO
    orders: set[str] = field(default_factory=set)

    @property
    def order_numbers(self) -> list[str]:
        return sorted(self.orders)


def picklist(user: User, day: dt.date) -> list[PickRow]:
    """The day's orders to prepare, summed by product, batch and location: each reservation
    taken from the sellable places holding its batch, as the ship step would without picks."""
    return rows_summed(day_allocations(user, day))


def day_allocations(user: User, day: dt.date) -> list[tuple[Reservation, Location, Decimal]]:
    """Each reservation of the day's orders (delivered that day, or on one of its loading
    runs) and the places it is taken from."""
    on_runs = LoadingRunOrder.objects.filter(run__day=day).values("order")
    orders = to_prepare(user).filter(Q(delivery_on=day.isoformat()) | Q(pk__in=on_runs))
    holding = list(
        Reservation.objects.filter(order__in=orders, state=Reservation.State.ACTIVE)
        .select_related("batch__product", "order")
        .order_by("batch", "pk")
    )
    allocated = places_held(holding)  # one call: a shelf emptied by one order is not reused
    return [(r, place, quantity) for r in holding for place, quantity in allocated.get(r.pk, [])]


def rows_summed(allocations: list[tuple[Reservation, Location, Decimal]]) -> list[PickRow]:
    rows: dict[tuple[int, int], PickRow] = {}
    for reservation, place, quantity in allocations:
        row = rows.setdefault((reservation.batch_id, place.pk), PickRow(reservation.batch, place))
        row.quantity += quantity
        row.orders.add(reservation.order.number)
    return sorted(
        rows.values(),
        key=lambda row: (row.batch.product.sku, row.batch.number, row.location.code),
    )


@dataclass(frozen=True)
class RunOrder:
    order: Order
    rows: list[PickRow]  # what to pick for it; none: nothing held for it yet


@dataclass(frozen=True)
class RunSection:
    """One truck of the day (O-43), its orders in loading order; ``label`` empty: the day's
    orders on no truck."""

    label: str
    departs_at: dt.time | None
    orders: list[RunOrder]


def picklist_runs(user: User, day: dt.date) -> list[RunSection]:
    """The day's loading runs, each order with what to pick for it, then the day's orders on
    no run; nothing when the day has no runs."""
    runs = list(LoadingRun.objects.filter(day=day).prefetch_related("orders"))
    if not runs:
        return []
    by_order: dict[int, list] = defaultdict(list)
    for allocation in day_allocations(user, day):
        by_order[allocation[0].order_id].append(allocation)
    placed = [entry.order_id for run in runs for entry in run.orders.all()]
    orders = order_visible(user).in_bulk(set(placed) | set(by_order))
    sections = [
        RunSection(run.label, run.departs_at, [
            RunOrder(orders[entry.order_id], rows_summed(by_order[entry.order_id]))
            for entry in run.orders.all() if entry.order_id in orders
        ])
        for run in runs
    ]  # fmt: skip
    left = [RunOrder(orders[pk], rows_summed(by_order[pk])) for pk in by_order if pk not in placed]
    return sections + ([RunSection("", None, left)] if left else [])


@dataclass(frozen=True)
class PickLine:
    """One reserved line of the order on the picking page."""

    reservation: Reservation
    picks: list[Pick]
    places: list[StockLevel]  # where its batch is, sellable, with stock

    @property
    def picked(self) -> Decimal:
        return sum((pick.quantity for pick in self.picks), ZERO)

    @property
    def left(self) -> Decimal:
        return self.reservation.quantity - self.picked

    @property
    def done(self) -> bool:
        return self.left <= 0


def pick_lines(order: Order) -> list[PickLine]:
    holding = list(
        order.reservations.filter(state=Reservation.State.ACTIVE)
        .select_related("batch", "product")
        .order_by("product__sku", "batch__number", "pk")
    )
    picks: dict[int, list[Pick]] = defaultdict(list)
    for pick in Pick.objects.filter(reservation__in=holding).select_related("package", "location"):
        picks[pick.reservation_id].append(pick)
    places: dict[int, list[StockLevel]] = defaultdict(list)
    for level in StockLevel.objects.filter(
        batch__in={r.batch_id for r in holding}, on_hand__gt=0,
        location__kind=Location.Kind.SELLABLE,
    ).select_related("location").order_by("location__code"):  # fmt: skip
        places[level.batch_id].append(level)
    return [PickLine(r, picks[r.pk], places[r.batch_id]) for r in holding]


def pick_checks(order: Order) -> dict[int, PickCheck]:
    return {check.product_id: check for check in order.pick_checks.select_related("checked_by")}
