"""The call the day before (O-43, O-42): the call list of a day with each drop's window and
amount due, the message read out or sent, marked told with who and when, and the promised
calls of window bookings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.logistics.audit_events import CUSTOMER_TOLD, CUSTOMER_TOLD_AGAIN
from gendan.logistics.models import Drop
from gendan.logistics.selectors_calls import (
    call_plan,
    call_progress,
    call_promised_elsewhere,
    call_rows,
    call_window,
)
from gendan.logistics.services.calls import NOT_ON_A_TRUCK, TOLD_TO_MISSING, drop_told
from gendan.logistics.tests.calls_helpers import at, day_of_drops, tomorrow
from gendan.logistics.tests.factories import BookingFactory
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def drops(roles) -> dict[str, Drop]:
    return day_of_drops()


def test_the_call_list_has_every_drop_on_a_truck_in_route_order_with_window_and_amount(
    drops,
):
    """O-43: every drop of the day, in the order the truck drives, with its window and amount
    due: the on-delivery order its outstanding 700, the supermarket's shopper and the dealer's
    homeowner paid ahead nothing."""
    # when the call list of tomorrow is read
    rows = call_rows(call_plan(tomorrow()))
    # then the three drops on the truck come in route order, the unplanned one is not among them
    assert [row.drop for row in rows] == [
        drops["on_delivery"],
        drops["market"],
        drops["dealer"],
    ]
    first, market, dealer = rows
    # and each has its window: 10:10 is told 09:30 to 11:15
    assert [f"{t:%H:%M}" for t in first.window] == ["09:30", "11:15"]
    assert [f"{t:%H:%M}" for t in market.window] == ["10:30", "12:00"]
    # and the amount due: the outstanding part of the on-delivery order, nothing for the others
    assert first.amount == Decimal("700.00")
    assert market.amount == Decimal("0") and dealer.amount == Decimal("0")
    # and whom to call: the order's contact, on its phone; the dealer's homeowner by name
    assert (first.name, first.phone) == ("王女士", drops["on_delivery"].order.contact_phone)
    assert dealer.name == drops["dealer"].order.end_customer.name


def test_the_window_is_widened_to_the_quarter_hour(settings):
    """O-43: the approximate arrival, from half an hour before to an hour after by default,
    widened to whole quarter hours; the setting changes it."""
    day = tomorrow()
    assert [f"{t:%H:%M}" for t in call_window(at(day, 9, 0))] == ["08:30", "10:00"]
    assert [f"{t:%H:%M}" for t in call_window(at(day, 9, 1))] == ["08:30", "10:15"]
    settings.GENDAN_CALL_WINDOW_MINUTES = (0, 120)
    assert [f"{t:%H:%M}" for t in call_window(at(day, 14, 20))] == ["14:15", "16:30"]


def test_the_message_tells_the_day_the_window_and_the_amount_in_chinese(drops):
    """O-43: the message names the company, the day, the window and the amount to pay, and
    asks that someone be there to sign and pay; with nothing due it says so."""
    first, market, _dealer = call_rows(call_plan(tomorrow()))
    day = tomorrow()
    assert first.message.startswith("王女士您好，这里是广州竹韵地板有限公司。")
    assert f"{day.month}月{day.day}日" in first.message
    assert "预计09:30至11:15之间到达" in first.message
    assert "请安排人员在场签收并支付货款 700.00 元。" in first.message
    assert f"司机电话：{first.driver_phone}。" in first.message and first.driver_phone
    assert "送货时无需付款" in market.message and "元" not in market.message


def test_marking_told_records_who_when_and_whom(drops):
    """O-43: told, with who told whom and when; a second call keeps the first and is signed
    into the audit log as a second call."""
    drop = drops["on_delivery"]
    keeper, clerk = staff(Role.WAREHOUSE), staff(Role.LOGISTICS)
    # when the warehouse tells the customer
    before = timezone.now()
    _told, again = drop_told(actor=keeper, drop=drop, told_to=" 王女士 ")
    # then the drop says who, when and to whom
    drop.refresh_from_db()
    assert not again
    assert (drop.told_by, drop.told_to) == (keeper, "王女士") and drop.told_at >= before
    assert call_progress(drop.plan) == (1, 3)
    # when logistics calls again
    first_at = drop.told_at
    _drop, again = drop_told(actor=clerk, drop=drop, told_to="王先生")
    # then the first call stays on the drop and the second is in the audit log
    drop.refresh_from_db()
    assert again and (drop.told_at, drop.told_by, drop.told_to) == (first_at, keeper, "王女士")
    events = AuditEvent.objects.filter(action__startswith="delivery.told").order_by("pk")
    assert [(e.action, e.actor, e.changes["told_to"]) for e in events] == [
        (CUSTOMER_TOLD.code, keeper, "王女士"),
        (CUSTOMER_TOLD_AGAIN.code, clerk, "王先生"),
    ]


def test_told_is_refused_without_whom_and_for_a_drop_not_on_a_truck(drops):
    """O-43: whom was told is part of the record; a drop on no truck has no window to tell."""
    keeper = staff(Role.WAREHOUSE)
    with pytest.raises(ValidationError) as refused:
        drop_told(actor=keeper, drop=drops["market"], told_to="  ")
    assert refused.value.message_dict == {"told_to": [str(TOLD_TO_MISSING)]}
    with pytest.raises(ValidationError) as refused:
        drop_told(actor=keeper, drop=drops["unplanned"], told_to="李先生")
    assert refused.value.messages == [str(NOT_ON_A_TRUCK)]
    assert not Drop.objects.filter(told_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action__startswith="delivery.told").exists()


def test_bookings_promised_a_call_for_the_day_but_not_on_its_plan_are_listed(drops):
    """O-42: a window booking promised a call the day before, covering tomorrow but not on
    tomorrow's plan, is listed; one on the plan is its drop (marked promised), one whose window
    ends before tomorrow is not listed."""
    day = tomorrow()
    window = BookingFactory(
        order=scenario("retail"), first_day=day - dt.timedelta(days=1),
        last_day=day + dt.timedelta(days=2), call_promised=True,
    )  # fmt: skip
    BookingFactory(
        order=scenario("retail"), first_day=day - dt.timedelta(days=4),
        last_day=day - dt.timedelta(days=1), call_promised=True,
    )  # fmt: skip
    on_plan = drops["dealer"].booking
    on_plan.call_promised = True
    on_plan.save()
    plan = call_plan(day)
    assert list(call_promised_elsewhere(day, plan)) == [window]
    assert [row.promised for row in call_rows(plan)] == [False, False, True]
