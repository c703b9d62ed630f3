"""The audit log is searched as people ask: which action (by its label), by whom, on which
record, between which days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.orders.models import PaymentMethod
from gendan.orders.services.receipts import order_receipt_add, order_receipt_confirm
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(roles):
    """Two orders: money received on the first by 钱会计, receipt confirmed on the second."""
    first, second = scenario("dealer"), scenario("dealer")
    finance = staff(Role.FINANCE, username="qian", name="钱会计")
    order_receipt_add(actor=finance, order=first, amount=Decimal("100"),
                      method=PaymentMethod.CASH)  # fmt: skip
    order_receipt_confirm(actor=staff(Role.CLERK), order=second, confirmed_to="经销商")
    return first, second


def listed(client, **params: str) -> list[tuple[str, str]]:
    client.force_login(staff(Role.GENERAL_MANAGER))
    page = client.get(reverse("audit-list"), params)
    assert page.status_code == 200
    return [(event.action, event.target_repr) for event in page.context["page"]]


def test_an_action_chosen_by_its_label_finds_that_action_only(client, signed):
    # when the manager picks 收款 (order.receipt) — not order.receipt_confirmed
    rows = listed(client, action="order.receipt")
    # then only the money received is listed
    assert rows == [("order.receipt", str(signed[0]))]


def test_the_action_list_offers_every_action_by_its_label(client, signed):
    client.force_login(staff(Role.GENERAL_MANAGER))
    page = client.get(reverse("audit-list")).content.decode()
    assert '<option value="order.receipt">' in page
    assert "order.receipt</option>" not in page  # a label, not the code


def test_who_signed_and_which_record_narrow_the_log(client, signed):
    first, second = signed
    # when searched by part of the signer's name, and by the second order's number
    by_name = listed(client, by="钱会")
    on_record = listed(client, record=second.number)
    # then
    assert by_name and all(repr_ == str(first) for _action, repr_ in by_name)
    assert on_record and all(repr_ == str(second) for _action, repr_ in on_record)


def test_days_bound_the_log_and_a_day_that_is_not_one_bounds_nothing(client, signed):
    # given one entry moved back ten days (written directly: the log refuses updates)
    today = timezone.localdate()
    old = AuditEvent.objects.filter(action="order.receipt").get()
    AuditEvent.objects.create(
        actor=old.actor, action="order.receipt", target_type=old.target_type,
        target_id=old.target_id, target_repr="旧的", at=old.at - dt.timedelta(days=10),
    )  # fmt: skip
    # when
    recent = listed(client, action="order.receipt", start=str(today - dt.timedelta(days=1)))
    older = listed(client, action="order.receipt", end=str(today - dt.timedelta(days=5)))
    unbounded = listed(client, action="order.receipt", start="not a day")
    # then
    assert [repr_ for _a, repr_ in recent] == [str(signed[0])]
    assert [repr_ for _a, repr_ in older] == ["旧的"]
    assert len(unbounded) == 2
