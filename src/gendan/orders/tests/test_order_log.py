"""The day's order log, in order of arrival."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.orders.models import DailyCounter, Order
from gendan.orders.routes import CLOSED
from gendan.orders.selectors import order_log
from gendan.orders.tests.helpers import DAY, order_registered, scenario, staff
from gendan.parties.models import Customer
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db


def test_o2_the_log_sorts_the_thousandth_order_of_a_day_after_the_999th(client, roles):
    """O-2: the log follows the day's counter, not the text of the number (-1000 after -999)."""
    # given a busy day whose counter stands at 998
    DailyCounter.objects.create(day=DAY, last=998)
    numbers = [scenario("retail").number for _ in range(3)]
    clerk = staff(Role.CLERK)
    # when the clerk reads the day's log
    listed = [order.number for order in order_log(user=clerk, day=DAY)]
    client.force_login(clerk)
    page = client.get("/orders/", {"day": DAY.isoformat()}).content.decode()
    # then the orders stand in order of arrival, on the page too
    assert numbers == ["20261121-999", "20261121-1000", "20261121-1001"]
    assert listed == numbers
    assert page.index(numbers[0]) < page.index(numbers[1]) < page.index(numbers[2])


def closed(order):
    """An order at the end of its route (walking it there is the route tests' work)."""
    Order.objects.filter(pk=order.pk).update(step=CLOSED)
    return order


def listed_numbers(page: str, *orders) -> list[str]:
    return [order.number for order in orders if order.number in page]


def test_the_log_shows_every_open_order_by_default_whatever_its_day(client, roles):
    # given open orders of two days long past and one closed order
    first = scenario("retail")
    later = scenario("retail", on=DAY + dt.timedelta(days=5))
    done = closed(scenario("retail"))
    client.force_login(staff(Role.CLERK))
    # when the clerk opens the log with no filter
    page = client.get(reverse("order-log")).content.decode()
    # then both open orders are there, the closed one is not, and the page says what it shows
    assert listed_numbers(page, first, later, done) == [first.number, later.number]
    assert "未结订单：所有尚未结案的订单" in page


def test_the_log_lists_the_orders_registered_between_two_days(client, roles):
    # given orders of three days, the middle one closed
    before = scenario("retail", on=DAY - dt.timedelta(days=1))
    inside = closed(scenario("retail"))
    last = scenario("retail", on=DAY + dt.timedelta(days=1))
    after = scenario("retail", on=DAY + dt.timedelta(days=2))
    client.force_login(staff(Role.CLERK))
    # when the clerk asks for DAY to the day after, and then for the open ones of those days
    span = {"start": DAY.isoformat(), "end": (DAY + dt.timedelta(days=1)).isoformat()}
    every = client.get(reverse("order-log"), span).content.decode()
    still_open = client.get(reverse("order-log"), span | {"state": "open"}).content.decode()
    # then the range holds its orders, closed ones too unless only open ones are asked for
    assert listed_numbers(every, before, inside, last, after) == [inside.number, last.number]
    assert listed_numbers(still_open, before, inside, last, after) == [last.number]


def test_a_dealer_sees_all_its_open_orders_by_default(client, roles):
    # given a dealer's open orders of two days, a closed one, and another dealer's order
    dealer = DealerFactory()
    first = order_registered(dealer)
    later = order_registered(dealer, on=DAY + dt.timedelta(days=3))
    done = closed(order_registered(dealer))
    others = order_registered(DealerFactory())
    client.force_login(UserFactory(roles=[Role.DEALER], partner=dealer))
    # when the dealer opens the log
    page = client.get(reverse("order-log")).content.decode()
    # then it sees every one of its open orders and nothing else
    assert listed_numbers(page, first, later, done, others) == [first.number, later.number]


def test_the_log_shows_amount_expected_delivery_sales_rep_and_step(client, roles):
    # given a retail order of 1,000.00 for a customer a sales rep looks after
    rep = UserFactory(roles=[Role.SALES_REP], name="王业务")
    order = scenario("retail", expected_delivery_on=dt.date(2026, 12, 24))
    Customer.objects.filter(pk=order.customer_id).update(sales_rep=rep)
    client.force_login(staff(Role.CLERK))
    # when the clerk reads the log
    page = client.get(reverse("order-log")).content.decode()
    # then the row carries them all
    row = page[page.index(order.number) :].split("</tr>")[0]
    assert "1,000.00" in row and "2026-12-24" in row and "王业务" in row and "核实订单" in row


def test_the_log_leaves_a_dealers_settlement_out_for_the_warehouse(client, roles):
    """O-11: the amount of a dealer's order is its settlement, for those who see receivables."""
    # given a dealer's order of 1,000.00
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.WAREHOUSE))
    # when the warehouse reads the log, then the amount is left out
    page = client.get(reverse("order-log")).content.decode()
    row = page[page.index(order.number) :].split("</tr>")[0]
    assert "1,000.00" not in row and "—" in row


def test_the_export_follows_the_logs_filters(client, roles):
    # given open orders of two days and a closed one, one of them for a sales rep's customer
    rep = UserFactory(roles=[Role.SALES_REP], name="王业务")
    first = scenario("retail")
    later = scenario("retail", on=DAY + dt.timedelta(days=4))
    Customer.objects.filter(pk=later.customer_id).update(sales_rep=rep)
    closed(scenario("retail"))
    client.force_login(staff(Role.CLERK))
    # when the clerk exports the default log and a range of days
    default = sheet(client.get(reverse("order-log"), {"format": "xlsx"}))
    span = {"start": (DAY + dt.timedelta(days=1)).isoformat(), "format": "xlsx"}
    ranged = sheet(client.get(reverse("order-log"), span))
    # then each holds what the page shows, with expected delivery and sales rep
    assert [row[0] for row in default[1:]] == [first.number, later.number]
    assert default[0][-2:] == ["预计送货", "业务员"]
    assert [row[0] for row in ranged[1:]] == [later.number]
    assert ranged[1][-1] == "王业务" and ranged[1][-2].date() == later.expected_delivery_on


def sheet(response) -> list[list]:
    book = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.active.iter_rows(values_only=True)]
