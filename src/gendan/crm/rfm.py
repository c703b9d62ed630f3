"""RFM (E-8): scores and labels are conditions on the kept figures, never stored per customer.

A template change therefore relabels every customer at once, with no write; what costs time is
counting the grid, one pass over the kept figures (or the figures of one category).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gendan.crm.models import CategoryFigures, Figures, RfmTemplate

SCORES = (5, 4, 3, 2, 1)
LABELS = {
    "active": pgettext_lazy("RFM label", "Active"),
    "sleeping": pgettext_lazy("RFM label", "Sleeping"),
    "lost": pgettext_lazy("RFM label", "Lost"),
}
CENT = Decimal("0.01")
RANGES_NEED_FOUR = _("Give four limits, each larger than the one before.")
LABEL_DAYS_ORDER = _("A buyer must be active for fewer days than it takes to be lost.")


def template_for(category: str = "") -> RfmTemplate:
    """The saved template of the category, else the default one (the defaults if unsaved)."""
    saved = {t.category: t for t in RfmTemplate.objects.filter(category__in={category, ""})}
    if category in saved:
        return saved[category]
    base = saved.get("") or RfmTemplate()
    return RfmTemplate(
        category=category, recency=base.recency, frequency=base.frequency,
        monetary=base.monetary, active_days=base.active_days, lost_days=base.lost_days,
    )  # fmt: skip


def template_check(template: RfmTemplate) -> None:
    """Four ascending positive limits per measure; active before lost."""
    errors = {}
    for name, kind in (("recency", int), ("frequency", int), ("monetary", Decimal)):
        try:
            limits = [kind(str(value)) for value in getattr(template, name)]
        except (TypeError, ValueError, InvalidOperation):
            limits = []
        ascending = all(a < b for a, b in itertools.pairwise(limits))
        if len(limits) != 4 or limits[0] <= 0 or not ascending:
            errors[name] = RANGES_NEED_FOUR
        else:
            setattr(template, name, [str(v) if kind is Decimal else v for v in limits])
    if template.active_days >= template.lost_days:
        errors["lost_days"] = LABEL_DAYS_ORDER
    if errors:
        raise ValidationError(errors)


class Scoring:
    """A template's scores and labels as conditions, for figures reached through ``prefix``."""

    def __init__(self, template: RfmTemplate, now: dt.datetime | None = None, prefix: str = ""):
        today = timezone.localtime(now or timezone.now()).date()
        self.template = template
        self.prefix = prefix
        self.bought_since = [self.since(today, days) for days in template.recency]
        self.active_since = self.since(today, template.active_days)
        self.lost_before = self.since(today, template.lost_days)

    @staticmethod
    def since(today: dt.date, days: int) -> dt.datetime:
        """Bought "within N days": today or the N - 1 days before, as the RFM period counts
        its days (``keeping.period_wanted``) and E-2 its returning customers. With the
        period's length as the last limit, R1 and "lost" are exactly the buyers whose last
        purchase lies before the period (nothing in the period: F1, M1)."""
        day = today - dt.timedelta(days=int(days) - 1)
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))

    def q(self, **lookups: object) -> Q:
        return Q(**{f"{self.prefix}{key}": value for key, value in lookups.items()})

    def r_q(self, score: int) -> Q:
        """R5: bought within recency[0] days; R1: not within recency[3] days."""
        if score == 5:
            return self.q(last_purchase_at__gte=self.bought_since[0])
        if score == 1:
            return self.q(last_purchase_at__lt=self.bought_since[3])
        newer, older = self.bought_since[4 - score], self.bought_since[5 - score]
        return self.q(last_purchase_at__lt=newer, last_purchase_at__gte=older)

    def at_least_q(self, field_name: str, limits: list, score: int) -> Q:
        """Score 1: below limits[0]; score 5: limits[3] or more; between: that band."""
        limits = [Decimal(str(value)) for value in limits]
        if score == 1:
            return self.q(**{f"{field_name}__lt": limits[0]})
        if score == 5:
            return self.q(**{f"{field_name}__gte": limits[3]})
        low, high = limits[score - 2], limits[score - 1]
        return self.q(**{f"{field_name}__gte": low, f"{field_name}__lt": high})

    def f_q(self, score: int) -> Q:
        return self.at_least_q("period_count", self.template.frequency, score)

    def m_q(self, score: int) -> Q:
        return self.at_least_q("period_amount", self.template.monetary, score)

    def label_q(self, label: str) -> Q:
        if label == "active":
            return self.q(last_purchase_at__gte=self.active_since)
        if label == "lost":
            return self.q(last_purchase_at__lt=self.lost_before)
        return self.q(
            last_purchase_at__lt=self.active_since, last_purchase_at__gte=self.lost_before
        )


