"""O-50: finance recalls the goods of an unpaid pay-on-delivery dealer order."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import DealerCharge, DealerLedgerEntry, GoodsReturn, PaymentTerms
from gendan.orders.money import order_profit_left
from gendan.orders.returns import return_receive
from gendan.orders.routes import CANCELLED
from gendan.orders.services.dealer_ledger import dealer_balance
from gendan.orders.services.recall import (
    BAD_FREIGHT,
    NOT_SHIPPED,
    PAID,
    order_recall,
)
from gendan.orders.tests.helpers import paid_in_full, staff
from gendan.orders.tests.return_money_helpers import dealer_order
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db
ON_DELIVERY = PaymentTerms.ON_DELIVERY


def shipped_unpaid(dealer):
    return walked_to(dealer_order(dealer, terms=ON_DELIVERY), "deliver")


def test_o50_recalled_goods_come_back_and_the_freight_is_taken_from_other_profit():
    """O-50: finance may have the goods brought back; the freight is charged to the dealer,
    normally against the profit of the dealer's other orders."""
    # given a dealer with a paid order (its profit 300.00 on the statement) and an unpaid
    # pay-on-delivery order whose goods have shipped
    dealer = DealerFactory()
    other = walked_to(dealer_order(dealer), "acceptance")
    order = shipped_unpaid(dealer)
    assert dealer_balance(dealer.pk) == Decimal("300.00")
    # when finance recalls the goods, with 80.00 CNY of freight
    goods_return = order_recall(
        actor=staff(Role.FINANCE), order=order, freight="80.00", reason="货到未付款"
    )
    # then everything that shipped comes back as a recall, at the order's price
    line = goods_return.lines.get()
    assert (goods_return.kind, line.quantity, line.amount) == (
        "recall", Decimal("10.000"), Decimal("1000.00"),
    )  # fmt: skip
    # the freight is taken from the profit of the other order, on the statement
    charge = DealerCharge.objects.get(order=order)
    assert (charge.kind, charge.amount, charge.offset_against) == (
        DealerCharge.Kind.RECALL_FREIGHT, Decimal("80.00"), other,
    )  # fmt: skip
    assert order_profit_left(other) == Decimal("220.00")
    assert dealer_balance(dealer.pk) == Decimal("220.00")
    # the order leaves every queue: cancelled, with the recall as its reason
    order.refresh_from_db()
    assert order.step == CANCELLED and order.cancel_reason == "O-50 货到未付款"
    # and the warehouse books the goods in without approvals
    received = return_receive(
        actor=staff(Role.WAREHOUSE), goods_return=goods_return, inspection="完好"
    )
    assert received.received_at is not None


def test_o50_freight_stays_open_when_no_other_profit_covers_it():
    """O-50: with no other order's profit to take it from, the charge stays open."""
    dealer = DealerFactory()
    order = shipped_unpaid(dealer)
    order_recall(actor=staff(Role.FINANCE), order=order, freight="80.00", reason="未付款")
    charge = DealerCharge.objects.get(order=order)
    assert charge.amount == Decimal("80.00") and charge.offset_against is None
    assert not DealerLedgerEntry.objects.filter(kind=DealerLedgerEntry.Kind.CHARGE).exists()


def test_o50_refusals_change_nothing():
    """O-50: only after the goods shipped and before the order is paid, only by finance."""
    dealer = DealerFactory()
    not_shipped = walked_to(dealer_order(dealer, terms=ON_DELIVERY), "ship")
    paid = shipped_unpaid(dealer)
    paid_in_full(paid)
    unpaid = shipped_unpaid(dealer)
    cases = [
        (not_shipped, "80", [str(NOT_SHIPPED)]),
        (paid, "80", [str(PAID)]),
        (unpaid, "-1", [str(BAD_FREIGHT)]),
        (unpaid, "1.234", [str(BAD_FREIGHT)]),
    ]
    for order, freight, messages in cases:
        with pytest.raises(ValidationError) as refused:
            order_recall(actor=staff(Role.FINANCE), order=order, freight=freight, reason="x")
        assert refused.value.messages == messages
    with pytest.raises(PermissionDenied):
        order_recall(actor=staff(Role.CLERK), order=unpaid, freight="0", reason="x")
    assert not GoodsReturn.objects.exists() and not DealerCharge.objects.exists()
    unpaid.refresh_from_db()
    assert unpaid.step == "deliver"


def test_finance_recalls_from_the_order_page(client):
    """O-50: from the order page, by finance, confirmed; the clerk is not offered it."""
    order = shipped_unpaid(DealerFactory())
    action = reverse("order-recall", args=[order.pk])
    client.force_login(staff(Role.CLERK))
    assert action not in client.get(reverse("order-detail", args=[order.pk])).content.decode()
    client.force_login(staff(Role.FINANCE))
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert action in page and "data-sign-confirm" in page
    client.post(action, {"freight": "35.50", "reason": "货到未付款"})
    order.refresh_from_db()
    assert order.step == CANCELLED
    assert DealerCharge.objects.get(order=order).amount == Decimal("35.50")
    assert order.returns.get().kind == "recall"


def test_finance_recalls_through_the_api(client):
    """O-50 through the API: the order cancelled, the return and freight as on the page."""
    order = shipped_unpaid(DealerFactory())
    client.force_login(staff(Role.FINANCE))
    answer = client.post(
        f"/api/orders/{order.pk}/recall", {"freight": "12.30", "reason": "未付款"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 200 and answer.json()["order_step"] == CANCELLED
    assert DealerCharge.objects.get(order=order).amount == Decimal("12.30")
    again = client.post(
        f"/api/orders/{order.pk}/recall", {"reason": "再次"}, content_type="application/json"
    )
    assert again.status_code == 422 and GoodsReturn.objects.count() == 1


def test_the_history_reads_the_recall_and_its_freight_as_words():
    """The order's history names the recall, its return and its freight as money."""
    from gendan.audit.models import AuditEvent
    from gendan.audit.reading import change_rows
    from gendan.orders.audit_events import ORDER_RECALLED

    order = shipped_unpaid(DealerFactory())
    goods_return = order_recall(
        actor=staff(Role.FINANCE), order=order, freight="80", reason="未付款"
    )
    event = AuditEvent.objects.get(action=str(ORDER_RECALLED))
    rows = {row.label: row.after for row in change_rows(event)}
    assert rows == {"退货": str(goods_return), "运费": "80.00"}
