"""Receivables: filters, ageing from the day each amount became owed, totals, the export."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import PaymentTerms
from gendan.orders.money import NOT_YET_DUE, ageing_bucket
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.tests.helpers import order_registered, paid_in_full, scenario, staff
from gendan.parties.tests.factories import CustomerFactory, DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db
BUCKETS = ["not_due", "d0_30", "d31_60", "d61_90", "d90_plus"]


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def owed_since(days: int, name: str = "", **fields):
    """A retail order of 1,000.00 whose payment was agreed for that many days ago."""
    customer = CustomerFactory(kind="retail", **({"name": name} if name else {}))
    return order_registered(customer, payment_due=days_ago(days), **fields)


def ageing(client, **params) -> dict[str, list[str]]:
    rows = client.get("/api/orders/receivables/customer", params).json()
    return {row["name"]: [row[bucket] for bucket in BUCKETS] for row in rows}


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(-1, NOT_YET_DUE), (0, "d0_30"), (30, "d0_30"), (31, "d31_60"), (60, "d31_60"),
     (61, "d61_90"), (90, "d61_90"), (91, "d90_plus"), (400, "d90_plus")],
)  # fmt: skip
def test_an_amount_falls_in_its_ageing_bucket_at_the_edges(client, roles, days, bucket):
    # given an order whose agreed payment date is that many days ago
    order = owed_since(days)
    client.force_login(staff(Role.FINANCE))
    # when finance reads the receivables
    listed = ageing(client)[order.customer.name]
    # then the 1,000.00 owed stands in that bucket alone, in the database as in Python
    assert listed == ["1000.00" if name == bucket else "0.00" for name in BUCKETS]
    assert ageing_bucket(days_ago(days), timezone.localdate()) == bucket


def test_an_amount_ages_from_delivery_without_an_agreed_payment_date(client, roles):
    # given an unpaid order delivered today though expected in a month, and one not yet
    # delivered, expected 45 days ago
    delivered = walked_to(
        scenario("dealer", install=True, terms=PaymentTerms.ON_DELIVERY,
                 expected_delivery_on=days_ago(-30)),
        "goods_paid",
    )  # fmt: skip
    late = scenario("retail", expected_delivery_on=days_ago(45))
    client.force_login(staff(Role.FINANCE))
    # when finance reads the receivables
    listed = ageing(client)
    # then the delivered one is owed since its delivery, the other since its expected day
    assert listed[delivered.customer.name] == ["0.00", "1000.00", "0.00", "0.00", "0.00"]
    assert listed[late.customer.name] == ["0.00", "0.00", "1000.00", "0.00", "0.00"]


def test_receivables_filter_by_customer_dealer_channel_and_days_owed(client, roles):
    # given a dealer's homeowner's order, another dealer's, and retail orders owed at two ages
    dealer = DealerFactory(name="顺德竹韵经销部")
    homeowner = HomeownerFactory(via=dealer, name="陈先生")
    by_dealer = order_registered(dealer, end_customer=homeowner, payment_due=days_ago(10))
    order_registered(DealerFactory(name="南海经销部"), payment_due=days_ago(10))
    recent, old = owed_since(5, "李记"), owed_since(100, "李氏")
    client.force_login(staff(Role.FINANCE))
    # when finance filters
    names = lambda **params: sorted(ageing(client, **params))  # noqa: E731
    # then each filter keeps its orders
    assert names(customer="陈先生") == [by_dealer.customer.name]
    assert names(dealer="顺德") == ["顺德竹韵经销部"]
    assert names(channel="retail") == ["李氏", "李记"]
    assert names(customer="李", start=days_ago(30).isoformat()) == [recent.customer.name]
    assert names(customer="李", end=days_ago(30).isoformat()) == [old.customer.name]


def test_the_page_shows_totals_per_bucket_the_rule_and_rows_that_open_the_customer(
    client, roles, settings
):
    # given three customers owing at different ages, more than one page of them
    settings.GENDAN_PAGE_SIZE = 2
    first = owed_since(0, "甲")
    owed_since(40, "乙")
    owed_since(100, "丙")
    client.force_login(staff(Role.FINANCE))
    # when finance opens the receivables (the first page of two)
    page = client.get(reverse("receivables")).content.decode()
    # then the totals cover every filtered order, by bucket and overall
    total = page[page.index('id="receivables-total"') :].split("</tr>")[0]
    amounts = re.findall(r"<strong>([\d.,]+)</strong>", total)
    assert amounts == ["3,000.00", "0.00", "1,000.00", "1,000.00", "0.00", "1,000.00"]
    # and the page says which orders count as owed and from when they age
    assert "即计为欠款" in page and "账龄自欠款之日起算：约定付款日期" in page
    # and each row opens its customer
    assert reverse("customer-detail", args=[first.customer_id]) in page


def test_the_export_follows_the_filters_with_ageing_and_totals(client, roles):
    # given retail orders owed 5 and 100 days, and a dealer's order
    recent, old = owed_since(5, "李记"), owed_since(100, "李氏")
    order_registered(DealerFactory(), payment_due=days_ago(5))
    client.force_login(staff(Role.FINANCE))
    # when finance exports the retail channel
    response = client.get(reverse("receivables"), {"channel": "retail", "format": "xlsx"})
    rows = [list(row) for row in load_workbook(io.BytesIO(response.content)).active.values]
    # then the sheet holds the filtered rows with their ageing, and a row of totals
    assert rows[0][-5:] == ["未到期", "0至30天", "31至60天", "61至90天", "90天以上"]
    assert [(row[0], row[-5:]) for row in rows[1:-1]] == [
        (recent.customer.name, [0, 1000, 0, 0, 0]),
        (old.customer.name, [0, 0, 0, 0, 1000]),
    ]
    assert rows[-1][0] == "合计" and rows[-1][4] == 2000 and rows[-1][-5:] == [0, 1000, 0, 0, 1000]


def test_an_order_paid_in_full_is_not_owed(client, roles):
    # given an order paid in full and one paid in part
    paid_in_full(owed_since(10, "甲"))
    part = owed_since(10, "乙")
    order_receipt_add(actor=staff(Role.FINANCE), order=part, amount=Decimal("400"), method="cash")
    client.force_login(staff(Role.FINANCE))
    # when finance reads the receivables, then only what is left of the second is owed
    assert ageing(client) == {"乙": ["0.00", "600.00", "0.00", "0.00", "0.00"]}
