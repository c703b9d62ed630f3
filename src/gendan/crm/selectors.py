"""Reads of the CRM: the dashboard's four figures (E-1) and returning or sleeping (E-2)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Product
from gendan.crm.models import (
    CareContact,
    CareRule,
    DayCount,
    Figures,
    ItemDay,
    Tag,
    loyal_rule_default,
)
from gendan.crm.rules import rule_q

INTEREST_DAYS = 30  # E-1: interested within the last 30 days
BUYING_DAYS = 365  # E-1: a purchase within the last 365 days
TREND_DAYS = {"day": 30, "week": 12 * 7, "month": 365}


@dataclass
class Group:
    key: str
    label: Promise
    query: Q  # who is in the group, as a condition on the figures
    # The same as a range of days of one measure of the day counts (None: open-ended).
    measure: str
    first_day: dt.date | None
    last_day: dt.date | None
    joined: str  # the measure whose day is when someone joined the group
    joined_after: int = 0  # days from that day until they joined (sleeping: the setting)
    count: int = 0
    new_yesterday: int = 0
    trends: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def groups(now: dt.datetime) -> list[Group]:
    """The groups of E-1 and E-2: "within N days" means today and the N - 1 days before."""
    today = timezone.localtime(now).date()

    def since(days: int) -> dt.date:
        return today - dt.timedelta(days=days - 1)

    sleep = settings.GENDAN_CRM_SLEEP_DAYS
    claimed = Q(card_claimed_at__isnull=False)
    return [
        Group("interested", _("Interested customers"),
              Q(last_interest_at__gte=midnight(since(INTEREST_DAYS))),
              "last_interest", since(INTEREST_DAYS), None, "first_interest"),
        Group("buyers", _("Buying customers"),
              Q(last_purchase_at__gte=midnight(since(BUYING_DAYS))),
              "last_purchase", since(BUYING_DAYS), None, "first_purchase"),
        Group("members", _("Members"), claimed & Q(purchase_count__gt=0),
              "member_since", None, None, "member_since"),
        Group("cards", _("Member cards claimed"), claimed,
              "card_claimed", None, None, "card_claimed"),
        Group("returning", _("Returning customers"), Q(last_seen_at__gte=midnight(since(sleep))),
              "last_seen", since(sleep), None, "first_seen"),
        Group("sleeping", _("Sleeping customers"), Q(last_seen_at__lt=midnight(since(sleep))),
              "last_seen", None, since(sleep) - dt.timedelta(days=1), "last_seen", sleep),
    ]  # fmt: skip


def group_get(key: str, now: dt.datetime | None = None) -> Group | None:
    return next((g for g in groups(now or timezone.now()) if g.key == key), None)


def dashboard(now: dt.datetime | None = None) -> list[Group]:
    """Each group with its size, who joined yesterday, and new joiners per day/week/month.

    Read from the day counts (a few thousand rows), never from the figures of every customer,
    so it takes the same time for a thousand customers or a million."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    yesterday = today - dt.timedelta(days=1)
    per_day: dict[str, dict[dt.date, int]] = defaultdict(dict)
    for measure, day, customers in DayCount.objects.exclude(customers=0).values_list(
        "measure", "day", "customers"
    ):
        per_day[measure][day] = customers
    result = []
    for group in groups(now):
        days = per_day[group.measure]
        group.count = sum(
            n
            for day, n in days.items()
            if (group.first_day is None or day >= group.first_day)
            and (group.last_day is None or day <= group.last_day)
        )
        after = dt.timedelta(days=group.joined_after)
        joined = per_day[group.joined]
        group.new_yesterday = joined.get(yesterday - after, 0)
        group.trends = {
            period: trend(joined, after, today, period, days) for period, days in TREND_DAYS.items()
        }
        result.append(group)
    return result


def trend(
    joined: dict[dt.date, int], after: dt.timedelta, today: dt.date, period: str, days: int
) -> list[tuple[str, int]]:
    """New joiners per day, week (from Monday) or month, over the last ``days`` days."""
    buckets: dict[dt.date, int] = defaultdict(int)
    first = today - dt.timedelta(days=days - 1)
    for day, n in joined.items():
        day = day + after
        if first <= day <= today:
            if period == "week":
                day -= dt.timedelta(days=day.weekday())
            elif period == "month":
                day = day.replace(day=1)
            buckets[day] += n
    return [(day.isoformat(), n) for day, n in sorted(buckets.items()) if n]


def group_people(group: Group) -> QuerySet[Figures]:
    return Figures.objects.filter(group.query).select_related("customer").order_by("-last_seen_at")


