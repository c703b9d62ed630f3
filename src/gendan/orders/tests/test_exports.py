"""Lists out as .xlsx, with the filters of the page they come from."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.tests.helpers import DAY, order_registered, scenario, staff
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_daily_order_log_exports_the_day_and_search_of_the_page(client, roles):
    dealer = DealerFactory(name="顺德竹韵经销部")
    kept = order_registered(dealer)
    other = order_registered(DealerFactory(name="南海经销部"))
    other_day = order_registered(dealer, on=DAY + dt.timedelta(days=1))
    client.force_login(staff(Role.CLERK))
    day = sheet_rows(client.get(reverse("order-log"), {"day": DAY.isoformat(), "format": "xlsx"}))
    assert day[0][:4] == ["订单编号", "登记日期", "渠道", "客户"]
    assert [row[0] for row in day[1:]] == [kept.number, other.number]
    assert day[1][3] == "顺德竹韵经销部" and day[1][7] == 1000
    # a search, as in the page, looks at every day
    found = sheet_rows(client.get(reverse("order-log"), {"q": "顺德", "format": "xlsx"}))
    assert [row[0] for row in found[1:]] == [kept.number, other_day.number]


def test_receivables_export_per_customer_and_per_dealer(client, roles):
    order = scenario("dealer")
    client.force_login(staff(Role.FINANCE))
    per_customer = sheet_rows(client.get(reverse("receivables"), {"format": "xlsx"}))
    assert per_customer[0][0] == "客户"
    assert per_customer[1][:5] == [order.customer.name, 1, 1000, 0, 1000]
    per_dealer = sheet_rows(client.get(reverse("receivables"), {"by": "dealer", "format": "xlsx"}))
    assert per_dealer[0][0] == "经销商" and per_dealer[1][0] == order.partner.name


def test_the_delivery_schedule_lists_what_is_still_to_deliver_by_day(client, roles):
    early = scenario("dealer", expected_delivery_on=DAY + dt.timedelta(days=3))
    late = scenario("dealer", expected_delivery_on=DAY + dt.timedelta(days=9), city="深圳市")
    delivered = walked_to(scenario("dealer", expected_delivery_on=DAY), "note_returned")
    booked = walked_to(scenario("dealer", expected_delivery_on=DAY + dt.timedelta(days=20)),
                       "receive_payment")  # fmt: skip
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("delivery-schedule")).content.decode()
    assert early.number in page and late.number in page and delivered.number not in page
    rows = sheet_rows(client.get(reverse("delivery-schedule"), {"format": "xlsx"}))
    # the booked day (O-41) counts before the expected one
    booked_on = booked.signed["delivery_note"]["delivery_booked_for"]
    expected = sorted(
        [(str(early.expected_delivery_on), early.number), (str(late.expected_delivery_on),
         late.number), (booked_on, booked.number)]
    )  # fmt: skip
    assert [(row[0], row[1]) for row in rows[1:]] == expected
    filtered = sheet_rows(
        client.get(
            reverse("delivery-schedule"),
            {"start": (DAY + dt.timedelta(days=5)).isoformat(), "city": "深圳", "format": "xlsx"},
        )
    )
    assert [row[1] for row in filtered[1:]] == [late.number]


def test_text_that_looks_like_a_formula_is_exported_as_text(client, roles):
    dealer = DealerFactory(name='=HYPERLINK("http://evil.example","点我")')
    order_registered(dealer)
    client.force_login(staff(Role.CLERK))
    response = client.get(reverse("order-log"), {"day": DAY.isoformat(), "format": "xlsx"})
    cell = load_workbook(io.BytesIO(response.content)).active["D2"]
    assert (cell.data_type, cell.value) == ("s", dealer.name)
