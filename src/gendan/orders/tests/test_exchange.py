"""O-64: an exchange is a return (O-63), then a new order; finance settles the difference; the
extra owed is paid before the new goods leave."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.guards import EXCHANGE_EXTRA_UNPAID, EXCHANGE_NOT_SETTLED, exchange_paid
from gendan.orders.models import (
    Order,
    PayerCredit,
    PaymentMethod,
    PaymentTerms,
    RefundWay,
    ReturnKind,
)
from gendan.orders.money import order_outstanding
from gendan.orders.routes import SHIP
from gendan.orders.services.exchange import ALREADY_EXCHANGED, NOT_AN_EXCHANGE, exchange_create
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.services.refunds import refund_record, refund_sign
from gendan.orders.services.registration import LineInput
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.simulate import sample_record
from gendan.orders.tests.helpers import DAY, listed_product, scenario, staff
from gendan.orders.tests.return_money_helpers import dealer_order, installed, written_up
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db


def exchanged(order: Order, quantity: str = "6") -> Order:
    goods_return = written_up(order, "4", kind=ReturnKind.EXCHANGE)  # 400.00 back
    return exchange_create(
        actor=staff(Role.CLERK), goods_return=goods_return,
        lines=[LineInput(product=listed_product(), quantity=Decimal(quantity))],
        fields={"expected_delivery_on": DAY, "expected_install_on": DAY},
    )  # fmt: skip


def ship_refusals(order: Order) -> list[str]:
    with pytest.raises(StepRefused) as refused:
        order_step_complete(
            actor=staff(Role.WAREHOUSE), order=order, step=SHIP.code,
            data=sample_record(SHIP),
        )  # fmt: skip
    return refused.value.reasons


def test_o64_the_extra_owed_is_paid_before_the_new_goods_leave():
    """O-64: the return as in O-63, then a new order; finance settles the difference; extra
    owed by the customer or dealer is paid first."""
    # given a dealer's order paid on delivery, 4 m² of it exchanged for 6 m² of another floor
    dealer = DealerFactory()
    order = walked_to(dealer_order(dealer, terms=PaymentTerms.ON_DELIVERY), "acceptance")
    new = exchanged(order)
    # then the new order is the same customer's, linked to the return, 600.00 CNY
    refund = new.exchanged_from
    assert (new.customer, new.end_customer) == (order.customer, order.end_customer)
    assert (refund.way, refund.amount, refund.goods_return.order) == (
        RefundWay.EXCHANGE, Decimal("400.00"), order,
    )  # fmt: skip
    assert new.total == Decimal("600.00") and new.pk != order.pk
    # its goods do not leave before finance settles the difference
    new = walked_to(new, SHIP.code)
    assert ship_refusals(new) == [EXCHANGE_NOT_SETTLED % {"ret": refund.goods_return}]
    # finance credits the returned goods against it: 200.00 CNY still to pay, first
    refund_sign(actor=staff(Role.FINANCE), refund=refund)
    new.refresh_from_db()
    assert new.paid == Decimal("400.00") and order_outstanding(new) == Decimal("200.00")
    assert ship_refusals(new) == [EXCHANGE_EXTRA_UNPAID % {"extra": Decimal("200.00")}]
    assert new.step == SHIP.code
    # once the dealer pays the 200.00, the goods leave
    order_receipt_add(
        actor=staff(Role.FINANCE), order=new, amount=Decimal("200.00"), method=PaymentMethod.CASH
    )
    shipped = order_step_complete(
        actor=staff(Role.WAREHOUSE), order=new, step=SHIP.code, data=sample_record(SHIP)
    )
    assert SHIP.code in shipped.signed


def test_o64_a_cheaper_exchange_keeps_the_rest_as_the_customers_credit(client):
    """O-64: finance settles the difference: the credit covers the new order, and what the
    returned goods are worth beyond it is kept as the customer's credit, on the return's money
    panel and the customer's credits."""
    new = exchanged(installed("homeowner"), quantity="3")  # 300.00 for 400.00 returned
    refund = new.exchanged_from
    refund_sign(actor=staff(Role.FINANCE), refund=refund)
    new.refresh_from_db()
    assert order_outstanding(new) == Decimal("0.00") and exchange_paid(new) == []
    receipt = new.receipts.get()
    assert (receipt.method, receipt.amount, new.paid) == (
        PaymentMethod.CREDIT, Decimal("400.00"), Decimal("400.00"),
    )  # fmt: skip
    credit = PayerCredit.objects.get()
    assert (credit.customer, credit.order, credit.receipt, credit.amount) == (
        refund.customer, new, receipt, Decimal("100.00"),
    )  # fmt: skip
    client.force_login(staff(Role.FINANCE))
    panel = client.get(reverse("return-money", args=[refund.goods_return_id])).content.decode()
    assert "¥100.00" in panel and str(refund.customer) in panel
    page = client.get(reverse("customer-credits", args=[refund.customer_id])).content.decode()
    assert new.number in page and "100.00" in page


