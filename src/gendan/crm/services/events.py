"""Events into the CRM: each batch is one transaction that also keeps the figures current."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Product
from gendan.crm.keeping import (
    figures_update,
    item_days_add,
    period_roll_due,
    period_start_current,
)
from gendan.crm.models import (
    Event,
    EventKind,
)
from gendan.parties.models import Customer, CustomerKind, Gender, Platform
from gendan.parties.phones import mobile_normalize

NO_WAY_TO_KNOW_WHO = _("An event needs a customer number, a platform id or a mobile number.")
AMOUNT_NEEDED = _("A payment or refund needs its amount.")


@dataclass
class EventInput:
    kind: str
    at: dt.datetime
    customer_id: int | None = None
    platform: str = ""
    platform_id: str = ""
    nickname: str = ""
    mobile: str = ""
    amount: Decimal | None = None
    item: str = ""
    category: str = ""
    quantity: int = 1
    source: str = ""
    external_id: str = ""
    # E-7: what the platform tells about a person seen for the first time.
    gender: str = ""
    birth_year: int | None = None
    province: str = ""
    city: str = ""


UNKNOWN_CUSTOMER = _("There is no customer number %(id)s.")
UNKNOWN_KIND = _("Unknown event “%(kind)s”.")
UNKNOWN_PLATFORM = _("Unknown platform “%(platform)s”.")
TOO_LONG = _("%(field)s is longer than %(limit)s characters.")
BAD_QUANTITY = _("The quantity must be a whole number of at least 1.")
BAD_AMOUNT = _("The amount must be between 0 and 999,999,999,999.99.")
LIMITS = {"item": 64, "category": 20, "source": 40, "external_id": 64, "nickname": 64,
          "platform_id": 64, "province": 20, "city": 30}  # fmt: skip


KINDS = frozenset(EventKind.values)
GENDERS = frozenset({"", *Gender.values})
BAD_GENDER = _("Gender is f, m or empty.")
BAD_BIRTH_YEAR = _("The year of birth must lie between 1900 and this year.")
BAD_EVENT_YEAR = _("The time of an event must lie in the years 1900 to 2999.")
# The years an event may fall in, as the CSV import takes them (imports.TIME_PATTERN).
EVENT_YEARS = range(1900, 3000)
PLATFORMS = frozenset(Platform.values)


def row_check(row: EventInput) -> None:
    """What one event must be, checked without a query (imports check a million of these)."""
    if row.kind not in KINDS:
        raise ValidationError(UNKNOWN_KIND % {"kind": row.kind})
    if row.platform and row.platform not in PLATFORMS:
        raise ValidationError(UNKNOWN_PLATFORM % {"platform": row.platform})
    for name, limit in LIMITS.items():
        if len(getattr(row, name)) > limit:
            raise ValidationError(TOO_LONG % {"field": name, "limit": limit})
    if row.kind in (EventKind.ORDER_PAID, EventKind.REFUND) and row.amount is None:
        raise ValidationError({"amount": AMOUNT_NEEDED})
    if row.amount is not None and not (0 <= row.amount < Decimal("1e12")):
        raise ValidationError({"amount": BAD_AMOUNT})
    if not isinstance(row.quantity, int) or row.quantity < 1:
        raise ValidationError({"quantity": BAD_QUANTITY})
    if row.gender not in GENDERS:
        raise ValidationError({"gender": BAD_GENDER})
    if row.birth_year is not None and not (1900 <= row.birth_year <= timezone.now().year):
        raise ValidationError({"birth_year": BAD_BIRTH_YEAR})


def event_time(at: dt.datetime) -> dt.datetime:
    """The moment of an event: a time without an offset is shop time (``TIME_ZONE``), as the
    CSV import takes it; a year outside 1900 to 2999 is refused, as the CSV refuses it."""
    if at.year not in EVENT_YEARS:
        raise ValidationError({"at": BAD_EVENT_YEAR})
    return timezone.make_aware(at) if timezone.is_naive(at) else at


@dataclass
class Known:
    """What resolving needs of a customer: its platform (the default source of its events)
    and whom it was merged into, if anyone."""

    platform: str
    merged_into: int | None


def customers_resolve(rows: list[EventInput]) -> tuple[list[int], dict[int, Known]]:
    """The customer of each row, in bulk: the same person arriving twice (same platform id,
    same phone) is one customer; a person not seen before becomes a new online customer.
    ValidationError names the bad rows."""
    errors: dict[str, list[str]] = {}
    mobiles: dict[str, str] = {}
    for index, row in enumerate(rows):
        if row.mobile and row.mobile not in mobiles:
            try:
                mobiles[row.mobile] = mobile_normalize(row.mobile)
            except ValidationError as error:
                errors[f"rows.{index}"] = error.messages
                mobiles[row.mobile] = ""
    known: dict[int, Known] = {}
    fields = ("pk", "platform", "merged_into_id")
    for pk, platform, merged_into in chunked_rows(
        Customer.objects.values_list(*fields), "pk__in",
        {row.customer_id for row in rows if row.customer_id is not None},
    ):  # fmt: skip
        known[pk] = Known(platform, merged_into)
    by_platform = {}
    platform_ids: dict[str, set[str]] = {}
    for row in rows:
        if row.platform_id:
            platform_ids.setdefault(row.platform, set()).add(row.platform_id)
    for platform_name, wanted_ids in platform_ids.items():
        # Platform first and never blank: what the unique index on (platform, id) answers.
        on_platform = Customer.objects.filter(platform=platform_name).exclude(platform_id="")
        for pk, platform, merged_into, platform_id in chunked_rows(
            on_platform.values_list(*fields, "platform_id"), "platform_id__in", wanted_ids
        ):
            known[pk] = Known(platform, merged_into)
            by_platform[platform, platform_id] = pk
    by_mobile: dict[str, int] = {}
    for pk, platform, merged_into, mobile in chunked_rows(
        Customer.objects.order_by("pk").values_list(*fields, "mobile"), "mobile__in",
        {m for m in mobiles.values() if m},
    ):  # fmt: skip
        known[pk] = Known(platform, merged_into)
        by_mobile.setdefault(mobile, pk)
    found: list[int | None] = []
    fresh: dict[tuple[str, str, str], Customer] = {}
    wanted: list[tuple[str, str, str] | None] = []
    for index, row in enumerate(rows):
        mobile = mobiles.get(row.mobile, "")
        pk, key = None, None
        if row.customer_id is not None:
            pk = row.customer_id if row.customer_id in known else None
            if pk is None:
                errors[f"rows.{index}"] = [UNKNOWN_CUSTOMER % {"id": row.customer_id}]
        else:
            pk = by_platform.get((row.platform, row.platform_id)) if row.platform_id else None
            pk = pk or (by_mobile.get(mobile) if mobile else None)
            if pk is None and not (row.platform_id or mobile):
                errors.setdefault(f"rows.{index}", [str(NO_WAY_TO_KNOW_WHO)])
            elif pk is None:
                # A new person: the same platform id, or else the same mobile, is one person.
                key = (row.platform, row.platform_id, "") if row.platform_id else ("", "", mobile)
                fresh.setdefault(key, Customer(
                    kind=CustomerKind.ONLINE, name=row.nickname or row.platform_id or mobile,
                    mobile=mobile, platform=row.platform, platform_id=row.platform_id,
                    nickname=row.nickname, gender=row.gender, birth_year=row.birth_year,
                    province=row.province, city=row.city,
                ))  # fmt: skip
        found.append(pk)
        wanted.append(key)
    if errors:
        raise ValidationError(errors)
    Customer.objects.bulk_create(fresh.values(), batch_size=5000)
    for customer in fresh.values():
        known[customer.pk] = Known(customer.platform, None)
    ids = merged_follow([pk or fresh[key].pk for pk, key in zip(found, wanted, strict=True)], known)
    profiles_fill(rows, ids)
    return ids, known


PROFILE = ("gender", "birth_year", "province", "city")


def profiles_fill(rows: list[EventInput], ids: list[int]) -> None:
    """E-7: what the platform tells about a person (the first row that tells it) fills what
    the customer's record does not know yet; what it knows is kept."""
    told: dict[int, dict[str, object]] = {}
    for row, pk in zip(rows, ids, strict=True):
        for name in PROFILE:
            if (value := getattr(row, name)) not in ("", None):
                told.setdefault(pk, {}).setdefault(name, value)
    if not told:
        return
    changed = []
    for customer in chunked_rows(Customer.objects.only("pk", *PROFILE), "pk__in", set(told)):
        blanks = {n: v for n, v in told[customer.pk].items() if getattr(customer, n) in ("", None)}
        for name, value in blanks.items():
            setattr(customer, name, value)
        if blanks:
            customer.updated_at = timezone.now()
            changed.append(customer)
    Customer.objects.bulk_update(changed, [*PROFILE, "updated_at"], batch_size=1000)


