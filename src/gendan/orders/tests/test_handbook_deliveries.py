"""Deliveries and installation fees as the handbook has them: O-21 (a supermarket's receiving
document) and O-39 (the installation fee service collects, with its amount, at the step)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.guards import INSTALL_FEE_UNPAID
from gendan.orders.models import PaymentTerms, Receipt
from gendan.orders.routes import RECEIVING_DOCUMENT, RECEIVING_DOCUMENT_NEEDED
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.services.verification import FEE_DIFFERS, order_step_sign
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db
JSON = "application/json"
CONTRACT = PaymentTerms.CONTRACT
SUPERMARKET_ORDERS = [
    ("supermarket", dict(channel="supermarket", terms=CONTRACT)),
    ("supermarket_clerk", dict(channel="supermarket", terms=CONTRACT, region="other")),
    ("supermarket_install", dict(channel="supermarket", install=True, terms=CONTRACT)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("route", "case"), SUPERMARKET_ORDERS, ids=[r[0] for r in SUPERMARKET_ORDERS]
)
def test_o21_a_supermarket_delivery_needs_the_supermarkets_receiving_document(roles, route, case):
    """O-21: on the supermarket routes the delivery is done only with the supermarket's own
    receiving document; without its number the driver's signature is refused."""
    # given a supermarket's order on its way
    order = walked_to(scenario(**case), "deliver")
    assert order.route == route
    driver = staff(Role.DRIVER)
    # when the driver signs with the customer's name only
    with pytest.raises(StepRefused) as refused:
        order_step_complete(actor=driver, order=order, step="deliver", data={"received_by": "张"})
    # then it is refused, saying why; with the number it is signed
    assert refused.value.reasons == [f"{RECEIVING_DOCUMENT}: {RECEIVING_DOCUMENT_NEEDED}"]
    record = {"received_by": "张", "receiving_document": "SH-2026-0042"}
    order = order_step_complete(actor=driver, order=order, step="deliver", data=record)
    assert order.signed["deliver"]["receiving_document"] == "SH-2026-0042"


def test_o21_other_routes_deliver_without_a_receiving_document(roles):
    """O-21: only supermarkets give their own receiving document; a dealer's homeowner signs."""
    # given a dealer's order at the delivery
    order = walked_to(scenario("dealer"), "deliver")
    # when the driver signs with the customer's name only, then it is signed
    data = {"received_by": "李"}
    order = order_step_complete(actor=staff(Role.DRIVER), order=order, step="deliver", data=data)
    assert "deliver" in order.signed and "receiving_document" not in order.signed["deliver"]


def test_o21_the_supermarket_delivery_form_marks_the_receiving_document_required(client, roles):
    """O-21: the driver's form asks for the number, as a required field."""
    # given a supermarket's order at the delivery, opened by the driver
    order = walked_to(scenario("supermarket", terms=CONTRACT), "deliver")
    client.force_login(staff(Role.DRIVER))
    # when the driver opens the order page
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    # then the receiving document's input is required
    field = page.split('name="record-receiving_document"')[1].split(">")[0]
    assert "required" in field


def at_the_fee(**fields):
    """A dealer's order with installation whose fee (45.00, as agreed) service now collects."""
    order = scenario("dealer", install=True, end_price=Decimal("150"), **fields)
    order = walked_to(order, "install_fee_collected")
    assert order.signed["agree_install"]["install_fee"] == "45.00"
    return order


def fee_receipts(order):
    return list(order.receipts.filter(is_install_fee=True).values_list("amount", "method"))


def test_o39_service_signs_the_fee_collected_with_its_amount_and_a_receipt_is_recorded(roles):
    """O-39, O-47: the fee service collects is recorded with its amount and method, as a
    receipt of the installation fee, with the signature; finance's step then sees it."""
    # given a dealer's order with installation, its fee of 45.00 to collect
    order = at_the_fee()
    service = staff(Role.SERVICE)
    # when service signs the collection of 45.00 in cash
    record = {"amount": "45.00", "method": "cash"}
    order = order_step_sign(actor=service, order=order, step="install_fee_collected", data=record)
    # then the receipt is recorded, by service, and finance takes the fee over
    receipt = order.receipts.get(is_install_fee=True)
    assert (receipt.amount, receipt.method, receipt.received_by) == (
        Decimal("45.00"),
        "cash",
        service,
    )
    order = order_step_complete(
        actor=staff(Role.FINANCE), order=order, step="install_fee_to_finance"
    )
    assert order.step == "close"


