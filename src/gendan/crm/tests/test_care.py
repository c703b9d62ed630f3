"""Items added to cart (E-12) and care for loyal customers (E-13)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.crm.models import CareContact
from gendan.crm.selectors import items_report, loyal_customers
from gendan.crm.services.customers import care_contact_record
from gendan.crm.services.events import EventInput, events_record
from gendan.orders.tests.helpers import staff
from gendan.parties.models import Customer

pytestmark = pytest.mark.django_db


def carted(item: str, days_ago: int, times: int = 1) -> None:
    at = timezone.now() - dt.timedelta(days=days_ago)
    events_record(rows=[
        EventInput(kind="add_to_cart", at=at, platform="tmall", platform_id=f"p{n}", item=item)
        for n in range(times)
    ])  # fmt: skip


def test_e12_items_show_add_to_cart_counts_new_and_cumulative():
    """E-12: per item, added to cart yesterday, in 7 and 30 days, and ever."""
    carted("BAMBOO-1", 1, times=3)
    carted("BAMBOO-1", 5)
    carted("BAMBOO-1", 40, times=2)
    carted("FOAM-2", 0)  # today: not yet "new yesterday"
    events_record(rows=[EventInput(kind="favourite_item", at=timezone.now(), platform="tmall",
                                   platform_id="p0", item="FOAM-2")])  # fmt: skip

    report = {row.item: row for row in items_report()}

    bamboo, foam = report["BAMBOO-1"], report["FOAM-2"]
    assert (bamboo.yesterday, bamboo.week, bamboo.month, bamboo.total) == (3, 4, 4, 6)
    assert (foam.yesterday, foam.total) == (0, 1)
    assert [row.item for row in items_report()] == ["BAMBOO-1", "FOAM-2"]


def test_e12_the_items_page_lists_and_charts_them(client, roles):
    carted("BAMBOO-1", 1, times=2)
    client.force_login(staff(Role.GENERAL_MANAGER))

    page = client.get(reverse("crm-items"), {"q": "bamboo"}).content.decode()

    assert "BAMBOO-1" in page and "items-chart" in page and "echarts.min.js" in page


def bought(who: str, count: int) -> Customer:
    now = timezone.now()
    events_record(rows=[
        EventInput(kind="order_paid", at=now - dt.timedelta(days=n), platform="tmall",
                   platform_id=who, amount=Decimal("100"))
        for n in range(count)
    ])  # fmt: skip
    return Customer.objects.get(platform_id=who)


def test_e13_loyal_means_more_than_ten_purchases_until_the_rule_is_changed(client, roles):
    """E-13: loyal customers (by default more than 10 purchases) are listed; the rule is set."""
    faithful, regular = bought("faithful", 11), bought("regular", 10)
    client.force_login(staff(Role.GENERAL_MANAGER))

    before = set(loyal_customers().values_list("customer_id", flat=True))
    rule = {"all": [{"field": "purchase_count", "op": ">=", "value": 10}]}
    client.post(reverse("crm-loyal"), {"rule": json.dumps(rule)})
    after = set(loyal_customers().values_list("customer_id", flat=True))
    page = client.get(reverse("crm-loyal")).content.decode()

    assert before == {faithful.pk} and after == {faithful.pk, regular.pk}
    assert "crm-rules.js" in page and AuditEvent.objects.filter(action="care.rule").exists()


def test_e13_care_contacts_are_recorded_signed_and_shown(client, roles):
    """E-13: the system lists loyal customers and records the contact (call, message,
    surprise packaging, samples), signed by who made it."""
    faithful = bought("faithful", 12)
    clerk = staff(Role.GENERAL_MANAGER)
    client.force_login(clerk)

    client.post(reverse("crm-care-contact", args=[faithful.pk]),
                {"kind": "sample", "note": "新品小样", "next": reverse("crm-loyal")})  # fmt: skip
    row = loyal_customers().get(customer=faithful)
    page = client.get(reverse("crm-care", args=[faithful.pk])).content.decode()

    contact = CareContact.objects.get(customer=faithful)
    assert (contact.kind, contact.note, contact.by) == ("sample", "新品小样", clerk)
    assert row.last_contact_kind == "sample" and "新品小样" in page
    assert AuditEvent.objects.filter(action="care.contact").exists()


def test_an_unknown_kind_of_contact_is_refused_and_nothing_recorded(roles):
    customer = bought("faithful", 1)

    with pytest.raises(ValidationError):
        care_contact_record(actor=staff(Role.GENERAL_MANAGER), customer=customer, kind="visit")

    assert not CareContact.objects.exists()


def test_only_shop_staff_record_care(client, roles):
    customer = bought("faithful", 1)
    client.force_login(staff(Role.WAREHOUSE))

    refused = client.post(reverse("crm-care-contact", args=[customer.pk]), {"kind": "call"})

    assert refused.status_code == 403 and not CareContact.objects.exists()
