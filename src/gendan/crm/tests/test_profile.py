"""Customer profiles (E-7): ages, genders and regions of a population in a period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.crm.profiles import profile
from gendan.crm.services.events import EventInput, events_record
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def person(who, kind, days_ago, **about):
    at = timezone.now() - dt.timedelta(days=days_ago)
    amount = Decimal("100") if kind == "order_paid" else None
    events_record(rows=[EventInput(kind=kind, at=at, platform="tmall", platform_id=who,
                                   amount=amount, **about)])  # fmt: skip


@pytest.fixture
def shop():
    person(
        "a", "favourite_item", 2, gender="f", birth_year=YEAR - 26, province="广东省", city="广州市"
    )
    person("a", "order_paid", 1)
    person(
        "b", "add_to_cart", 3, gender="m", birth_year=YEAR - 33, province="广东省", city="深圳市"
    )
    person("c", "qr_scan", 4, gender="f", birth_year=YEAR - 61, province="浙江省", city="杭州市")
    person("d", "favourite_shop", 5, province="浙江省", city="杭州市")  # age and gender unknown
    person("e", "order_paid", 60, gender="m", birth_year=YEAR - 20, province="广东省")  # too old


def test_e7_age_gender_and_region_of_a_population_in_a_period(shop):
    """E-7: for a period and a population: age distribution (by gender) and regions."""
    today = timezone.localdate()
    everyone = profile("all", today - dt.timedelta(days=29), today)
    qr = profile("qr", today - dt.timedelta(days=29), today)
    cantonese = profile("all", today - dt.timedelta(days=29), today, province="广东省")

    ages = {band: (women, men, unknown) for band, women, men, unknown in everyone.ages}
    assert everyone.total == 4 and everyone.age_unknown == 1
    assert ages["25-29"] == (1, 0, 0) and ages["30-34"] == (0, 1, 0) and ages["60+"] == (1, 0, 0)
    assert ages["18-24"] == (0, 0, 0)  # e bought 60 days ago: outside the period
    assert everyone.regions == [("广东省", 2), ("浙江省", 2)]
    assert qr.total == 1 and qr.regions == [("浙江省", 1)]
    assert cantonese.regions == [("广州市", 1), ("深圳市", 1)]


def test_e7_interested_against_buying_by_region_gives_the_conversion(shop):
    """E-7: interested and buying people per region, and the rate between them."""
    today = timezone.localdate()

    rows = {row.region: row for row in profile("all", today - dt.timedelta(29), today).conversion}

    assert (rows["广东省"].interested, rows["广东省"].buying, rows["广东省"].rate) == (2, 1, 50.0)
    assert (rows["浙江省"].interested, rows["浙江省"].buying, rows["浙江省"].rate) == (1, 0, 0.0)


def test_the_profile_page_draws_its_charts(shop, client, roles):
    client.force_login(staff(Role.GENERAL_MANAGER))

    page = client.get(reverse("crm-profile"), {"population": "interested"}).content.decode()
    drilled = client.get(reverse("crm-profile"), {"province": "广东省"}).content.decode()

    assert "profile-ages" in page and "echarts.min.js" in page and "浙江省" in page
    assert "广州市" in drilled and "杭州市" not in drilled


def test_a_bad_year_of_birth_is_refused_by_line():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        person("z", "qr_scan", 1, birth_year=YEAR + 5)

    assert "rows.0" in refused.value.message_dict