def chunked_rows(rows: QuerySet, lookup: str, values: set, size: int = 5000) -> list[tuple]:
    """The rows whose ``lookup`` is in ``values``, a few thousand values per query."""
    values = sorted(values)
    found = []
    for start in range(0, len(values), size):
        found += rows.filter(**{lookup: values[start : start + size]})
    return found


def merged_follow(ids: list[int], known: dict[int, Known]) -> list[int]:
    """Someone merged by hand into another customer is that customer (E-3: one customer);
    the customers merged into are added to ``known``. No query when nobody was merged."""
    into = {pk: info.merged_into for pk, info in known.items() if info.merged_into is not None}
    while missing := {target for target in into.values() if target not in known}:
        for pk, platform, merged_into in Customer.objects.filter(pk__in=missing).values_list(
            "pk", "platform", "merged_into_id"
        ):
            known[pk] = Known(platform, merged_into)
            if merged_into is not None:
                into[pk] = merged_into

    def final(pk: int) -> int:
        while pk in into:
            pk = into[pk]
        return pk

    return [final(pk) for pk in ids]


def events_record(*, rows: list[EventInput]) -> list[NewEvent]:
    """Record events and keep each customer's figures current, all in one transaction.

    An event whose external id was recorded before is left out (imports can be repeated).
    Outside a transaction, a new day's roll of the RFM period comes first, in its own.
    """
    if not connection.in_atomic_block:
        period_roll_due()
    with transaction.atomic():
        return events_record_atomic(rows)