def test_o64_only_a_bulk_return_or_exchange_is_exchanged_once():
    order = installed("homeowner")
    leftover = written_up(order, "1")
    with pytest.raises(ValidationError) as refused:
        exchange_create(actor=staff(Role.CLERK), goods_return=leftover, lines=[])
    assert refused.value.messages == [str(NOT_AN_EXCHANGE)]
    new = exchanged(order)
    count = Order.objects.count()
    with pytest.raises(ValidationError) as refused:
        exchange_create(
            actor=staff(Role.CLERK), goods_return=new.exchanged_from.goods_return,
            lines=[LineInput(product=listed_product(), quantity=Decimal("1"))],
        )  # fmt: skip
    assert refused.value.messages == [ALREADY_EXCHANGED % {"order": new}]
    assert Order.objects.count() == count


def test_o67_a_bulk_returns_credit_is_spent_on_other_goods():
    """O-67: a bulk return becomes credit for other goods: signed by finance, then spent on
    the new order the clerk makes, up to what it costs."""
    order = walked_to(scenario("homeowner"), "deliver")
    goods_return = written_up(order, "6", kind=ReturnKind.BULK)  # 600.00: bulk
    credit = refund_record(actor=staff(Role.CLERK), goods_return=goods_return)
    refund_sign(actor=staff(Role.FINANCE), refund=credit)
    new = exchange_create(
        actor=staff(Role.CLERK), goods_return=goods_return,
        lines=[LineInput(product=listed_product(), quantity=Decimal("8"))],
    )  # fmt: skip
    new.refresh_from_db()
    assert new.paid == Decimal("600.00") and order_outstanding(new) == Decimal("200.00")
    credit.refresh_from_db()
    assert (credit.way, credit.exchange_order) == (RefundWay.CREDIT, new)
    assert exchange_paid(new) == [EXCHANGE_EXTRA_UNPAID % {"extra": Decimal("200.00")}]


def test_the_clerk_makes_the_exchange_order_on_the_order_page(client):
    """O-64 on the page: item numbers and quantities; a wrong one refuses the whole order."""
    from django.urls import reverse

    goods_return = written_up(installed("homeowner"), "4", kind=ReturnKind.EXCHANGE)
    product = listed_product()
    url = reverse("return-exchange", args=[goods_return.pk])
    client.force_login(staff(Role.CLERK))
    panel = client.get(reverse("return-money", args=[goods_return.pk])).content.decode()
    assert url in panel
    count = Order.objects.count()
    refused = client.post(url, {"sku-1": product.sku, "quantity-1": "2", "sku-2": "NO-SUCH"})
    assert refused.status_code == 302 and Order.objects.count() == count
    made = client.post(url, {"sku-1": product.sku, "quantity-1": "5", "delivery": "2026-12-10"})
    new = Order.objects.get(exchanged_from__goods_return=goods_return)
    assert made.url == reverse("order-detail", args=[new.pk])
    assert new.total == Decimal("500.00") and str(new.expected_delivery_on) == "2026-12-10"
