"""Keeping each customer's figures current, and rebuilding them from the events.

Events are folded in as they arrive (``figures_update``, in the event's transaction); a
rebuild computes the same figures with one set-based query over all events. The RFM period's
figures move with the period's start (``period_roll``), a day at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from gendan.crm.figures import (
    MEASURES,
    category_apply,
    counts_by_category,
    days_shift,
    figures_apply,
    figures_days,
    local_day,
)
from gendan.crm.models import (
    INTEREST_KINDS,
    CategoryFigures,
    DayCount,
    Event,
    EventKind,
    Figures,
    FiguresState,
    ItemDay,
)


def figures_update(events: list, period_start: dt.datetime) -> None:
    """Fold the events into their customers' figures, locking the rows in customer order;
    the per-category figures and the dashboard's day counts move with them. SQLite's way:
    on PostgreSQL the trigger of migration 0004 does the same inside the database."""
    by_customer: dict[int, list[Event]] = {}
    for event in events:
        by_customer.setdefault(event.customer_id, []).append(event)
    ids = sorted(by_customer)
    Figures.objects.bulk_create([Figures(customer_id=pk) for pk in ids], ignore_conflicts=True)
    rows = Figures.objects.select_for_update().filter(customer_id__in=ids).order_by("customer_id")
    changed, days = [], Counter()
    for figures in rows:
        before = figures_days(figures)
        for event in by_customer[figures.customer_id]:
            figures_apply(figures, event, period_start)
        days_shift(days, before, figures_days(figures))
        changed.append(figures)
    rows_write(Figures, changed, FIGURE_FIELDS)
    categories_update([e for e in events if counts_by_category(e)], period_start)
    day_counts_add(days)


FIGURE_FIELDS = [
    "first_seen_at", "last_seen_at", "source", "first_purchase_at", "last_purchase_at",
    "purchase_count", "purchase_amount", "items_bought", "period_count", "period_amount",
    "refund_amount", "first_interest_at", "last_interest_at", "card_claimed_at",
]  # fmt: skip
CATEGORY_FIELDS = [
    "last_purchase_at",
    "purchase_count",
    "purchase_amount",
    "period_count",
    "period_amount",
]


def rows_write(model, rows: list, fields: list[str], batch: int = 2000) -> None:
    """Write these fields of many rows. On PostgreSQL one UPDATE ... FROM (VALUES ...) per
    batch (Django's bulk_update builds a CASE per field and row, far slower at this size)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(rows, fields, batch_size=batch)
        return
    key = model._meta.pk
    columns = [key, *(model._meta.get_field(name) for name in fields)]
    cast = ", ".join(f"%s::{column.db_type(connection)}" for column in columns)
    names = ", ".join(column.column for column in columns)
    assignments = ", ".join(f"{c.column} = v.{c.column}" for c in columns[1:])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = ", ".join([f"({cast})"] * len(chunk))
            cursor.execute(
                f"UPDATE {model._meta.db_table} AS t SET {assignments} "
                f"FROM (VALUES {values}) AS v ({names}) WHERE t.{key.column} = v.{key.column}",
                [getattr(row, c.attname) for row in chunk for c in columns],
            )


def categories_update(paid: list[Event], period_start: dt.datetime) -> None:
    """Paid orders into the per-category figures (their customers' figures are locked)."""
    if not paid:
        return
    keys = {(event.customer_id, event.category) for event in paid}
    existing = {
        (row.customer_id, row.category): row
        for row in CategoryFigures.objects.filter(
            customer_id__in={pk for pk, _category in keys},
            category__in={category for _pk, category in keys},
        )
    }
    fresh = {}
    for event in paid:
        key = (event.customer_id, event.category)
        row = existing.get(key) or fresh.get(key)
        if row is None:
            row = fresh[key] = CategoryFigures(
                customer_id=event.customer_id, category=event.category, last_purchase_at=event.at
            )
        category_apply(row, event, period_start)
    rows_write(CategoryFigures, list(existing.values()), CATEGORY_FIELDS)
    CategoryFigures.objects.bulk_create(list(fresh.values()))


def day_counts_add(days: Counter) -> None:
    """Add to the dashboard's customers-per-day counts, in key order (no deadlocks)."""
    increments_add(DayCount, ("measure", "day"), "customers", days)


def item_days_add(events: list) -> None:
    """E-12: the add-to-cart events of a batch, counted per item and day."""
    carts = Counter(
        (event.item, local_day(event.at))
        for event in events
        if event.kind == EventKind.ADD_TO_CART.value and event.item
    )
    increments_add(ItemDay, ("item", "day"), "carts", carts)


def increments_add(model, keys: tuple[str, str], value: str, counts: Counter) -> None:
    """Add counts to rows keyed by two columns, one statement per 500 rows, in key order (two
    batches meet no deadlock); the same SQL on SQLite and PostgreSQL."""
    rows = [(*key, n) for key, n in sorted(counts.items()) if n]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({keys[0]}, {keys[1]}, {value}) VALUES {values} "
                f"ON CONFLICT ({keys[0]}, {keys[1]}) DO UPDATE "
                f"SET {value} = {table}.{value} + excluded.{value}",
                [column for row in chunk for column in row],
            )


