"""Where the money of a return goes (O-66), bulk returns as credit (O-67), and the company
refunding first for a dealer (O-68)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import (
    DealerCharge,
    DealerLedgerEntry,
    PaymentMethod,
    PaymentTerms,
    Receipt,
    RefundWay,
    ReturnKind,
    ReturnRefund,
)
from gendan.orders.money import order_install_fee_paid, order_profit_left, order_receivable
from gendan.orders.services.dealer_ledger import dealer_balance
from gendan.orders.services.refunds import (
    AT_SUPERMARKET,
    CASH_NEEDS_VP,
    DEALER_PAID_KEEPS,
    DEALER_PAID_SHORT,
    DEALER_PAYMENT_ABOVE,
    DEALER_PAYMENT_AMOUNT,
    DEALER_PAYMENT_METHOD,
    DEALER_PAYMENT_NOT_NEEDED,
    DEALER_PAYS_FIRST,
    NOT_WRITTEN_UP,
    WAY_NOT_HERE,
    dealer_paid_held,
    refund_cash_approve,
    refund_dealer_paid,
    refund_decide,
    refund_record,
    refund_sign,
    return_is_bulk,
)
from gendan.orders.tests.helpers import scenario, staff
from gendan.orders.tests.return_money_helpers import dealer_order, installed, written_up
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db
FINANCE, CLERK = Role.FINANCE, Role.CLERK


def test_o66_a_supermarket_purchase_books_no_refund():
    """O-66: bought at a supermarket → the shopper returns it to the supermarket."""
    # given leftovers of a supermarket's order, written up on their return note
    goods_return = written_up(installed("supermarket", PaymentTerms.CONTRACT), "2.5")
    # when the clerk would record a refund
    decision = refund_decide(goods_return)
    with pytest.raises(ValidationError) as refused:
        refund_record(actor=staff(CLERK), goods_return=goods_return)
    # then the page says where to go, and nothing is booked
    assert decision.way == RefundWay.AT_SUPERMARKET and decision.amount == Decimal("250.00")
    assert decision.statement == str(AT_SUPERMARKET)
    assert refused.value.messages == [str(AT_SUPERMARKET)]
    assert not ReturnRefund.objects.exists()


def test_o66_paid_to_the_company_the_leftovers_come_off_the_installation_fee():
    """O-66: paid to the company → deducted from the install fee, the rest refunded the way
    it was paid; finance signs."""
    # given a homeowner who paid the company 1000.00 by bank transfer; 45.00 fee still to pay
    order = installed("homeowner")
    assert order_install_fee_paid(order) == Decimal("0.00")
    goods_return = written_up(order, "2.5")
    # when the clerk records the refund and finance signs it
    refund = refund_record(actor=staff(CLERK), goods_return=goods_return)
    refund = refund_sign(actor=staff(FINANCE), refund=refund)
    # then 45.00 of the 250.00 comes off the fee, 205.00 goes back by bank transfer
    assert (refund.way, refund.amount) == (RefundWay.INSTALL_FEE, Decimal("250.00"))
    assert refund.install_fee_deducted == Decimal("45.00")
    assert refund.method == PaymentMethod.BANK_TRANSFER
    assert refund.signed_by == staff(FINANCE) and refund.recorded_by == staff(CLERK)
    assert order_install_fee_paid(order) == Decimal("45.00")
    assert refund.customer == order.customer


def test_o66_paid_at_a_dealers_store_the_dealer_refunds_with_no_company_money():
    """O-66: paid at a dealer's store → the company takes the goods back and gives the
    customer proof (the return note), and the dealer refunds."""
    dealer = DealerFactory()
    order = walked_to(dealer_order(dealer), "acceptance")
    balance = dealer_balance(dealer.pk)
    goods_return = written_up(order, "2.5")
    refund = refund_record(actor=staff(CLERK), goods_return=goods_return)
    refund_sign(actor=staff(FINANCE), refund=refund)
    refund.refresh_from_db()
    assert (refund.way, refund.amount, refund.customer) == (
        RefundWay.DEALER, Decimal("250.00"), dealer,
    )  # fmt: skip
    assert refund.signed_at is not None and refund.method == ""
    # no company money: no receipt, no statement entry
    assert not Receipt.objects.filter(method=PaymentMethod.CREDIT).exists()
    assert dealer_balance(dealer.pk) == balance == Decimal("300.00")


def test_o66_a_company_project_is_offset_in_the_project_account():
    """O-66: company projects → offset in the project account."""
    order = installed("project", PaymentTerms.CONTRACT)
    assert order_receivable(order) == Decimal("1000.00")
    goods_return = written_up(order, "2.5")
    refund = refund_record(actor=staff(FINANCE), goods_return=goods_return)
    # before finance signs, nothing is offset
    assert order_receivable(order) == Decimal("1000.00")
    refund_sign(actor=staff(FINANCE), refund=refund)
    order.refresh_from_db()
    assert refund.way == RefundWay.PROJECT
    assert order_receivable(order) == Decimal("750.00")
    assert order.contract.orders.get().paid == Decimal("250.00")
    receipt = order.receipts.get(method=PaymentMethod.CREDIT)
    assert receipt.amount == Decimal("250.00") and receipt.received_by == staff(FINANCE)


def test_o67_a_bulk_return_becomes_credit_and_cash_needs_the_vp():
    """O-67: a bulk return normally becomes credit for other goods, not cash: cash only with
    the VP of sales' approval, which finance's signature checks."""
    # given a homeowner's order of 1000.00, paid, of which 600.00 comes back (60 %: bulk)
    order = walked_to(scenario("homeowner"), "deliver")
    goods_return = written_up(order, "6", kind=ReturnKind.BULK)
    # then by default it becomes credit for other goods
    decision = refund_decide(goods_return)
    assert decision.bulk and decision.ways == (RefundWay.CREDIT, RefundWay.REFUND)
    credit = refund_record(actor=staff(CLERK), goods_return=goods_return)
    assert (credit.way, credit.amount, credit.method) == (RefundWay.CREDIT, Decimal("600.00"), "")
    # when the clerk asks for cash instead, finance may not sign it without the VP
    cash = refund_record(actor=staff(CLERK), goods_return=goods_return, way=RefundWay.REFUND)
    with pytest.raises(ValidationError) as refused:
        refund_sign(actor=staff(FINANCE), refund=cash)
    assert refused.value.messages == [CASH_NEEDS_VP % {"amount": Decimal("600.00")}]
    cash.refresh_from_db()
    assert cash.signed_at is None
    # with the VP's approval (recorded), finance signs the cash refund
    refund_cash_approve(actor=staff(Role.SALES_VP), refund=cash)
    cash = refund_sign(actor=staff(FINANCE), refund=cash)
    assert cash.cash_approved_by == staff(Role.SALES_VP)
    assert (cash.amount, cash.method) == (Decimal("600.00"), PaymentMethod.BANK_TRANSFER)


def test_o67_bulk_is_five_thousand_or_half_the_order():
    """O-67: "bulk" is a return worth at least 5,000.00 CNY or half the order's total."""
    order = scenario("homeowner", quantity="200")  # 20,000.00
    assert return_is_bulk(order, Decimal("5000.00"))
    assert not return_is_bulk(order, Decimal("4999.99"))
    small = scenario("homeowner", quantity="10")  # 1,000.00
    assert return_is_bulk(small, Decimal("500.00"))
    assert not return_is_bulk(small, Decimal("499.99"))


