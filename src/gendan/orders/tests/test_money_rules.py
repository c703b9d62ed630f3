"""Dealer money (O-11, O-53), warranty retention (O-56), referrals (O-6), revisions (O-7)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.accounts.roles import Role
from gendan.catalog.tests.factories import ProductFactory
from gendan.orders.guards import AWAITING_CONFIRMATION, REFERRAL_OPEN
from gendan.orders.models import PaymentTerms
from gendan.orders.money import order_dealer_profit, order_outstanding, order_receivable
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.services.registration import LineInput, order_register
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.services.verification import (
    order_addition_write,
    order_change,
    order_change_confirm,
    order_refer_to_sales_rep,
    order_referral_answer,
)
from gendan.orders.tests.helpers import (
    DAY,
    all_checks_confirmed,
    listed_product,
    order_registered,
    paid_in_full,
    staff,
)
from gendan.orders.tests.test_guards import advance_to, refusal
from gendan.parties.tests.factories import CustomerFactory, DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db


def dealer_install_order(end_price: str | None, **fields):
    dealer = DealerFactory()
    defaults = {
        "customer": dealer, "end_customer": HomeownerFactory(via=dealer),
        "needs_installation": True, "payment_method": "cash",
        "payment_terms": PaymentTerms.ON_DELIVERY, "province": "广东省", "city": "广州市",
        "street": "天河路1号", "floor": 3, "expected_delivery_on": DAY, "expected_install_on": DAY,
    }  # fmt: skip
    price = Decimal(end_price) if end_price else None
    line = LineInput(product=listed_product(), quantity=Decimal("10"), unit_price=Decimal("100"),
                     end_price=price)  # fmt: skip
    return order_register(actor=staff(Role.CLERK), fields=defaults | fields, lines=[line], on=DAY)


def test_o11_the_dealers_profit_is_profit_note_less_cost_note(roles):
    """O-11: the profit note carries the dealer's real price to its homeowner."""
    order = dealer_install_order("130")

    assert order_dealer_profit(order) == Decimal("300.00")
    assert order_dealer_profit(dealer_install_order(None)) is None


def test_o53_a_deposit_above_the_dealers_profit_means_pay_before_dispatch(roles):
    """O-53: deposit 500 > profit 300: finance refuses until the company is paid."""
    order = advance_to(dealer_install_order("130", dealer_deposit=Decimal("500")), "finance_review")

    reasons = refusal(order, "finance_review", Role.FINANCE)

    assert reasons.startswith("O-53") and "500" in reasons and "300" in reasons


def test_o53_a_deposit_within_the_profit_may_still_pay_on_delivery(roles):
    """O-53 with O-51: deposit 200 < profit 300, pay-on-delivery stands."""
    order = advance_to(dealer_install_order("130", dealer_deposit=Decimal("200")), "finance_review")

    order = order_step_complete(actor=staff(Role.FINANCE), order=order, step="finance_review")

    assert order.step == "ship"


def test_o53_a_card_payment_at_the_store_means_the_dealer_pays_in_full_first(roles):
    """O-53: the customer paid the dealer by card."""
    order = advance_to(dealer_install_order("130", paid_to_dealer_by_card=True), "finance_review")

    assert refusal(order, "finance_review", Role.FINANCE).startswith("O-53")


def test_o56_the_owner_keeps_the_retention_back_until_it_falls_due(roles):
    """O-56: paid amount, retention and its due date are on the order; what is due now
    leaves the retention out, what is owed keeps it."""
    project = CustomerFactory(kind="project")
    order = order_registered(
        project, payment_terms=PaymentTerms.CONTRACT, retention_amount=Decimal("50"),
        retention_due=DAY + dt.timedelta(days=365), retention_signed_by="甲方 张总",
    )  # fmt: skip

    assert order_outstanding(order) == Decimal("950.00")
    assert order_receivable(order) == Decimal("1000.00")


def test_o56_a_dealers_customer_retention_is_paid_by_the_dealer_first(roles):
    """O-56: if the customer pays the dealer, the dealer pays the retention to the company."""
    order = order_registered(
        DealerFactory(),
        retention_amount=Decimal("50"),
        retention_due=DAY,
        retention_signed_by="业主",
    )

    assert order_outstanding(order) == Decimal("1000.00")


