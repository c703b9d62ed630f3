"""The shop's customer list (E-3) and what staff set by hand (E-3, E-5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.crm.models import Care
from gendan.crm.selectors import crm_customers, sources_report
from gendan.crm.services.customers import customer_care_set
from gendan.crm.services.events import EventInput, events_record
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def shop(platform_id, *events, source="tmall"):
    rows = [
        EventInput(kind=kind, at=NOW - dt.timedelta(days=days), platform="tmall",
                   platform_id=platform_id, nickname=platform_id, amount=amount, source=source)
        for kind, days, amount in events
    ]  # fmt: skip
    events_record(rows=rows)
    return rows


@pytest.fixture
def customers():
    shop("big", ("order_paid", 3, Decimal("900")), ("order_paid", 30, Decimal("600")))
    shop("small", ("order_paid", 100, Decimal("50")), source="jd")
    shop("looker", ("favourite_item", 5, None), source="weibo")


def names(rows):
    return [row.customer.nickname for row in rows]


def test_e3_buyers_non_buyers_search_filters_and_sort(customers):
    """E-3: buyers and non-buyers, searchable and sortable, filtered on the figures."""
    assert names(crm_customers(segment="buyers", order="amount")) == ["big", "small"]
    assert names(crm_customers(segment="non_buyers")) == ["looker"]
    assert names(crm_customers(search="small")) == ["small"]
    assert names(crm_customers(min_purchases=2)) == ["big"]
    assert names(crm_customers(min_amount=Decimal("100"), order="last_purchase")) == ["big"]
    since = (NOW - dt.timedelta(days=10)).date()
    assert names(crm_customers(bought_since=since)) == ["big"]


def test_e3_a_corrected_source_is_followed_by_the_reports(customers):
    """E-3: a wrong source corrected by hand (e.g. to a Weibo campaign); reports follow."""
    from gendan.parties.models import Customer

    small = Customer.objects.get(platform_id="small")
    customer_care_set(actor=staff(Role.GENERAL_MANAGER), customer=small, fields={"source": "weibo"})

    report = {row["effective_source"]: row["customers"] for row in sources_report()}
    assert report == {"tmall": 1, "weibo": 2}
    assert names(crm_customers(source="weibo", order="amount")) == ["small", "looker"]
    assert AuditEvent.objects.filter(action="customer.care", target_id=str(small.pk)).exists()


def test_e5_notes_and_discount_exclusion_per_customer(client, roles, customers):
    """E-5: a note, and exclusion from discounts, per customer, in the page."""
    from gendan.parties.models import Customer

    big = Customer.objects.get(platform_id="big")
    client.force_login(staff(Role.GENERAL_MANAGER))

    client.post(
        reverse("crm-care", args=[big.pk]),
        {"source": "", "note": "老客户，送样品", "no_discount": "on"},
    )
    listing = client.get("/en" + reverse("crm-customers"), {"segment": "buyers"}).content.decode()

    care = Care.objects.get(customer=big)
    assert care.no_discount and care.note == "老客户，送样品"
    assert "no discounts" in listing