def test_o68_the_company_refunds_first_out_of_the_dealers_profit():
    """O-68: a dealer asking the company to refund first: allowed when the profit on the
    order covers it; the refund is taken from the dealer's profit."""
    dealer = DealerFactory()
    order = walked_to(dealer_order(dealer), "acceptance")
    goods_return = written_up(order, "2.5")
    refund = refund_record(
        actor=staff(CLERK), goods_return=goods_return, way=RefundWay.DEALER_FIRST
    )
    refund_sign(actor=staff(FINANCE), refund=refund)
    assert refund.customer == order.end_customer  # the company pays the dealer's customer
    charge = DealerCharge.objects.get(kind=DealerCharge.Kind.REFUND_FIRST)
    assert (charge.amount, charge.offset_against) == (Decimal("250.00"), order)
    assert order_profit_left(order) == Decimal("50.00")
    assert dealer_balance(dealer.pk) == Decimal("50.00")


def test_o68_finance_refuses_when_the_profit_does_not_cover_the_refund():
    """O-68: otherwise the dealer pays the company first; finance enforces it when signing,
    naming the profit and the refund, and nothing changes."""
    dealer = DealerFactory()
    order = walked_to(dealer_order(dealer), "acceptance")
    goods_return = written_up(order, "4")  # 400.00, the profit is 300.00
    refund = refund_record(
        actor=staff(CLERK), goods_return=goods_return, way=RefundWay.DEALER_FIRST
    )
    with pytest.raises(ValidationError) as refused:
        refund_sign(actor=staff(FINANCE), refund=refund)
    profit = {"profit": Decimal("300.00"), "refund": Decimal("400.00")}
    assert refused.value.messages == [DEALER_PAYS_FIRST % profit]
    assert "300.00" in refused.value.messages[0] and "400.00" in refused.value.messages[0]
    refund.refresh_from_db()
    assert refund.signed_at is None and not DealerCharge.objects.exists()
    assert dealer_balance(dealer.pk) == Decimal("300.00")
    assert not DealerLedgerEntry.objects.filter(kind=DealerLedgerEntry.Kind.CHARGE).exists()


