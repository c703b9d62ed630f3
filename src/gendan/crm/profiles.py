"""Customer profiles (E-7): for a period and a population (all, interested, buying, QR-scan),
the age and gender distribution, the regions, and interested against buying by region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.crm.models import INTEREST_KINDS, Event, EventKind
from gendan.parties.models import Customer

POPULATIONS: dict[str, tuple[Promise, frozenset | None]] = {
    "all": (_("All customers"), None),
    "interested": (_("Interested customers"), frozenset(INTEREST_KINDS)),
    "buying": (_("Buying customers"), frozenset({EventKind.ORDER_PAID})),
    "qr": (_("QR-scan customers"), frozenset({EventKind.QR_SCAN})),
}
# Age bands (youngest first) as (label, lowest age, highest age).
AGE_BANDS = [
    ("<18", 0, 17), ("18-24", 18, 24), ("25-29", 25, 29), ("30-34", 30, 34),
    ("35-39", 35, 39), ("40-49", 40, 49), ("50-59", 50, 59), ("60+", 60, 150),
]  # fmt: skip
TOP_REGIONS = 15


@dataclass
class Conversion:
    region: str
    interested: int
    buying: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.buying / self.interested, 1) if self.interested else None


@dataclass
class Profile:
    population: str
    start: dt.date
    end: dt.date
    province: str
    total: int = 0
    # (band, women, men, not known)
    ages: list[tuple[str, int, int, int]] = field(default_factory=list)
    age_unknown: int = 0
    regions: list[tuple[str, int]] = field(default_factory=list)
    conversion: list[Conversion] = field(default_factory=list)


def population_customers(population: str, start: dt.date, end: dt.date) -> QuerySet[Customer]:
    """Who was in the population during [start, end] (local days): seen at all, or with an
    event of the population's kinds."""
    events = Event.objects.filter(at__gte=midnight(start), at__lt=midnight(end + dt.timedelta(1)))
    kinds = POPULATIONS.get(population, POPULATIONS["all"])[1]
    if kinds is not None:
        events = events.filter(kind__in=kinds)
    return Customer.objects.filter(pk__in=events.values("customer_id"))


def midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def profile(population: str, start: dt.date, end: dt.date, province: str = "") -> Profile:
    people = population_customers(population, start, end)
    result = Profile(population=population, start=start, end=end, province=province)
    result.total = people.count()
    bands = {label: [0, 0, 0] for label, _low, _high in AGE_BANDS}
    for row in (
        people.exclude(birth_year=None).annotate(band=age_band(end.year))
        .values("band", "gender").annotate(n=Count("pk")).order_by()
    ):  # fmt: skip
        bands[row["band"]][{"f": 0, "m": 1}.get(row["gender"], 2)] += row["n"]
    result.ages = [(label, *counts) for label, counts in bands.items()]
    result.age_unknown = people.filter(birth_year=None).count()
    level = "city" if province else "province"
    regional = people.filter(province=province) if province else people
    result.regions = [
        (row[level] or "", row["n"])
        for row in regional.values(level)
        .annotate(n=Count("pk"))
        .order_by("-n", level)[:TOP_REGIONS]
    ]
    result.conversion = conversion(start, end, province)
    return result


def age_band(year: int) -> Case:
    """The age band of someone born in ``birth_year``, as of ``year``."""
    return Case(
        *[
            When(Q(birth_year__gte=year - high, birth_year__lte=year - low), then=Value(label))
            for label, low, high in AGE_BANDS
        ],
        default=Value(AGE_BANDS[-1][0]),
        output_field=CharField(),
    )


def conversion(start: dt.date, end: dt.date, province: str = "") -> list[Conversion]:
    """Interested against buying people per province (or city), and the rate between them."""
    level = "city" if province else "province"

    def per_region(population: str) -> dict[str, int]:
        people = population_customers(population, start, end)
        if province:
            people = people.filter(province=province)
        return {r[level]: r["n"] for r in people.values(level).annotate(n=Count("pk")).order_by()}

    interested, buying = per_region("interested"), per_region("buying")
    rows = [
        Conversion(region or "", interested.get(region, 0), buying.get(region, 0))
        for region in set(interested) | set(buying)
    ]
    return sorted(rows, key=lambda row: (-row.interested, -row.buying, row.region))[:TOP_REGIONS]