def test_o39_another_amount_than_agreed_needs_a_note(roles):
    """O-39: 40.00 collected where 45.00 was agreed is refused without a note, and finance's
    step then holds for what is missing."""
    # given the order at the fee
    order = at_the_fee()
    service, record = staff(Role.SERVICE), {"amount": "40.00", "method": "wechat"}
    # when service signs 40.00 without a note, then with one
    with pytest.raises(StepRefused) as refused:
        order_step_sign(actor=service, order=order, step="install_fee_collected", data=record)
    nothing = fee_receipts(order)
    order = order_step_sign(
        actor=service, order=order, step="install_fee_collected", data=record, note="业主少付5元"
    )
    # then the first was refused with nothing kept, the second recorded 40.00
    assert refused.value.reasons == [
        FEE_DIFFERS % {"amount": Decimal("40.00"), "fee": Decimal("45.00")}
    ]
    assert nothing == [] and fee_receipts(order) == [(Decimal("40.00"), "wechat")]
    with pytest.raises(StepRefused) as held:
        order_step_complete(actor=staff(Role.FINANCE), order=order, step="install_fee_to_finance")
    assert held.value.reasons == [INSTALL_FEE_UNPAID % {"fee": Decimal("45.00")}]


def test_o39_a_refused_receipt_leaves_the_step_unsigned(roles, monkeypatch):
    """O-39: the signature and the receipt stand together or not at all."""
    # given the order at the fee, and a receipt that will be refused
    order = at_the_fee()

    def refused(**_kwargs):
        raise ValidationError({"amount": "拒收"})

    monkeypatch.setattr("gendan.orders.services.verification.order_receipt_add", refused)
    # when service signs the collection
    record = {"amount": "45.00", "method": "cash"}
    with pytest.raises(StepRefused) as held:
        order_step_sign(
            actor=staff(Role.SERVICE), order=order, step="install_fee_collected", data=record
        )
    # then the step is not signed and no receipt stands
    order.refresh_from_db()
    assert held.value.reasons == ["拒收"]
    assert order.step == "install_fee_collected" and "install_fee_collected" not in order.signed
    assert not Receipt.objects.filter(order=order, is_install_fee=True).exists()


def test_o39_the_sign_form_starts_from_the_fee_agreed_and_the_page_records_it(client, roles):
    """O-39: the service's form asks for the amount received, starting from the fee agreed at
    agree_install, and the method; signing on the page records the receipt."""
    # given the order at the fee, opened by service
    order = at_the_fee()
    client.force_login(staff(Role.SERVICE))
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    # then the amount starts from 45.00 and the method is asked for
    amount = page.split('name="record-amount"')[1].split(">")[0]
    assert 'value="45.00"' in amount and 'name="record-method"' in page
    # when service signs on the page
    post = {"record-amount": "45.00", "record-method": "alipay", "note": ""}
    client.post(reverse("order-step", args=[order.pk, "install_fee_collected"]), post)
    # then the fee is recorded
    assert fee_receipts(order) == [(Decimal("45.00"), "alipay")]


def test_o39_the_api_sign_records_the_fee_too(client, roles):
    """O-39: the API's sign operation writes the receipt as the page does."""
    # given the order at the fee
    order = at_the_fee()
    client.force_login(staff(Role.SERVICE))
    # when service signs through the API
    body = {"record": {"amount": "45.00", "method": "cash"}, "note": ""}
    url = f"/api/orders/{order.pk}/steps/install_fee_collected"
    answer = client.post(url, body, content_type=JSON)
    # then the step is signed and the fee recorded
    assert answer.status_code == 200, answer.content
    assert fee_receipts(order) == [(Decimal("45.00"), "cash")]
