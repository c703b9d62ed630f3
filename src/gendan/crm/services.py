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

from gendan.accounts.models import User
from gendan.audit.services import audit_record
from gendan.catalog.models import Product
from gendan.crm.keeping import (
    figures_rebuild,
    figures_update,
    item_days_add,
    period_roll_due,
    period_start_current,
)
from gendan.crm.models import (
    TAG_LIMIT,
    Care,
    CareContact,
    CareRule,
    Event,
    EventKind,
    Group,
    GroupMember,
    RfmTemplate,
    Tag,
    TagMember,
)
from gendan.crm.rfm import template_check
from gendan.crm.rules import rule_q
from gendan.crm.selectors import tag_people
from gendan.orders.models import Order
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


MERGE_ITSELF = _("A customer cannot be merged into itself.")
MERGE_KINDS = _("Only homeowners, walk-in, group-buy and online customers are merged.")
MERGEABLE = (
    CustomerKind.HOMEOWNER,
    CustomerKind.RETAIL,
    CustomerKind.GROUP_BUY,
    CustomerKind.ONLINE,
)


@transaction.atomic
def customer_merge(*, actor: User, keep: Customer, absorb: Customer) -> Customer:
    """The same person twice: ``absorb``'s events, orders, contacts and addresses move to
    ``keep``, whose figures are rebuilt from both histories; ``absorb`` stays, marked."""
    if keep.pk == absorb.pk:
        raise ValidationError(MERGE_ITSELF)
    if keep.kind not in MERGEABLE or absorb.kind not in MERGEABLE:
        raise ValidationError(MERGE_KINDS)
    # Lock both, in id order, so two merges of the same pair cannot interleave.
    locked = {
        c.pk: c
        for c in Customer.objects.select_for_update()
        .filter(pk__in=[keep.pk, absorb.pk])
        .order_by("pk")
    }
    keep, absorb = locked[keep.pk], locked[absorb.pk]
    moved = {
        "events": Event.objects.filter(customer=absorb).update(customer=keep),
        "orders": Order.objects.filter(customer=absorb).update(customer=keep)
        + Order.objects.filter(end_customer=absorb).update(end_customer=keep),
        "contacts": absorb.contacts.update(customer=keep),
        "addresses": absorb.addresses.update(customer=keep),
    }
    figures_rebuild([keep.pk, absorb.pk])
    absorb.merged_into, absorb.is_active = keep, False
    absorb.save(update_fields=["merged_into", "is_active"])
    audit_record(
        actor=actor, action="customer.merge", target=keep, changes={"absorbed": absorb.pk, **moved}
    )
    audit_record(
        actor=actor, action="customer.merged_into", target=absorb, changes={"into": keep.pk}
    )
    return keep


@transaction.atomic
def customer_care_set(*, actor: User, customer: Customer, fields: dict) -> Care:
    """E-3, E-5: notes, a corrected source, exclusion from discounts; signed."""
    care, _created = Care.objects.select_for_update().get_or_create(customer=customer)
    before = {name: getattr(care, name) for name in fields}
    for name, value in fields.items():
        setattr(care, name, value)
    care.full_clean()
    care.save()
    changes = {n: [before[n], getattr(care, n)] for n in fields if before[n] != getattr(care, n)}
    if changes:
        audit_record(actor=actor, action="customer.care", target=customer, changes=changes)
    return care


def tags_lock() -> None:
    """Two people adding the 100th tag at once: one waits (SQLite's IMMEDIATE does the same)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('gendan.crm.tags'))")


TOO_MANY_TAGS = _("A shop has at most %(limit)s tags; remove one before adding another.")


@transaction.atomic
def tag_create(*, actor: User, name: str, rule: dict | None = None) -> Tag:
    """E-4: a manual tag, or an automatic one evaluated at once. The 101st is refused."""
    tags_lock()
    if Tag.objects.count() >= TAG_LIMIT:
        raise ValidationError({"name": TOO_MANY_TAGS % {"limit": TAG_LIMIT}})
    if rule:
        rule_q(rule)  # refuse a malformed rule before anything is saved
    tag = Tag(name=name, rule=rule or {})
    tag.full_clean()
    tag.save()
    audit_record(actor=actor, action="tag.create", target=tag, changes={"rule": tag.rule})
    if tag.is_automatic:
        tag_evaluate(tag)
    return tag


def tag_evaluate(tag: Tag) -> int:
    """Count a tag's people now and keep the count for the list of tags.

    An automatic tag's people are never copied into rows: they are its rule applied to the
    kept figures whenever the tag is used, so they follow the figures (and the time window)
    at every moment, and evaluating the tag over every customer is one counting query."""
    tag.people = tag_people(tag).count()
    tag.counted_at = timezone.now()
    tag.save(update_fields=["people", "counted_at"])
    return tag.people


AUTOMATIC_BY_RULE = _(
    "“%(tag)s” is automatic: its people follow its rule. Choose a manual tag to add people by hand."
)
NO_PEOPLE = _("Choose at least one customer.")


def tag_manual(tag: Tag) -> None:
    if tag.is_automatic:
        raise ValidationError({"tag": AUTOMATIC_BY_RULE % {"tag": tag.name}})


@transaction.atomic
def tag_add(*, actor: User, tag: Tag, customer_ids: list[int]) -> int:
    """E-4, E-5: people added to a manual tag by hand, one by one or a whole selection."""
    tag_manual(tag)
    if not customer_ids:
        raise ValidationError(NO_PEOPLE)
    rows = [TagMember(tag=tag, customer_id=pk) for pk in customer_ids]
    TagMember.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    audit_record(actor=actor, action="tag.add", target=tag, changes={"customers": len(rows)})
    tag_evaluate(tag)
    return len(rows)


@transaction.atomic
def tag_remove(*, actor: User, tag: Tag, customer_ids: list[int]) -> int:
    """People taken out of a manual tag."""
    tag_manual(tag)
    removed, _detail = TagMember.objects.filter(tag=tag, customer_id__in=customer_ids).delete()
    audit_record(actor=actor, action="tag.remove", target=tag, changes={"customers": removed})
    tag_evaluate(tag)
    return removed


@transaction.atomic
def tag_move(*, actor: User, source: Tag, target: Tag, customer_ids: list[int]) -> int:
    """E-5: people moved from one manual tag to another, all or none."""
    tag_manual(source)
    moved = tag_add(actor=actor, tag=target, customer_ids=customer_ids)
    tag_remove(actor=actor, tag=source, customer_ids=customer_ids)
    return moved


@transaction.atomic
def tag_create_for(*, actor: User, name: str, customer_ids: list[int]) -> Tag:
    """E-5: a selection given a new (manual) tag in one step."""
    if not customer_ids:
        raise ValidationError(NO_PEOPLE)
    tag = tag_create(actor=actor, name=name)
    tag_add(actor=actor, tag=tag, customer_ids=customer_ids)
    return tag


@transaction.atomic
def tag_rule_set(*, actor: User, tag: Tag, name: str, rule: dict) -> Tag:
    """An automatic tag's name and rule changed; its people are evaluated again at once."""
    if not rule:
        raise ValidationError({"rule": RULE_NEEDED})
    rule_q(rule)
    before = {"name": tag.name, "rule": tag.rule}
    tag.name, tag.rule = name, rule
    tag.full_clean()
    tag.save()
    changes = {"name": [before["name"], name], "rule": [before["rule"], rule]}
    audit_record(actor=actor, action="tag.rule", target=tag, changes=changes)
    tag_evaluate(tag)
    return tag


