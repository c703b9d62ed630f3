"""Receivables, dealer accounts and a dealer's profit: for finance, the managers, the sales
roles and the dealer itself; the road and the warehouse see what to hand over and collect."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.orders.tests.helpers import order_registered, staff
from gendan.parties.tests.factories import DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db
ROAD_AND_WAREHOUSE = [
    Role.WAREHOUSE, Role.DRIVER, Role.LOGISTICS, Role.SERVICE, Role.SERVICE_MANAGER,
    Role.INSTALLER,
]  # fmt: skip
MONEY = [
    Role.FINANCE, Role.CLERK, Role.SALES_REP, Role.SALES_SUPERVISOR, Role.SALES_VP,
    Role.GENERAL_MANAGER, Role.ACCOUNT_MANAGER,
]  # fmt: skip


def dealer_order():
    """A dealer's order for its homeowner: settlement 100.00 a m², the homeowner pays 130.00."""
    dealer = DealerFactory(name="城东经销商")
    order = order_registered(
        dealer, end_customer=HomeownerFactory(via=dealer), quantity="10", end_price=Decimal("130")
    )
    return dealer, order


@pytest.mark.parametrize("role", ROAD_AND_WAREHOUSE)
def test_road_and_warehouse_staff_do_not_see_receivables_or_dealer_accounts(client, roles, role):
    # given a dealer's order that is still unpaid
    dealer, _order = dealer_order()
    client.force_login(staff(role))
    # when someone of the road or the warehouse asks for what is owed
    answers = [
        client.get("/orders/receivables/"),
        client.get("/orders/receivables/", {"by": "dealer", "format": "xlsx"}),
        client.get("/api/orders/receivables/dealer"),
        client.get(f"/orders/dealers/{dealer.pk}/"),
    ]
    # then every one is refused
    assert [answer.status_code for answer in answers] == [403, 403, 403, 403]


@pytest.mark.parametrize("role", ROAD_AND_WAREHOUSE)
def test_the_order_page_shows_the_road_what_to_collect_not_the_dealers_profit(client, roles, role):
    """O-11: the profit note (the homeowner's prices) travels; the cost note stays inside."""
    # given a dealer's order: 1,000.00 to the dealer, 1,300.00 from the homeowner
    _dealer, order = dealer_order()
    client.force_login(staff(role))
    # when they open the order
    page = client.get(f"/orders/{order.pk}/").content.decode()
    # then they see the homeowner's price and what to collect, not the settlement or profit
    assert "130.00" in page and "1,000.00" in page
    assert "100.00" not in page.replace("1,000.00", "")
    assert "300.00" not in page.replace("1,300.00", "")


@pytest.mark.parametrize("role", MONEY)
def test_finance_managers_and_sales_see_receivables_dealer_accounts_and_profit(client, roles, role):
    # given a dealer's unpaid order
    dealer, order = dealer_order()
    client.force_login(staff(role))
    # when they ask
    listed = client.get("/api/orders/receivables/dealer")
    account = client.get(f"/orders/dealers/{dealer.pk}/")
    page = client.get(f"/orders/{order.pk}/").content.decode()
    # then they see what the dealer owes and the dealer's profit on the order
    assert listed.status_code == 200 and listed.json()[0]["owed"] == "1000.00"
    assert account.status_code == 200
    assert "300.00" in page.replace("1,300.00", "")


def test_a_dealer_sees_its_own_account_and_receivables_only(client, roles):
    # given two dealers with an unpaid order each
    mine, _order = dealer_order()
    other, _other_order = dealer_order()
    client.force_login(UserFactory(roles=[Role.DEALER], partner=mine))
    # when the first dealer asks
    listed = client.get("/api/orders/receivables/dealer").json()
    own, others = (
        client.get(f"/orders/dealers/{mine.pk}/"),
        client.get(f"/orders/dealers/{other.pk}/"),
    )
    # then it sees its own account and what it owes, never the other dealer's
    assert [row["id"] for row in listed] == [mine.pk]
    assert (own.status_code, others.status_code) == (200, 404)


@pytest.mark.parametrize("role", ROAD_AND_WAREHOUSE)
def test_the_api_gives_the_road_what_to_collect_not_the_dealers_settlement(client, roles, role):
    """O-11: through the API as on the page, the cost note's prices stay inside."""
    # given a dealer's unpaid order of 1,000.00 at the dealer's settlement price
    _dealer, order = dealer_order()
    client.force_login(staff(role))
    # when they read it through the API
    answer = client.get(f"/api/orders/{order.pk}").json()
    # then they see what is outstanding, not the settlement's prices or total
    assert answer["outstanding"] == "1000.00"
    assert (answer["total"], answer["paid"]) == (None, None)
    assert {(line["unit_price"], line["amount"]) for line in answer["lines"]} == {(None, None)}


def test_finance_reads_the_dealers_settlement_through_the_api(client, roles):
    # given a dealer's order
    _dealer, order = dealer_order()
    client.force_login(staff(Role.FINANCE))
    # when finance reads it, then the settlement prices are there
    answer = client.get(f"/api/orders/{order.pk}").json()
    assert (answer["total"], answer["lines"][0]["unit_price"]) == ("1000.00", "100.00")


def exported_total(client, url: str, params: dict, number: str, column: str) -> object:
    response = client.get(url, {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    row = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if number in row)
    return row[header.index(column)]


@pytest.mark.parametrize(("role", "expected"), [(Role.WAREHOUSE, None), (Role.FINANCE, 1000)])
def test_the_order_log_and_delivery_schedule_exports_keep_the_settlement_inside(
    client, roles, role, expected
):
    """O-11: the spreadsheets out carry a dealer order's total only for those who see it."""
    # given a dealer's order of 1,000.00 at the dealer's settlement price
    _dealer, order = dealer_order()
    client.force_login(staff(role))
    # when they export the day's log and the delivery schedule
    day = {"day": order.log_day.isoformat()}
    logged = exported_total(client, "/orders/", day, order.number, "合计（元）")
    scheduled = exported_total(client, "/orders/deliveries/", {}, order.number, "合计（元）")
    # then the warehouse's copy leaves the total empty; finance's has it
    assert (logged, scheduled) == (expected, expected)
