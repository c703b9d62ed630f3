"""E-8: the default RFM template reaches every band and label on a shop of several years."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.crm.keeping import figures_rebuild
from gendan.crm.models import Figures
from gendan.crm.rfm import LABELS, SCORES, rfm_grid, rfm_people, template_for
from gendan.crm.services.events import EventInput, events_record
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
YEARS = 4


def shop_events(customer_id: int, rng: random.Random, now: dt.datetime) -> list[EventInput]:
    """One customer's life in the shop: first seen in the last four years, then some look
    only, some buy once or twice, a few often; some stop buying long before today."""
    first = now - dt.timedelta(days=rng.randrange(YEARS * 365), hours=rng.randrange(24))
    last = first + (now - first) * rng.random()  # when the customer stopped coming
    rows = [EventInput(kind="qr_scan", at=first, customer_id=customer_id, source="tmall")]
    purchases = 0 if rng.random() < 0.3 else min(int(rng.paretovariate(0.8)), 30)
    for _n in range(purchases):
        at = first + (last - first) * rng.random()
        amount = Decimal(rng.randrange(60, 2500))
        rows.append(EventInput(kind="order_paid", at=at, customer_id=customer_id, amount=amount))
    return rows


@pytest.fixture
def years_of_shop() -> list[int]:
    rng = random.Random(8)
    now = timezone.now()
    customers = [CustomerFactory(kind="online").pk for _ in range(240)]
    rows = [row for pk in customers for row in shop_events(pk, rng, now)]
    rng.shuffle(rows)  # events arrive in any order of time
    for start in range(0, len(rows), 50):
        events_record(rows=rows[start : start + 50])
    return customers


def kept_figures() -> set[tuple]:
    return set(Figures.objects.values_list("customer_id", "last_purchase_at", "purchase_count",
                                           "period_count", "period_amount"))  # fmt: skip


def test_e8_every_band_and_label_of_the_default_template_has_customers(years_of_shop):
    """E-8: on events spread over four years, each R, F and M band and each label (active,
    sleeping, lost) of the default template holds someone, and every buyer has a label."""
    # given
    template = template_for("")
    buyers = Figures.objects.filter(purchase_count__gt=0).count()
    # when
    grid = rfm_grid(template)
    # then
    assert buyers and grid.total.count == buyers
    assert {r: sum(grid.cells[r, f].count for f in SCORES) > 0 for r in SCORES} == dict.fromkeys(
        SCORES, True
    )
    assert {f: sum(grid.cells[r, f].count for r in SCORES) > 0 for f in SCORES} == dict.fromkeys(
        SCORES, True
    )
    assert {m: grid.monetary[m].count > 0 for m in SCORES} == dict.fromkeys(SCORES, True)
    assert {label: grid.labels[label].count > 0 for label in LABELS} == dict.fromkeys(LABELS, True)
    assert sum(grid.labels[label].count for label in LABELS) == buyers  # no one unlabelled
    assert rfm_people(template, label="lost").count() == grid.labels["lost"].count


def test_e8_lost_and_r1_are_the_buyers_with_nothing_in_the_period(years_of_shop):
    """E-8: recency comes from the kept last purchase, also for buyers the RFM period no
    longer counts; with the default limits (365 days, the period) R1 and "lost" are exactly
    them, and the figures kept event by event still equal a rebuild."""
    # given
    template = template_for("")
    outside = Figures.objects.filter(purchase_count__gt=0, period_count=0)
    kept = kept_figures()
    # when
    r1 = set(rfm_people(template, r=1).values_list("pk", flat=True))
    lost = set(rfm_people(template, label="lost").values_list("pk", flat=True))
    figures_rebuild()
    # then
    assert r1 == lost == set(outside.values_list("pk", flat=True)) != set()
    assert kept_figures() == kept


@pytest.mark.parametrize(("days_ago", "r", "label"), [(364, 2, "sleeping"), (365, 1, "lost")])
def test_e8_a_purchase_counts_as_recent_as_long_as_the_period_counts_it(days_ago, r, label):
    """E-8: "within 365 days" is today and the 364 days before, as the RFM period is: the
    last day of the period is R2 and sleeping, the day before it R1 and lost."""
    # given
    customer = CustomerFactory(kind="online")
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    at = noon - dt.timedelta(days=days_ago)
    # when
    events_record(rows=[EventInput(kind="order_paid", at=at, customer_id=customer.pk,
                                   amount=Decimal("100"))])  # fmt: skip
    # then
    template = template_for("")
    figures = Figures.objects.get(customer=customer)
    assert figures.period_count == (1 if r == 2 else 0)
    assert list(rfm_people(template, r=r, label=label)) == [figures]