def test_o6_a_payment_question_goes_to_the_sales_rep_and_holds_verification(roles):
    """O-6: referred to the sales rep, who settles it with the dealer."""
    order = order_registered(DealerFactory(), payment_terms=PaymentTerms.ON_DELIVERY)
    clerk = staff(Role.CLERK)
    all_checks_confirmed(order, clerk)

    order_refer_to_sales_rep(actor=clerk, order=order, note="经销商要求月结")
    held = refusal(order, "verify", Role.CLERK)
    with pytest.raises(PermissionDenied):
        order_referral_answer(actor=clerk, order=order, answer="x")
    order_referral_answer(actor=staff(Role.SALES_REP), order=order, answer="已与经销商确认先付款")
    order = order_step_complete(actor=clerk, order=order, step="verify")

    assert str(REFERRAL_OPEN) in held
    assert order.step == "delivery_note"


def test_o7_an_addition_is_written_onto_the_order(roles):
    """O-7: additions found at verification go on the order; no new version."""
    order = order_registered(DealerFactory())

    order = order_addition_write(actor=staff(Role.CLERK), order=order, text="送货前一天电话联系")

    assert "送货前一天电话联系" in order.other_requests
    assert order.revision == 1 and not order.revisions.exists()


def test_o7_a_change_makes_a_new_revision_the_customer_confirms(roles):
    """O-7: the old version is kept; the order waits for the customer's confirmation."""
    order = order_registered(DealerFactory(), quantity="10")
    clerk = staff(Role.CLERK)
    all_checks_confirmed(order, clerk)
    line = LineInput(product=ProductFactory(), quantity=Decimal("12"), unit_price=Decimal("100"))

    order = order_change(
        actor=clerk, order=order, fields={"floor": 9}, lines=[line], reason="改数量"
    )
    waiting = refusal(order, "verify", Role.CLERK)
    order = order_change_confirm(actor=clerk, order=order, confirmed_by="经销商 李总")
    all_checks_confirmed(order, clerk)  # the change took back those it touched
    order = order_step_complete(actor=clerk, order=order, step="verify")

    old = order.revisions.get(number=1)
    assert str(AWAITING_CONFIRMATION) in waiting
    assert (order.revision, order.total, order.floor) == (2, Decimal("1200.00"), 9)
    assert old.snapshot["total"] == "1000.00" and old.snapshot["lines"][0]["quantity"] == "10.000"
    assert old.confirmed_by == "经销商 李总"


def test_o7_a_supermarket_order_changes_without_a_reissue(roles):
    """O-7: only non-supermarket orders need the customer's confirmation."""
    order = order_registered(CustomerFactory(kind="supermarket"), payment_terms="contract")
    line = LineInput(product=ProductFactory(), quantity=Decimal("2"), unit_price=Decimal("5"))

    order = order_change(
        actor=staff(Role.ACCOUNT_MANAGER), order=order, fields={}, lines=[line], reason="补货"
    )

    assert not order.awaiting_confirmation and order.revisions.count() == 1


def test_o7_no_change_after_finance_signed(roles):
    order = advance_to(order_registered(DealerFactory()), "ship")
    line = LineInput(product=ProductFactory(), quantity=Decimal("2"), unit_price=Decimal("5"))

    with pytest.raises(ValidationError):
        order_change(actor=staff(Role.CLERK), order=order, fields={}, lines=[line], reason="晚了")


def test_o53_refusal_is_not_raised_for_paid_orders(roles):
    order = advance_to(dealer_install_order("130", paid_to_dealer_by_card=True), "finance_review")

    paid_in_full(order)
    order = order_step_complete(actor=staff(Role.FINANCE), order=order, step="finance_review")

    assert order.step == "ship"
    with pytest.raises(StepRefused):
        order_step_complete(actor=staff(Role.FINANCE), order=order, step="finance_review")


def test_o48_a_project_order_pays_by_its_contract_stages(roles):
    """O-48 and O-52: projects pay per contract; finance signs only when the stages due by
    today are paid."""
    from gendan.parties.services import contract_create

    project = CustomerFactory(kind="project")
    stages = [
        {"name": "预付款", "percent": Decimal("30"), "due_on": DAY},
        {"name": "验收款", "percent": Decimal("70"), "due_on": DAY + dt.timedelta(days=400)},
    ]
    fields = {"number": "HT-9", "title": "项目", "signed_on": DAY, "amount": Decimal("1000")}
    contract = contract_create(
        actor=staff(Role.FINANCE), customer=project, fields=fields, stages=stages
    )
    order = order_registered(project, payment_terms=PaymentTerms.CONTRACT, contract=contract)
    order = advance_to(order, "finance_review")

    lacking = refusal(order, "finance_review", Role.FINANCE)
    order_receipt_add(
        actor=staff(Role.FINANCE), order=order, amount=Decimal("300"), method="bank_transfer"
    )
    order = order_step_complete(actor=staff(Role.FINANCE), order=order, step="finance_review")

    assert lacking.startswith("O-48") and "300" in lacking
    assert order.step == "ship"