RULE_NEEDED = _("An automatic tag needs at least one condition.")


@transaction.atomic
def tag_delete(*, actor: User, tag: Tag) -> None:
    """A tag and its memberships go; the customers stay. Signed with how many it held."""
    tags_lock()
    people = tag.members.count()
    audit_record(actor=actor, action="tag.delete", target=tag,
                 changes={"name": tag.name, "rule": tag.rule, "customers": people})  # fmt: skip
    tag.delete()


@transaction.atomic
def tag_refresh(*, actor: User, tag: Tag) -> int:
    """E-4: an automatic tag evaluated on demand over every customer."""
    if not tag.is_automatic:
        raise ValidationError({"tag": RULE_NEEDED})
    count = tag_evaluate(tag)
    audit_record(actor=actor, action="tag.evaluate", target=tag, changes={"customers": count})
    return count


@transaction.atomic
def group_create(*, actor: User, name: str, note: str = "") -> Group:
    """E-6: a group beside the tags."""
    group = Group(name=name, note=note)
    group.full_clean()
    group.save()
    audit_record(actor=actor, action="group.create", target=group, changes={"name": name})
    return group


@transaction.atomic
def group_add(*, actor: User, group: Group, customer_ids: list[int]) -> int:
    if not customer_ids:
        raise ValidationError(NO_PEOPLE)
    rows = [GroupMember(group=group, customer_id=pk) for pk in customer_ids]
    GroupMember.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    audit_record(actor=actor, action="group.add", target=group, changes={"customers": len(rows)})
    return len(rows)


@transaction.atomic
def group_remove(*, actor: User, group: Group, customer_ids: list[int]) -> int:
    removed, _detail = GroupMember.objects.filter(
        group=group, customer_id__in=customer_ids
    ).delete()
    audit_record(actor=actor, action="group.remove", target=group, changes={"customers": removed})
    return removed


@transaction.atomic
def group_delete(*, actor: User, group: Group) -> None:
    people = group.members.count()
    audit_record(actor=actor, action="group.delete", target=group,
                 changes={"name": group.name, "customers": people})  # fmt: skip
    group.delete()


@transaction.atomic
def rfm_template_save(*, actor: User, category: str, fields: dict) -> RfmTemplate:
    """E-8: save a template (the default one, or a category's); every customer is relabelled
    by it at once, because labels are its conditions on the kept figures."""
    template = RfmTemplate.objects.select_for_update().filter(category=category).first()
    template = template or RfmTemplate(category=category)
    before = {name: getattr(template, name) for name in fields} if template.pk else {}
    for name, value in fields.items():
        setattr(template, name, value)
    template_check(template)
    template.full_clean()
    template.save()
    changes = {n: [before.get(n), getattr(template, n)] for n in fields}
    audit_record(actor=actor, action="rfm.template", target=template, changes=changes)
    return template


@transaction.atomic
def care_rule_set(*, actor: User, rule: dict) -> CareRule:
    """E-13: who counts as loyal (default: more than 10 purchases), as a rule on the figures."""
    if not rule:
        raise ValidationError({"rule": RULE_NEEDED})
    rule_q(rule)
    current = CareRule.objects.select_for_update().filter(pk=1).first() or CareRule(pk=1)
    before = current.rule if current.updated_at else None
    current.rule = rule
    current.save()
    audit_record(actor=actor, action="care.rule", target=current, changes={"rule": [before, rule]})
    return current


@transaction.atomic
def care_contact_record(
    *, actor: User, customer: Customer, kind: str, note: str = "", at: dt.datetime | None = None
) -> CareContact:
    """E-13: a call, a message, a surprise package or samples given to a customer, signed."""
    contact = CareContact(
        customer=customer, kind=kind, note=note, at=at or timezone.now(), by=actor
    )
    contact.full_clean()
    contact.save()
    audit_record(actor=actor, action="care.contact", target=customer,
                 changes={"kind": kind, "note": note})  # fmt: skip
    return contact