@dataclass(slots=True)
class NewEvent:
    """An event about to be recorded: lighter than the model (imports make a million), with
    the attributes the figures read."""

    customer_id: int
    kind: str
    at: dt.datetime
    amount: Decimal | None
    item: str
    category: str
    quantity: int
    source: str
    external_id: str

    def row(self) -> tuple:
        return (
            self.customer_id, self.kind, self.at, self.amount, self.item, self.category,
            self.quantity, self.source, self.external_id,
        )  # fmt: skip

    def model(self) -> Event:
        return Event(
            customer_id=self.customer_id, kind=self.kind, at=self.at, amount=self.amount,
            item=self.item, category=self.category, quantity=self.quantity, source=self.source,
            external_id=self.external_id,
        )  # fmt: skip


def events_record_atomic(rows: list[EventInput]) -> list[NewEvent]:
    errors = {}
    for index, row in enumerate(rows):
        try:
            row.at = event_time(row.at)
            row_check(row)
        except ValidationError as error:
            errors[f"rows.{index}"] = error.messages
    if errors:
        raise ValidationError(errors)
    customer_ids, known = customers_resolve(rows)
    events = [
        NewEvent(
            pk, row.kind, row.at, row.amount, row.item, row.category, row.quantity,
            row.source or known[pk].platform, row.external_id,
        )
        for row, pk in zip(rows, customer_ids, strict=True)
    ]  # fmt: skip
    categories_fill(events)
    if connection.vendor == "postgresql":
        # The triggers of migrations 0004 and 0008 keep the figures and count the adds to
        # cart (E-12), once per statement; a repeated external id is left out by the unique
        # index itself.
        if len(events) > COPY_FROM:
            events = events_new(events)
            events_copy(events)
        else:
            events = events_insert(events)
    else:
        events = events_new(events)
        period_start = period_start_current()
        Event.objects.bulk_create([event.model() for event in events], batch_size=5000)
        figures_update(events, period_start)
        item_days_add(events)  # E-12
    return events


