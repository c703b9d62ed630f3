"""The audit log and a record's history read as words (issue 12): actions by their label,
fields by their names, values as people write them, checksums behind a toggle."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.accounts.roles import Role
from gendan.audit.reading import change_row
from gendan.crm.models import Tag
from gendan.documents.audit_events import document_issued_event
from gendan.orders.models import PaymentMethod
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db
DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@pytest.fixture
def order(roles):
    """A dealer's order of 15,000.00, 13,060.00 of it paid by transfer, its note issued."""
    order = scenario("dealer", quantity="150")
    order_receipt_add(actor=staff(Role.FINANCE), order=order, amount=Decimal("13060"),
                      method=PaymentMethod.BANK_TRANSFER)  # fmt: skip
    paper = SimpleNamespace(number="SH-1", version=1, content_hash=DIGEST)
    document_issued_event(actor=staff(Role.FINANCE), order=order, document=paper)
    return order


def test_the_audit_page_names_actions_and_values_in_chinese(client, order):
    # given the general manager
    client.force_login(staff(Role.GENERAL_MANAGER))

    # when the audit log is opened
    page = client.get(reverse("audit-list")).content.decode()

    # then actions, fields and values read as words, the checksum only when opened
    assert "登记订单" in page and "收款" in page and "出具单据" in page
    assert "15,000.00" in page and "13,060.00" in page and "银行转账" in page
    table = page[page.index("<tbody>") :]  # the filter's options carry the codes as values
    assert "order.register" not in table and "bank_transfer" not in table
    assert "install_fee" not in table and "{&#x27;" not in table
    assert f'<details class="secret"><summary>查看</summary><code>{DIGEST}</code>' in page


def test_the_english_audit_page_speaks_english(client, order):
    client.force_login(staff(Role.GENERAL_MANAGER))

    page = client.get("/en" + reverse("audit-list")).content.decode()

    assert "Order registered" in page and "Money received" in page and "Bank transfer" in page
    assert "Installation fee" in page and "No" in page


def test_the_order_history_reads_as_words(client, order):
    # given the clerk who registered the order
    client.force_login(staff(Role.GENERAL_MANAGER))

    # when the order's page is opened
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()

    # then its history names the actions and the fields, with money as people write it
    history = page[page.index('class="audit"') :]
    assert "登记订单" in history and "收款" in history
    assert "15,000.00" in history and "13,060.00" in history
    assert "order.receipt" not in history and "<code>total</code>" not in history


def test_a_rule_in_the_log_reads_as_words_and_an_odd_one_as_stored(roles):
    rule = {"all": [{"field": "bought_within_days", "value": 90}]}
    with translation.override("zh-hans"):
        row = change_row(Tag, "rule", [None, rule])
        odd = change_row(Tag, "rule", ["a", "b"])

    assert (row.before, row.after) == ("—", "最近购买 ≤ 90 天")
    assert (odd.before, odd.after) == ("a", "b")