def test_o55_a_fee_paid_to_the_dealer_reaches_the_company_before_installation(roles):
    """O-55: the dealer pays the installation fee first, unless the profit covers it."""
    order = dealer_install_order("101")  # profit 10 does not cover a fee of 200
    order = advance_to(order, "agree_install")
    agreed = {"install_fee": "200", "install_on": "2026-12-05", "paid_to_dealer": True}
    order = order_step_complete(
        actor=staff(Role.SERVICE), order=order, step="agree_install", data=agreed
    )
    order = advance_to(order, "install")
    installed = {"installed_on": "2026-12-05"}

    held = refusal(order, "install", Role.INSTALLER)
    order_receipt_add(
        actor=staff(Role.FINANCE), order=order, amount=Decimal("200"), method="bank_transfer",
        is_install_fee=True,
    )  # fmt: skip
    order = order_step_complete(
        actor=staff(Role.INSTALLER), order=order, step="install", data=installed
    )

    assert held.startswith("O-55") and "200" in held
    assert order.step == "acceptance"


def test_o55_the_orders_profit_may_cover_the_fee(roles):
    """O-55: offset against the order's profit when that covers it."""
    order = advance_to(dealer_install_order("150"), "agree_install")  # profit 500
    agreed = {"install_fee": "200", "install_on": "2026-12-05", "paid_to_dealer": True}
    order = order_step_complete(
        actor=staff(Role.SERVICE), order=order, step="agree_install", data=agreed
    )
    order = advance_to(order, "install")

    order = order_step_complete(
        actor=staff(Role.INSTALLER),
        order=order,
        step="install",
        data={"installed_on": "2026-12-05"},
    )

    assert order.step == "acceptance"


def test_o54_a_dealers_shortfall_is_taken_from_the_profit_of_its_other_orders(roles):
    """O-54 (and O-50): what a dealer owes because of one order comes off the profit of
    another of its orders, when that profit covers it."""
    from gendan.orders.money import order_profit_left
    from gendan.orders.services.charges import dealer_charge_offset, dealer_charge_record

    first = dealer_install_order("120")  # profit 200
    dealer = first.customer
    fields = {
        "customer": dealer, "payment_method": "cash", "payment_terms": "prepay",
        "province": "广东省", "city": "广州市", "street": "x",
    }  # fmt: skip
    line = LineInput(
        product=listed_product(), quantity=Decimal("10"), unit_price=Decimal("100"),
        end_price=Decimal("130"),
    )  # fmt: skip
    second = order_register(actor=staff(Role.CLERK), fields=fields, lines=[line], on=DAY)
    finance = staff(Role.FINANCE)

    with pytest.raises(PermissionDenied):
        dealer_charge_record(
            actor=staff(Role.CLERK), order=first, kind="shortfall", amount=Decimal("1")
        )
    charge = dealer_charge_record(
        actor=finance, order=first, kind="recall_freight", amount=Decimal("250")
    )
    with pytest.raises(ValidationError):
        dealer_charge_offset(actor=finance, charge=charge, against=first)  # 200 < 250
    charge = dealer_charge_offset(actor=finance, charge=charge, against=second)  # 300 covers it

    assert charge.offset_against == second
    assert order_profit_left(second) == Decimal("50.00")
    with pytest.raises(ValidationError):
        dealer_charge_offset(actor=finance, charge=charge, against=second)


def test_o54_the_dealer_account_page_shows_profit_and_open_charges(client, roles):
    """O-54: finance sees a dealer's profit left beside what it owes."""
    from django.urls import reverse

    from gendan.orders.services.charges import dealer_charge_record

    order = dealer_install_order("150")
    dealer_charge_record(
        actor=staff(Role.FINANCE), order=order, kind="shortfall", amount=Decimal("80")
    )
    client.force_login(staff(Role.FINANCE))

    page = client.get("/en" + reverse("dealer-account", args=[order.customer_id])).content.decode()

    assert "500.00" in page and "80.00" in page and order.number in page