SEGMENTS = {
    # E-3: buyers, non-buyers (seen but never bought) and others (nothing seen yet).
    "buyers": Q(purchase_count__gt=0),
    "non_buyers": Q(purchase_count=0, last_seen_at__isnull=False),
}
CUSTOMER_ORDERINGS = {
    "last_purchase": F("last_purchase_at").desc(nulls_last=True),
    "amount": F("purchase_amount").desc(),
    "purchases": F("purchase_count").desc(),
    "last_seen": F("last_seen_at").desc(nulls_last=True),
}


def crm_customers(
    *,
    search: str = "",
    segment: str = "",
    source: str = "",
    min_purchases: int | None = None,
    min_amount: Decimal | None = None,
    bought_since: dt.date | None = None,
    tag: int | None = None,
    group: int | None = None,
    order: str = "",
) -> QuerySet[Figures]:
    """E-3: the shop's customers with their figures; the corrected source wins."""
    rows = Figures.objects.select_related("customer", "customer__care").annotate(
        effective_source=Coalesce(NullIf("customer__care__source", Value("")), "source")
    )
    if search:
        digits = search.replace(" ", "").replace("-", "")
        rows = rows.filter(
            Q(customer__name__icontains=search)
            | Q(customer__nickname__icontains=search)
            | Q(customer__mobile__contains=digits or search)
            | Q(customer__platform_id__iexact=search)
        )
    if segment in SEGMENTS:
        rows = rows.filter(SEGMENTS[segment])
    if source:
        rows = rows.filter(effective_source=source)
    if min_purchases is not None:
        rows = rows.filter(purchase_count__gte=min_purchases)
    if min_amount is not None:
        rows = rows.filter(purchase_amount__gte=min_amount)
    if bought_since is not None:
        rows = rows.filter(last_purchase_at__date__gte=bought_since)
    if tag is not None:
        chosen = Tag.objects.filter(pk=tag).first()
        rows = rows.filter(tag_q(chosen)) if chosen else rows.none()
    if group is not None:
        rows = rows.filter(customer__crm_groups__group_id=group)
    return rows.order_by(CUSTOMER_ORDERINGS.get(order, CUSTOMER_ORDERINGS["last_seen"]), "pk")


def sources_report() -> QuerySet:
    """Customers and amount by source, following hand corrections (E-3)."""
    rows = Figures.objects.annotate(
        effective_source=Coalesce(NullIf("customer__care__source", Value("")), "source")
    )
    return (
        rows.values("effective_source")
        .annotate(customers=Count("pk"), amount=Sum("purchase_amount"))
        .order_by("-customers")
    )


def tag_q(tag: Tag) -> Q:
    """Who is in a tag, as a condition on the figures: an automatic tag's rule (E-4), or the
    people put in a manual tag by hand."""
    if tag.is_automatic:
        return rule_q(tag.rule)
    return Q(customer__tags__tag=tag)


def tag_people(tag: Tag) -> QuerySet[Figures]:
    return Figures.objects.filter(tag_q(tag))


def care_rule() -> dict:
    """E-13: the rule that makes a customer loyal (saved, or more than 10 purchases)."""
    saved = CareRule.objects.filter(pk=1).values_list("rule", flat=True).first()
    return saved or loyal_rule_default()


def loyal_customers() -> QuerySet[Figures]:
    """E-13: the loyal customers, the most valuable first, with their last care contact."""
    last = CareContact.objects.filter(customer=OuterRef("customer")).order_by("-at")
    return (
        Figures.objects.filter(rule_q(care_rule()))
        .select_related("customer")
        .annotate(last_contact_at=Subquery(last.values("at")[:1]),
                  last_contact_kind=Subquery(last.values("kind")[:1]))
        .order_by("-purchase_amount", "pk")
    )  # fmt: skip


@dataclass
class ItemCarts:
    item: str
    name: str
    yesterday: int
    week: int
    month: int
    total: int


def items_report(
    search: str = "", order: str = "", today: dt.date | None = None
) -> list[ItemCarts]:
    """E-12: add-to-cart counts per item: new (yesterday, 7 and 30 days) and cumulative."""
    today = today or timezone.localdate()

    def since(days: int) -> Sum:
        first = today - dt.timedelta(days=days)
        return Sum("carts", filter=Q(day__gte=first, day__lt=today))

    rows = ItemDay.objects.values("item").annotate(
        yesterday=since(1), week=since(7), month=since(30), total=Sum("carts")
    )
    if search:
        rows = rows.filter(item__icontains=search)
    names = dict(
        Product.objects.filter(sku__in=[r["item"] for r in rows]).values_list("sku", "name")
    )
    report = [
        ItemCarts(row["item"], names.get(row["item"], ""), row["yesterday"] or 0,
                  row["week"] or 0, row["month"] or 0, row["total"] or 0)
        for row in rows
    ]  # fmt: skip
    key = order if order in ("yesterday", "week", "month", "total") else "total"
    return sorted(report, key=lambda row: (-getattr(row, key), row.item))