def refused_with(call, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.messages


def test_o68_the_dealer_pays_the_company_first_then_finance_signs(client):
    """O-68: otherwise the dealer pays the company first: finance records the dealer's
    payment (amount, method, who, when) on the dealer's statement, and then signs; the refund
    comes out of that payment and the profit. Refusals before it change nothing."""
    dealer = DealerFactory()
    order = walked_to(dealer_order(dealer), "acceptance")
    goods_return = written_up(order, "4")  # 400.00, the profit is 300.00
    refund = refund_record(
        actor=staff(CLERK), goods_return=goods_return, way=RefundWay.DEALER_FIRST
    )
    finance = staff(FINANCE)
    pay = {"actor": finance, "refund": refund, "method": PaymentMethod.BANK_TRANSFER}
    # refused: more than the 100.00 short, credit as a method, nothing to pay for another way
    assert refused_with(refund_dealer_paid, **pay, amount="150") == [
        DEALER_PAYMENT_ABOVE % {"short": Decimal("100.00"), "amount": Decimal("150.00")}
    ]
    assert refused_with(refund_dealer_paid, **pay | {"method": PaymentMethod.CREDIT},
                        amount="60") == [str(DEALER_PAYMENT_METHOD)]  # fmt: skip
    assert refused_with(refund_dealer_paid, **pay, amount="0.001") == [str(DEALER_PAYMENT_AMOUNT)]
    assert not DealerLedgerEntry.objects.filter(kind=DealerLedgerEntry.Kind.REFUND_PAID).exists()
    assert dealer_balance(dealer.pk) == Decimal("300.00")
    # 60.00 paid: still 40.00 short, the signature names the profit, the payment, the refund
    first = refund_dealer_paid(**pay, amount="60", reference="BK-1")
    assert (first.amount, first.method, first.recorded_by) == (
        Decimal("60.00"), PaymentMethod.BANK_TRANSFER, finance,
    )  # fmt: skip
    assert first.recorded_at is not None and dealer_balance(dealer.pk) == Decimal("360.00")
    again = {"actor": staff(CLERK), "goods_return": goods_return, "way": RefundWay.DEALER}
    keeps = DEALER_PAID_KEEPS % {"paid": Decimal("60.00")}
    assert refused_with(refund_record, **again) == [keeps]  # the dealer's money not lost
    short = {"profit": Decimal("300.00"), "paid": Decimal("60.00"), "refund": Decimal("400.00")}
    assert refused_with(refund_sign, actor=finance, refund=refund) == [DEALER_PAID_SHORT % short]
    refund.refresh_from_db()
    assert refund.signed_at is None and not DealerCharge.objects.exists()
    # the rest on the page (a confirmed form), then finance signs: 100.00 from the payment,
    # 300.00 from the profit; the dealer's statement back to 0.00
    client.force_login(finance)
    panel = client.get(reverse("return-money", args=[goods_return.pk])).content.decode()
    assert reverse("return-money-dealer-paid", args=[goods_return.pk]) in panel
    assert "¥40.00" in panel and "data-sign-confirm" in panel
    client.post(reverse("return-money-dealer-paid", args=[goods_return.pk]),
                {"amount": "40.00", "method": PaymentMethod.CASH})  # fmt: skip
    assert dealer_paid_held(order) == Decimal("100.00")
    assert refused_with(refund_dealer_paid, **pay, amount="1") == [str(DEALER_PAYMENT_NOT_NEEDED)]
    refund_sign(actor=finance, refund=refund)
    charge = DealerCharge.objects.get(kind=DealerCharge.Kind.REFUND_FIRST)
    assert (charge.amount, charge.offset_against) == (Decimal("300.00"), order)
    paid = DealerLedgerEntry.objects.filter(kind=DealerLedgerEntry.Kind.REFUND_PAID)
    assert sorted(paid.values_list("amount", flat=True)) == [
        Decimal("-100.00"), Decimal("40.00"), Decimal("60.00"),
    ]  # fmt: skip
    assert (dealer_paid_held(order), order_profit_left(order)) == (Decimal("0"), Decimal("0"))
    assert dealer_balance(dealer.pk) == Decimal("0.00")


def test_o68_the_dealers_payment_through_the_api(client):
    """O-68 in the API: finance records the dealer's payment; the figures come back."""
    order = walked_to(dealer_order(DealerFactory()), "acceptance")
    goods_return = written_up(order, "3.5")  # 350.00 for a profit of 300.00
    refund_record(actor=staff(CLERK), goods_return=goods_return, way=RefundWay.DEALER_FIRST)
    client.force_login(staff(FINANCE))
    url = f"/api/orders/returns/{goods_return.pk}/refund/dealer-payment"
    too_much = client.post(url, {"amount": "60", "method": "cash"}, content_type="application/json")
    assert too_much.status_code == 422
    made = client.post(url, {"amount": "50", "method": "cash"}, content_type="application/json")
    assert made.status_code == 201
    body = made.json()
    assert (Decimal(body["amount"]), Decimal(body["paid"]), Decimal(body["short"])) == (
        Decimal("50.00"), Decimal("50.00"), Decimal("0.00"),
    )  # fmt: skip
    signed = client.post(f"/api/orders/returns/{goods_return.pk}/refund/signature")
    assert signed.status_code == 200 and signed.json()["signed_at"]


def test_a_refund_waits_for_the_return_note_and_takes_only_a_way_of_its_channel():
    order = installed("homeowner")
    goods_return = written_up(order, "1")
    with pytest.raises(ValidationError) as refused:
        refund_record(actor=staff(CLERK), goods_return=goods_return, way=RefundWay.PROJECT)
    ways = str(RefundWay.INSTALL_FEE.label)
    message = WAY_NOT_HERE % {"way": RefundWay.PROJECT.label, "ways": ways}
    assert refused.value.messages == [message]
    bare = installed("homeowner")
    from gendan.orders.returns import ReturnLineInput, return_record

    unwritten = return_record(
        actor=staff(Role.SERVICE), order=bare, kind=ReturnKind.LEFTOVER, reason="剩余",
        lines=[ReturnLineInput(order_line=bare.lines.get(), quantity=Decimal("1"))],
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        refund_record(actor=staff(CLERK), goods_return=unwritten)
    assert refused.value.messages == [str(NOT_WRITTEN_UP)]
    assert not ReturnRefund.objects.exists()


def test_the_return_page_states_where_the_money_goes_and_finance_signs_there(client):
    """O-66: the return page states it; the clerk records, finance signs, in the page."""
    goods_return = written_up(installed("homeowner"), "2.5")
    order_page = reverse("order-detail", args=[goods_return.order_id])
    panel = reverse("return-money", args=[goods_return.pk])
    client.force_login(staff(CLERK))
    assert panel in client.get(order_page).content.decode()
    page = client.get(panel).content.decode()
    assert str(RefundWay.INSTALL_FEE.label) in page and "250.00" in page
    client.post(reverse("return-money-action", args=[goods_return.pk, "record"]), {"way": ""})
    client.force_login(staff(FINANCE))
    sign = reverse("return-money-action", args=[goods_return.pk, "sign"])
    assert sign in client.get(panel).content.decode()
    answer = client.post(sign)
    assert answer.status_code == 302
    refund = ReturnRefund.objects.get()
    assert refund.signed_by == staff(FINANCE) and refund.install_fee_deducted == Decimal("45.00")
    # the road does not see the money panel
    client.force_login(staff(Role.DRIVER))
    assert client.get(panel).status_code == 403


def test_o67_the_bulk_limits_are_settings(settings):
    """O-67: the limits of "bulk" are GENDAN_BULK_RETURN_AMOUNT and GENDAN_BULK_RETURN_SHARE."""
    settings.GENDAN_BULK_RETURN_AMOUNT, settings.GENDAN_BULK_RETURN_SHARE = (
        Decimal("300.00"), Decimal("0.9"),
    )  # fmt: skip
    order = scenario("homeowner", quantity="10")  # 1,000.00
    assert return_is_bulk(order, Decimal("300.00"))
    assert not return_is_bulk(order, Decimal("299.99"))


def test_a_malformed_bulk_limit_is_an_error(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from gendan.config.env import env_decimal

    monkeypatch.setenv("GENDAN_BULK_RETURN_SHARE", "half")
    with pytest.raises(ImproperlyConfigured):
        env_decimal("GENDAN_BULK_RETURN_SHARE", default="0.5")
    monkeypatch.setenv("GENDAN_BULK_RETURN_SHARE", "0.25")
    assert env_decimal("GENDAN_BULK_RETURN_SHARE", default="0.5") == Decimal("0.25")


def test_the_api_decides_records_and_signs_a_refund(client):
    """O-66, O-68 through the API: the decision, the record, finance's refusal (422, naming
    the profit and the refund) that changes nothing."""
    dealer = DealerFactory()
    goods_return = written_up(walked_to(dealer_order(dealer), "acceptance"), "4")
    url = f"/api/orders/returns/{goods_return.pk}/refund"
    client.force_login(staff(CLERK))
    decision = client.get(url).json()
    assert (decision["way"], decision["amount"], decision["refund"]) == ("dealer", "400.00", None)
    recorded = client.post(url, {"way": "dealer_first"}, content_type="application/json")
    assert recorded.status_code == 200 and recorded.json()["amount"] == "400.00"
    client.force_login(staff(FINANCE))
    refused = client.post(f"{url}/signature")
    assert refused.status_code == 422
    message = DEALER_PAYS_FIRST % {"profit": "300.00", "refund": "400.00"}
    assert [error["msg"] for error in refused.json()["detail"]] == [message]
    assert ReturnRefund.objects.get().signed_at is None and not DealerCharge.objects.exists()


def test_finance_finds_the_refunds_waiting_for_its_signature(client):
    """The refunds list: waiting for finance by default, searched by order number."""
    first = written_up(installed("homeowner"), "1")
    second = written_up(installed("homeowner"), "2")
    for goods_return in (first, second):
        refund_record(actor=staff(CLERK), goods_return=goods_return)
    refund_sign(actor=staff(FINANCE), refund=second.refund)
    client.force_login(staff(FINANCE))
    page = client.get(reverse("return-money-list")).content.decode()
    assert str(first) in page and str(second) not in page
    signed = client.get(reverse("return-money-list"), {"state": "signed"}).content.decode()
    assert str(second) in signed and str(first) not in signed
    found = client.get(reverse("return-money-list"), {"state": "", "q": second.order.number})
    assert str(second) in found.content.decode() and str(first) not in found.content.decode()
    client.force_login(staff(Role.WAREHOUSE))
    assert client.get(reverse("return-money-list")).status_code == 403


def test_the_history_reads_where_the_money_went_as_words():
    from gendan.audit.models import AuditEvent
    from gendan.audit.reading import change_rows
    from gendan.orders.audit_events import REFUND_SIGNED

    goods_return = written_up(installed("homeowner"), "2.5")
    refund_sign(actor=staff(FINANCE), refund=refund_record(actor=staff(CLERK),
                                                          goods_return=goods_return))  # fmt: skip
    rows = change_rows(AuditEvent.objects.get(action=str(REFUND_SIGNED)))
    # (PostgreSQL keeps the changes as jsonb, which orders the keys its own way)
    assert sorted(row.after for row in rows) == sorted(
        [str(RefundWay.INSTALL_FEE.label), "250.00", str(PaymentMethod.BANK_TRANSFER.label)]
    )


def test_o66_a_fee_paid_after_the_record_is_not_deducted_twice():
    """O-66: the fee paid in full after the refund was recorded: finance's signature is
    refused (nothing changes) and the refund recorded again goes back the way it was paid."""
    from gendan.orders.services.receipts import order_receipt_add
    from gendan.orders.services.refunds import FEE_PAID_SINCE

    order = installed("homeowner")
    refund = refund_record(actor=staff(CLERK), goods_return=written_up(order, "2.5"))
    order_receipt_add(
        actor=staff(FINANCE), order=order, amount=Decimal("45.00"), method=PaymentMethod.CASH,
        is_install_fee=True,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        refund_sign(actor=staff(FINANCE), refund=refund)
    left = {"left": Decimal("0.00"), "deducted": Decimal("45.00")}
    assert refused.value.messages == [FEE_PAID_SINCE % left]
    assert order_install_fee_paid(order) == Decimal("45.00")
    again = refund_record(actor=staff(CLERK), goods_return=refund.goods_return)
    again = refund_sign(actor=staff(FINANCE), refund=again)
    assert (again.way, again.install_fee_deducted) == (RefundWay.REFUND, Decimal("0.00"))
    assert order_install_fee_paid(order) == Decimal("45.00")