@transaction.atomic
def figures_rebuild(customer_ids: list[int] | None = None) -> int:
    """Recompute the figures from all events (of these customers, or of everyone), with one
    set-based query per table: no event is folded in one by one, as ``figures_update`` does,
    so the two are independent ways to the same numbers."""
    period_start = period_start_current()
    figures = Figures.objects.all()
    categories = CategoryFigures.objects.all()
    days = Counter()
    if customer_ids is not None:
        figures = figures.filter(customer_id__in=customer_ids)
        categories = categories.filter(customer_id__in=customer_ids)
        for row in figures.select_for_update():
            days_shift(days, figures_days(row), figures_days(None))
    else:
        DayCount.objects.all().delete()
    categories.delete()
    figures.delete()
    built = figures_insert(period_start, customer_ids)
    if customer_ids is not None:
        for row in Figures.objects.filter(customer_id__in=customer_ids):
            days_shift(days, figures_days(None), figures_days(row))
        day_counts_add(days)
    else:
        day_counts_count()
        item_days_count()
    return built


PAID = f"e.kind = '{EventKind.ORDER_PAID}'"
INTEREST = "e.kind IN ({})".format(", ".join(f"'{kind}'" for kind in sorted(INTEREST_KINDS)))


def figures_insert(period_start: dt.datetime, customer_ids: list[int] | None) -> int:
    """INSERT ... SELECT of every figure from the events; the same SQL on SQLite and
    PostgreSQL. Sums are rounded to the cent (SQLite adds decimals as floats)."""
    start = connection.ops.adapt_datetimefield_value(period_start)
    where, params = "", []
    if customer_ids is not None:
        where = "WHERE e.customer_id IN ({})".format(", ".join(["%s"] * len(customer_ids)))
        params = list(customer_ids)
    in_period = f"{PAID} AND e.at >= %s"
    columns = ", ".join(["customer_id", *FIGURE_FIELDS])
    sql = f"""
        INSERT INTO {Figures._meta.db_table} ({columns})
        SELECT e.customer_id, MIN(e.at), MAX(e.at),
            (SELECT s.source FROM {Event._meta.db_table} s WHERE s.customer_id = e.customer_id
             ORDER BY s.at, s.source LIMIT 1),
            MIN(CASE WHEN {PAID} THEN e.at END), MAX(CASE WHEN {PAID} THEN e.at END),
            SUM(CASE WHEN {PAID} THEN 1 ELSE 0 END),
            COALESCE(ROUND(SUM(CASE WHEN {PAID} THEN e.amount END), 2), 0),
            SUM(CASE WHEN {PAID} THEN e.quantity ELSE 0 END),
            SUM(CASE WHEN {in_period} THEN 1 ELSE 0 END),
            COALESCE(ROUND(SUM(CASE WHEN {in_period} THEN e.amount END), 2), 0),
            COALESCE(ROUND(SUM(CASE WHEN e.kind = '{EventKind.REFUND}' THEN e.amount END), 2), 0),
            MIN(CASE WHEN {INTEREST} THEN e.at END), MAX(CASE WHEN {INTEREST} THEN e.at END),
            MIN(CASE WHEN e.kind = '{EventKind.CARD_CLAIMED}' THEN e.at END)
        FROM {Event._meta.db_table} e {where}
        GROUP BY e.customer_id
    """
    category_columns = ", ".join(["customer_id", "category", *CATEGORY_FIELDS])
    category_sql = f"""
        INSERT INTO {CategoryFigures._meta.db_table} ({category_columns})
        SELECT e.customer_id, e.category, MAX(e.at), COUNT(*),
            COALESCE(ROUND(SUM(e.amount), 2), 0),
            SUM(CASE WHEN e.at >= %s THEN 1 ELSE 0 END),
            COALESCE(ROUND(SUM(CASE WHEN e.at >= %s THEN e.amount END), 2), 0)
        FROM {Event._meta.db_table} e
        WHERE {PAID} AND e.category <> '' {where.replace("WHERE", "AND")}
        GROUP BY e.customer_id, e.category
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, start, *params])
        built = cursor.rowcount
        cursor.execute(category_sql, [start, start, *params])
    return built


def item_days_count() -> None:
    """E-12: the add-to-cart counts per item and day, counted from the events."""
    ItemDay.objects.all().delete()
    counted = (
        Event.objects.filter(kind=EventKind.ADD_TO_CART).exclude(item="")
        .annotate(day=TruncDate("at")).values("item", "day").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    ItemDay.objects.bulk_create(
        [ItemDay(item=row["item"], day=row["day"], carts=row["n"]) for row in counted],
        batch_size=5000,
    )


def day_counts_count() -> None:
    """The dashboard's day counts of everyone, counted from the figures by the database."""
    rows = []
    for measure in MEASURES:
        if measure == "member_since":
            figures = Figures.objects.filter(
                card_claimed_at__isnull=False, first_purchase_at__isnull=False
            ).annotate(day=Greatest(TruncDate("card_claimed_at"), TruncDate("first_purchase_at")))
        else:
            field_name = f"{measure}_at"
            figures = Figures.objects.filter(**{f"{field_name}__isnull": False}).annotate(
                day=TruncDate(field_name)
            )
        counted = figures.values("day").annotate(n=Count("pk")).order_by()
        rows += [DayCount(measure=measure, day=row["day"], customers=row["n"]) for row in counted]
    DayCount.objects.bulk_create(rows, batch_size=5000)