COPY_FROM = 1000  # events in a batch from which PostgreSQL's COPY is faster than INSERT


def events_insert(events: list[NewEvent]) -> list[NewEvent]:
    """Insert events in one statement on PostgreSQL; an event whose (kind, external id) is
    recorded already, or repeated in the batch, is left out. Returns the events recorded."""
    if not events:
        return []
    columns = ", ".join(EVENT_COLUMNS)
    fields = {field.column: field for field in Event._meta.fields}
    typed = ", ".join(f"{c}::{fields[c].db_type(connection)}" for c in EVENT_COLUMNS)
    values = ", ".join([f"({', '.join(['%s'] * len(EVENT_COLUMNS))}, %s)"] * len(events))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Event._meta.db_table} ({columns}) "
            f"SELECT {typed} FROM (VALUES {values}) AS v ({columns}, place) ORDER BY place "
            f"ON CONFLICT (kind, external_id) WHERE external_id <> '' DO NOTHING "
            f"RETURNING kind, external_id",
            [value for place, event in enumerate(events) for value in (*event.row(), place)],
        )
        recorded = cursor.fetchall()
    wanted = {(kind, external_id) for kind, external_id in recorded if external_id}
    kept = []
    for event in events:  # the first of repeated ids in the batch is the one recorded
        key = (event.kind, event.external_id)
        if not event.external_id:
            kept.append(event)
        elif key in wanted:
            kept.append(event)
            wanted.discard(key)
    return kept


EVENT_COLUMNS = [
    "customer_id", "kind", "at", "amount", "item", "category", "quantity", "source",
    "external_id",
]  # fmt: skip


def events_copy(events: list[NewEvent]) -> None:
    """Insert many events with PostgreSQL's COPY, one statement (so one pass of the trigger).
    The events get no primary key back; nothing here needs it."""
    columns = ", ".join(EVENT_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {Event._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for event in events:
            copy.write_row(event.row())


def categories_fill(events: list[NewEvent]) -> None:
    """A paid order without a category takes its item's category from the catalogue (E-8)."""
    unknown = {e.item for e in events if counts_by_category_unknown(e)}
    if not unknown:
        return
    found = dict(Product.objects.filter(sku__in=unknown).values_list("sku", "category"))
    for event in events:
        if counts_by_category_unknown(event):
            event.category = found.get(event.item, "")


def counts_by_category_unknown(event: NewEvent) -> bool:
    return event.kind == PAID and not event.category and bool(event.item)


PAID = EventKind.ORDER_PAID.value


def events_new(events: list[NewEvent]) -> list[NewEvent]:
    """Leave out events whose (kind, external id) is already recorded, or repeated here."""
    by_kind: dict[str, set[str]] = {}
    for event in events:
        if event.external_id:
            by_kind.setdefault(event.kind, set()).add(event.external_id)
    seen = set()
    for kind, external_ids in by_kind.items():
        # Kind first and never blank: the query the partial unique index answers.
        recorded = Event.objects.filter(kind=kind).exclude(external_id="")
        seen |= set(
            chunked_rows(
                recorded.values_list("kind", "external_id"), "external_id__in", external_ids
            )
        )
    kept = []
    for event in events:
        key = (event.kind, event.external_id)
        if event.external_id and key in seen:
            continue
        if event.external_id:
            seen.add(key)
        kept.append(event)
    return kept


def order_closed_record(order, entry) -> None:
    """After an order of the order process is closed (paid): its payment, in the CRM."""
    buyer = order.end_customer_id or order.customer_id
    lines = list(order.lines.select_related("product"))
    quantity = sum(int(line.quantity) for line in lines) or 1
    # E-8 per category: the order counts for the category of its largest line.
    main = max(lines, key=lambda line: line.amount, default=None)
    row = EventInput(
        kind=EventKind.ORDER_PAID, at=entry.at, customer_id=buyer, amount=order.total,
        quantity=quantity, source="orders", external_id=f"order:{order.number}",
        item=main.product.sku if main else "", category=main.product.category if main else "",
    )  # fmt: skip
    events_record(rows=[row])
