"""The failed deliveries' pages and API (O-44): the list with what is still to do, one failure
with its four follow-ups, the freight charged only after a confirmation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.logistics.models import Fault
from gendan.logistics.services.failures import SHARE_BELOW_HALF, failure_customer_told
from gendan.logistics.tests.factories import DropFactory, FailedDeliveryFactory
from gendan.logistics.tests.test_failures import failed_drop
from gendan.orders.routes import DELIVER, SHIP
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db


def client_of(role: Role) -> Client:
    client = Client()
    client.force_login(staff(role))
    return client


def reported(hours_ago: int, fault: str = Fault.CUSTOMER):
    """A failure reported some hours ago, of an order at its deliver step (no stock)."""
    order = walked_to(scenario("supermarket", terms="contract"), DELIVER.code)
    failure = FailedDeliveryFactory(drop=DropFactory(order=order), fault=fault)
    failure.reported_at = timezone.now() - dt.timedelta(hours=hours_ago)
    failure.save(update_fields=["reported_at"])
    return failure


def test_o44_the_list_shows_what_is_still_to_do_and_flags_a_customer_not_told(roles):
    """O-44: an untold failure of three hours ago is flagged; the one told is not; each says
    what is still to do; a filter by fault narrows the list."""
    late, told = reported(3), reported(1, fault=Fault.COMPANY)
    failure_customer_told(actor=staff(Role.CLERK), failure=told, told_to="王女士")
    clerk = client_of(Role.CLERK)
    page = clerk.get(reverse("logistics-failures")).content.decode()
    assert late.order.number in page and told.order.number in page
    assert page.count('<tr class="late">') == 1
    only_company = clerk.get(reverse("logistics-failures"), {"fault": "company"}).content.decode()
    assert told.order.number in only_company and late.order.number not in only_company


def test_o44_the_failure_page_books_the_goods_back_for_the_warehouse(roles):
    """O-44: the warehouse's button books the goods back; the order waits at the ship step."""
    failure, _batch = failed_drop()
    warehouse = client_of(Role.WAREHOUSE)
    url = reverse("logistics-failure", args=[failure.pk])
    assert "goods-back" in warehouse.get(url).content.decode()
    answer = warehouse.post(reverse("logistics-failure-goods-back", args=[failure.pk]))
    assert answer.status_code == 302
    failure.order.refresh_from_db()
    assert failure.order.step == SHIP.code


def test_o44_the_freight_is_charged_only_after_the_confirmation(roles):
    """O-44: the first post shows where the money goes and how much; the second charges it."""
    failure = reported(1, fault=Fault.COMPANY)
    finance = client_of(Role.FINANCE)
    url = reverse("logistics-failure-charge", args=[failure.pk])
    confirm = finance.post(url, {"freight": "180", "share": "100"})
    assert confirm.status_code == 200 and "180.00" in confirm.content.decode()
    failure.refresh_from_db()
    assert failure.charged_at is None
    finance.post(url, {"freight": "180", "share": "100", "confirmed": "yes"})
    failure.refresh_from_db()
    assert failure.charged_at is not None and failure.fault_share == Decimal("1.00")


def test_o44_the_api_refuses_a_share_under_half(roles):
    """O-44: 40% to the side at fault: 422 with the rule, nothing charged."""
    failure = reported(1, fault=Fault.COMPANY)
    finance = client_of(Role.FINANCE)
    answer = finance.post(
        f"/api/logistics/failures/{failure.pk}/charge", {"freight": "100", "share": "0.4"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 422
    assert [error["msg"] for error in answer.json()["detail"]] == [str(SHARE_BELOW_HALF)]
    listed = finance.get("/api/logistics/failures").json()["items"]
    assert [(row["id"], row["todo"]) for row in listed] == [
        (failure.pk, ["goods_back", "told", "rebooked", "charged"])
    ]