def scored_rows(category: str) -> QuerySet:
    """The rows RFM scores: each buyer's figures, or the figures of one category."""
    if category:
        return CategoryFigures.objects.filter(category=category)
    return Figures.objects.filter(purchase_count__gt=0)


@dataclass
class Cell:
    count: int = 0
    amount: Decimal = Decimal("0")

    def add(self, count: int, amount: Decimal | None) -> None:
        """SQLite sums decimals as floats: the amount is kept to the cent."""
        self.count += count
        self.amount = (self.amount + Decimal(str(amount or 0))).quantize(CENT)


@dataclass
class Grid:
    """R (rows, 5 first) by F (columns), the M scores and the three labels."""

    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    monetary: dict[int, Cell] = field(default_factory=dict)
    labels: dict[str, Cell] = field(default_factory=dict)
    total: Cell = field(default_factory=Cell)

    def rows(self) -> list[tuple[int, list[tuple[int, Cell]]]]:
        return [(r, [(f, self.cells[r, f]) for f in reversed(SCORES)]) for r in SCORES]


def rfm_grid(template: RfmTemplate, now: dt.datetime | None = None) -> Grid:
    """Count every cell, M score and label in one pass over the scored rows."""
    scoring = Scoring(template, now)

    def score(condition) -> Case:
        return Case(
            *[When(condition(s), then=Value(s)) for s in SCORES], output_field=IntegerField()
        )

    labels = Case(
        *[When(scoring.label_q(label), then=Value(label)) for label in LABELS],
        default=Value(""),
    )
    rows = (
        scored_rows(template.category)
        .annotate(r=score(scoring.r_q), f=score(scoring.f_q), m=score(scoring.m_q), label=labels)
        .values("r", "f", "m", "label")
        .annotate(n=Count("pk"), amount=Sum("period_amount"))
        .order_by()
    )
    grid = Grid(
        cells={(r, f): Cell() for r in SCORES for f in SCORES},
        monetary={m: Cell() for m in reversed(SCORES)},
        labels={label: Cell() for label in LABELS},
    )
    for row in rows:
        grid.cells[row["r"], row["f"]].add(row["n"], row["amount"])
        grid.monetary[row["m"]].add(row["n"], row["amount"])
        grid.labels.setdefault(row["label"], Cell()).add(row["n"], row["amount"])
        grid.total.add(row["n"], row["amount"])
    return grid


def rfm_people(
    template: RfmTemplate,
    *,
    r: int | None = None,
    f: int | None = None,
    m: int | None = None,
    label: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[Figures]:
    """The people of a cell, a score or a label, as figures (what lists and tags take)."""
    category = template.category
    scoring = Scoring(template, now, prefix="customer__category_figures__" if category else "")
    condition = scoring.q(category=category) if category else Q(purchase_count__gt=0)
    for score, q in ((r, scoring.r_q), (f, scoring.f_q), (m, scoring.m_q)):
        if score in SCORES:
            condition &= q(score)
    if label in LABELS:
        condition &= scoring.label_q(label)
    return (
        Figures.objects.filter(condition)
        .select_related("customer")
        .order_by("-last_purchase_at", "pk")
    )