def period_wanted(today: dt.date | None = None) -> dt.datetime:
    """The RFM period for ``today``: its last GENDAN_CRM_RFM_DAYS days, from local midnight."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=settings.GENDAN_CRM_RFM_DAYS - 1)
    return timezone.make_aware(dt.datetime.combine(first, dt.time()))


def period_start_current() -> dt.datetime:
    """Where the RFM period starts, as the kept figures count it (one query).

    On PostgreSQL the read holds the state table's ACCESS SHARE lock to the end of the batch's
    transaction, and ``period_roll`` takes ACCESS EXCLUSIVE first: a roll waits for batches in
    flight and batches wait for a roll, so none interleave, and batches never block each other.
    """
    start = FiguresState.objects.filter(pk=1).values_list("period_start", flat=True).first()
    return start if start is not None else period_roll()


def period_roll_due() -> None:
    """Roll the period to today if the day has changed (in its own transaction when called
    outside one: the daily command, the RFM page, a batch of events from the API).

    Outside a transaction, a connection that has seen today's period once does not ask
    again until the day changes (an API call per paid order saves the query)."""
    wanted = period_wanted()
    if getattr(connection, "crm_period_seen", None) == wanted:
        return
    start = FiguresState.objects.filter(pk=1).values_list("period_start", flat=True).first()
    if start != wanted:
        period_roll()
    elif not connection.in_atomic_block:
        connection.crm_period_seen = wanted


@transaction.atomic
def period_roll(*, to: dt.datetime | None = None) -> dt.datetime:
    """Move the RFM period's start to ``to`` (today's by default): purchases that leave the
    period are taken off the period figures, those that enter it are added (E-8)."""
    to = to or period_wanted()
    connection.crm_period_seen = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {FiguresState._meta.db_table} IN ACCESS EXCLUSIVE MODE")
    state = FiguresState.objects.filter(pk=1).first()
    if state is None:
        state = FiguresState.objects.create(pk=1, period_start=to, time_zone=settings.TIME_ZONE)
        Figures.objects.update(period_count=0, period_amount=0)
        CategoryFigures.objects.update(period_count=0, period_amount=0)
        period_shift(to, None, +1)
        return to
    if state.period_start < to:
        period_shift(state.period_start, to, -1)
    elif state.period_start > to:
        period_shift(to, state.period_start, +1)
    if (state.period_start, state.time_zone) != (to, settings.TIME_ZONE):
        state.period_start, state.time_zone = to, settings.TIME_ZONE
        state.save(update_fields=["period_start", "time_zone"])
    return to


def period_shift(low: dt.datetime, high: dt.datetime | None, sign: int) -> None:
    """Add (+1) or take off (-1) the purchases made in [low, high) to the period figures."""
    paid = Event.objects.filter(kind=EventKind.ORDER_PAID, at__gte=low)
    if high is not None:
        paid = paid.filter(at__lt=high)
    totals = {"n": Count("pk"), "amount": Coalesce(Sum("amount"), Decimal("0"))}
    overall = {row["customer_id"]: row for row in paid.values("customer_id").annotate(**totals)}
    rows = list(Figures.objects.filter(customer_id__in=overall))
    for row in rows:
        row.period_count += sign * overall[row.customer_id]["n"]
        row.period_amount += sign * overall[row.customer_id]["amount"]
    rows_write(Figures, rows, ["period_count", "period_amount"])
    by_category = {
        (row["customer_id"], row["category"]): row
        for row in paid.exclude(category="").values("customer_id", "category").annotate(**totals)
    }
    rows = list(CategoryFigures.objects.filter(customer_id__in={pk for pk, _c in by_category}))
    rows = [row for row in rows if (row.customer_id, row.category) in by_category]
    for row in rows:
        row.period_count += sign * by_category[row.customer_id, row.category]["n"]
        row.period_amount += sign * by_category[row.customer_id, row.category]["amount"]
    rows_write(CategoryFigures, rows, ["period_count", "period_amount"])
