"""Reads of the CRM: the dashboard's four figures (E-1) and returning or sleeping (E-2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncDay, TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.crm.models import Figures

INTEREST_DAYS = 30  # E-1: interested within the last 30 days
BUYING_DAYS = 365  # E-1: a purchase within the last 365 days
TRENDS = {"day": (TruncDay, 30), "week": (TruncWeek, 12 * 7), "month": (TruncMonth, 365)}


@dataclass
class Group:
    key: str
    label: Promise
    query: Q
    since: str  # the figure whose date says when someone joined the group
    count: int = 0
    new_yesterday: int = 0
    trends: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def groups(now: dt.datetime) -> list[Group]:
    """The groups of E-1 and E-2, as conditions on the kept figures."""
    sleeping = now - dt.timedelta(days=settings.GENDAN_CRM_SLEEP_DAYS)
    interested = now - dt.timedelta(days=INTEREST_DAYS)
    buying = now - dt.timedelta(days=BUYING_DAYS)
    claimed = Q(card_claimed_at__isnull=False)
    return [
        Group("interested", _("Interested customers"), Q(last_interest_at__gte=interested),
              "first_interest_at"),
        Group("buyers", _("Buying customers"), Q(last_purchase_at__gte=buying),
              "first_purchase_at"),
        Group("members", _("Members"), claimed & Q(purchase_count__gt=0), "card_claimed_at"),
        Group("cards", _("Member cards claimed"), claimed, "card_claimed_at"),
        Group("returning", _("Returning customers"), Q(last_seen_at__gte=sleeping),
              "first_seen_at"),
        Group("sleeping", _("Sleeping customers"), Q(last_seen_at__lt=sleeping), "last_seen_at"),
    ]  # fmt: skip


def group_get(key: str, now: dt.datetime | None = None) -> Group | None:
    return next((g for g in groups(now or timezone.now()) if g.key == key), None)


def dashboard(now: dt.datetime | None = None) -> list[Group]:
    """Each group with its size, who joined yesterday, and new joiners per day/week/month."""
    now = now or timezone.now()
    yesterday = timezone.localtime(now).date() - dt.timedelta(days=1)
    result = []
    for group in groups(now):
        members = Figures.objects.filter(group.query)
        group.count = members.count()
        group.new_yesterday = members.filter(**{f"{group.since}__date": yesterday}).count()
        group.trends = {
            name: trend(members, group.since, now, *spec) for name, spec in TRENDS.items()
        }
        result.append(group)
    return result


def trend(
    members: QuerySet, since: str, now: dt.datetime, trunc, days: int
) -> list[tuple[str, int]]:
    start = now - dt.timedelta(days=days)
    rows = (
        members.filter(**{f"{since}__gte": start})
        .annotate(period=trunc(since))
        .values("period")
        .annotate(joined=Count("pk"))
        .order_by("period")
    )
    return [
        (
            timezone.localtime(row["period"]).date().isoformat()
            if isinstance(row["period"], dt.datetime)
            else str(row["period"]),
            row["joined"],
        )
        for row in rows
    ]


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
