"""Reads of the CRM: the dashboard's four figures (E-1) and returning or sleeping (E-2)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek
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
