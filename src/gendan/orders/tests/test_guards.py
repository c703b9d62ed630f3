"""Each guard refuses with its rule and reason; each role is refused the steps not its own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from gendan.accounts.roles import Role
from gendan.orders.guards import (
    CHECKS_OPEN,
    NO_CONTRACT_RECORDED,
    NO_CONTRACT_TERMS,
    NO_PAYMENT_AGREEMENT,
)
from gendan.orders.models import PaymentTerms, StepLog, VerificationItem
from gendan.orders.routes import ROUTES
from gendan.orders.services.registration import LineInput, order_register
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.services.verification import order_checks_confirm
from gendan.orders.simulate import sample_record
from gendan.orders.tests.helpers import (
    DAY,
    all_checks_confirmed,
    listed_product,
    order_registered,
    paid_in_full,
    staff,
)
from gendan.parties.models import CustomerKind
from gendan.parties.tests.factories import CustomerFactory, DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db


def dealer_order(**fields):
    dealer = DealerFactory()
    return order_registered(dealer, end_customer=HomeownerFactory(via=dealer), **fields)


def advance_to(order, code):
    """Sign the steps before ``code`` as their roles, meeting their guards."""
    route = ROUTES[order.route]
    while order.step != code:
        step = route.step(order.step)
        if step.code == "verify":
            all_checks_confirmed(order, staff(step.role))
        if step.code in ("receive_payment", "goods_paid"):
            paid_in_full(order)
        order = order_step_complete(
            actor=staff(step.role), order=order, step=step.code, data=sample_record(step)
        )
    return order


def refusal(order, step, role):
    with pytest.raises(StepRefused) as refused:
        order_step_complete(actor=staff(role), order=order, step=step)
    return " ".join(refused.value.reasons)


def test_o5_verification_names_every_item_still_open(roles):
    """O-5: an order cannot move on while a check is open; the refusal names them."""
    order = dealer_order()
    clerk = staff(Role.CLERK)
    order_checks_confirm(actor=clerk, order=order, items=["product_name", "sku", "phone"])

    reasons = refusal(order, "verify", Role.CLERK)

    assert reasons.startswith("O-5")
    assert str(VerificationItem.COLOUR_CODE.label) in reasons
    assert str(VerificationItem.ADDRESS.label) in reasons
    assert str(VerificationItem.SKU.label) not in reasons
    assert order.step_log.filter(step="verify").count() == 0
    assert str(CHECKS_OPEN).split(":")[0] == "O-5"


def test_o57_no_payment_agreement_no_verification(roles):
    """O-57: with no agreed payment time and method the order does not go on."""
    order = dealer_order(payment_method="", payment_terms="")
    all_checks_confirmed(order, staff(Role.CLERK))

    assert str(NO_PAYMENT_AGREEMENT) in refusal(order, "verify", Role.CLERK)


def test_o4_account_manager_verifies_supermarket_orders_without_installation(roles):
    """O-4: the key-account manager verifies; the clerk is refused."""
    order = order_registered(
        CustomerFactory(kind="supermarket"), payment_terms=PaymentTerms.CONTRACT
    )
    all_checks_confirmed(order, staff(Role.ACCOUNT_MANAGER))

    reasons = refusal(order, "verify", Role.CLERK)
    order = order_step_complete(actor=staff(Role.ACCOUNT_MANAGER), order=order, step="verify")

    assert str(Role.ACCOUNT_MANAGER.label) in reasons
    assert order.step == "dispatch_advice"


def test_o49_dealer_order_without_installation_ships_only_after_payment(roles):
    """O-49: no payment, no finance signature, whatever the terms say."""
    order = advance_to(dealer_order(payment_terms=PaymentTerms.ON_DELIVERY), "receive_payment")

    reasons = refusal(order, "receive_payment", Role.FINANCE)

    assert reasons.startswith("O-49") and "1000.00" in reasons


def test_o52_a_walk_in_paying_on_delivery_is_refused_by_finance(roles):
    """O-52: pay-on-delivery counts only when a dealer confirms it; a walk-in pays first."""
    walk_in = CustomerFactory(kind=CustomerKind.RETAIL)
    order = order_registered(
        walk_in, needs_installation=True, payment_terms=PaymentTerms.ON_DELIVERY
    )
    order = advance_to(order, "finance_review")

    assert refusal(order, "finance_review", Role.FINANCE).startswith("O-52")


def test_o52_contract_terms_count_only_for_contract_channels():
    """O-52: a payment agreement covers supermarkets, decoration firms and projects."""
    from gendan.orders.guards import payment_covered
    from gendan.orders.models import Order

    unpaid = {"payment_terms": PaymentTerms.CONTRACT, "total": Decimal("100"), "paid": Decimal("0")}

    assert payment_covered(Order(channel=CustomerKind.RETAIL, **unpaid)) == [str(NO_CONTRACT_TERMS)]
    assert payment_covered(Order(channel=CustomerKind.SUPERMARKET, **unpaid)) == []


def test_o52_a_project_without_a_recorded_contract_has_no_terms_to_meet(roles):
    """O-52: "its terms are met" needs the contract on the order."""
    project = CustomerFactory(kind="project")
    order = order_registered(project, payment_terms=PaymentTerms.CONTRACT, contract=None)
    order = advance_to(order, "finance_review")

    assert str(NO_CONTRACT_RECORDED) in refusal(order, "finance_review", Role.FINANCE)


def test_o52_a_project_whose_contract_terms_are_met_is_signed(roles):
    """O-52: agreement present, nothing due yet: finance signs without full payment."""
    project = order_registered(CustomerFactory(kind="project"), payment_terms=PaymentTerms.CONTRACT)
    project = advance_to(project, "finance_review")

    project = order_step_complete(actor=staff(Role.FINANCE), order=project, step="finance_review")

    assert project.step == "ship"


def test_o51_dealer_order_with_installation_may_pay_on_delivery(roles):
    """O-51 and O-52: the dealer confirms the customer pays on delivery; finance may sign."""
    order = dealer_order(needs_installation=True, payment_terms=PaymentTerms.ON_DELIVERY)
    order = advance_to(order, "finance_review")

    order = order_step_complete(actor=staff(Role.FINANCE), order=order, step="finance_review")

    assert order.step == "ship"
    assert order.step_log.get(step="receive_payment").outcome == StepLog.Outcome.SKIPPED


def test_o19_the_ship_guard_wants_the_finance_signature(roles):
    """O-19: the warehouse ships only against a delivery note signed by finance."""
    from gendan.orders.guards import NOT_FINANCE_SIGNED, finance_signed

    order = dealer_order()

    assert finance_signed(order) == [str(NOT_FINANCE_SIGNED)]
    order = advance_to(order, "ship")
    assert finance_signed(order) == []


def test_o14_finance_refuses_prices_that_differ_from_the_list(roles):
    """O-14: prices match the price list of O-9, or the sales supervisor reviewed them."""
    dealer = DealerFactory()
    line = LineInput(product=listed_product("100"), quantity=Decimal("5"), unit_price=Decimal("90"))
    fields = {
        "customer": dealer, "payment_method": "cash", "payment_terms": PaymentTerms.PREPAY,
        "province": "广东省", "city": "广州市", "street": "天河路1号", "floor": 2,
        "contact_phone": "13800000000", "expected_delivery_on": DAY,
    }  # fmt: skip
    order = order_register(actor=staff(Role.CLERK), fields=fields, lines=[line], on=DAY)
    order = advance_to(order, "finance_review")

    reasons = refusal(order, "finance_review", Role.FINANCE)

    assert reasons.startswith("O-14") and "90" in reasons and "100" in reasons


def test_o22_finance_closes_only_a_paid_order(roles):
    """O-22: finance closes the order when paid."""
    market = CustomerFactory(kind="supermarket")
    order = order_registered(market, needs_installation=True, payment_terms=PaymentTerms.CONTRACT)
    order = advance_to(order, "agree_install")
    agreed = {"install_fee": "80", "install_on": "2026-12-01", "paid_to_supermarket": True}
    order = order_step_complete(
        actor=staff(Role.SERVICE), order=order, step="agree_install", data=agreed
    )
    order = advance_to(order, "close")

    reasons = refusal(order, "close", Role.FINANCE)
    paid_in_full(order)
    order = order_step_complete(actor=staff(Role.FINANCE), order=order, step="close")

    assert reasons.startswith("O-22") and order.step == "closed"


def test_o39_an_agreed_installation_fee_reaches_finance(roles):
    """O-39, O-47: service collects the fee agreed at measurement and hands it to finance."""
    order = dealer_order(needs_installation=True, payment_terms=PaymentTerms.ON_DELIVERY)
    order = advance_to(order, "install_fee_to_finance")

    reasons = refusal(order, "install_fee_to_finance", Role.FINANCE)

    assert reasons.startswith("O-39")


@pytest.mark.parametrize("role", [r for r in Role if r != Role.CLERK])
def test_every_other_role_is_refused_the_clerks_delivery_note(roles, role):
    order = advance_to(dealer_order(), "delivery_note")
    partner = order.partner if role in (Role.DEALER, Role.STORE_STAFF) else None
    if role == Role.PROMOTER:
        pytest.skip("a promoter belongs to a supermarket and never sees a dealer's order")
    signer = staff(role, partner=partner)

    with pytest.raises(StepRefused) as refused:
        order_step_complete(
            actor=signer,
            order=order,
            step="delivery_note",
            data=sample_record(ROUTES["dealer"].step("delivery_note")),
        )

    assert str(Role.CLERK.label) in refused.value.reasons[0]


def test_a_step_out_of_turn_is_refused(roles):
    order = dealer_order()

    with pytest.raises(StepRefused):
        order_step_complete(actor=staff(Role.FINANCE), order=order, step="finance_review")


def test_a_dealer_never_signs_another_dealers_order(roles):
    order = dealer_order(needs_installation=True)
    order = advance_to(order, "dealer_approve")
    stranger = staff(Role.DEALER, partner=DealerFactory())

    with pytest.raises(PermissionDenied):
        order_step_complete(actor=stranger, order=order, step="dealer_approve")


def test_o15_the_dealer_approves_the_profit_note(roles):
    """O-15: the profit note is the dealer's price; the dealer approves it."""
    order = advance_to(dealer_order(needs_installation=True), "dealer_approve")
    own_dealer = staff(Role.DEALER, partner=order.partner)

    order = order_step_complete(actor=own_dealer, order=order, step="dealer_approve")

    assert order.step_log.get(step="dealer_approve").actor == own_dealer


def test_o20_shipping_needs_the_name_of_who_signs_the_goods_out(roles):
    """O-20: the driver, carrier or collecting customer signs the warehouse's copy."""
    order = advance_to(dealer_order(), "ship")

    reasons = refusal(order, "ship", Role.WAREHOUSE)
    order = order_step_complete(
        actor=staff(Role.WAREHOUSE), order=order, step="ship", data={"signed_out_by": "王师傅"}
    )

    assert "Signed out by" in reasons or "出库" in reasons
    assert order.step_log.get(step="ship").data == {"signed_out_by": "王师傅"}


def test_o21_delivery_counts_only_with_the_customers_signature(roles):
    """O-21: unsigned is not delivered; the name of who signed is kept with the time."""
    order = advance_to(dealer_order(), "deliver")

    refusal(order, "deliver", Role.DRIVER)
    order = order_step_complete(
        actor=staff(Role.DRIVER), order=order, step="deliver", data={"received_by": "李业主"}
    )

    entry = order.step_log.get(step="deliver")
    assert entry.data == {"received_by": "李业主"} and entry.at is not None
    assert order.step == "note_returned"


def test_o41_the_delivery_note_carries_the_booked_delivery_time(roles):
    """O-41: the clerk books the customer and writes the booked time on the delivery note."""
    order = advance_to(dealer_order(), "delivery_note")

    reasons = refusal(order, "delivery_note", Role.CLERK)
    record = {
        "delivery_booked_for": "2026-11-28",
        "booked_with": "李业主",
        "payment_reconfirmed": True,
    }
    order = order_step_complete(
        actor=staff(Role.CLERK), order=order, step="delivery_note", data=record
    )

    assert "Delivery booked for" in reasons or "预约" in reasons
    assert order.signed["delivery_note"]["delivery_booked_for"] == "2026-11-28"


def test_o57_payment_is_confirmed_again_before_delivery(roles):
    """O-57: the clerk confirms payment time and method again before delivery."""
    order = advance_to(dealer_order(), "delivery_note")
    record = {"delivery_booked_for": "2026-11-28", "booked_with": "李业主"}

    with pytest.raises(StepRefused) as refused:
        order_step_complete(actor=staff(Role.CLERK), order=order, step="delivery_note", data=record)

    assert "O-57" in refused.value.reasons[0]


def test_o41_a_delivery_not_booked_three_days_ahead_is_marked_overdue(roles):
    """O-41: three days before the delivery date the booking must be on the note."""
    from gendan.orders.selectors import order_overdue_reason

    order = order_registered(DealerFactory(), expected_delivery_on=DAY + dt.timedelta(days=2))
    order = advance_to(order, "delivery_note")

    assert order_overdue_reason(order, today=DAY).startswith("O-41")
    assert order_overdue_reason(order, today=DAY - dt.timedelta(days=5)) == ""


def user_holding(role):
    """A user with one role, in memory: the role check needs nothing from the database."""
    from gendan.accounts.models import User

    user = User(username=f"only-{role}")
    user.__dict__["roles"] = frozenset({role})
    return user


ROUTE_STEPS = [(route.code, step) for route in ROUTES.values() for step in route.steps]


@pytest.mark.parametrize(
    ("route", "step"), ROUTE_STEPS, ids=[f"{r}-{s.code}" for r, s in ROUTE_STEPS]
)
def test_every_role_is_refused_every_step_that_is_not_its_own(route, step):
    """O-24 to O-29: each step is signed by its role and by no other."""
    from gendan.orders.models import Order
    from gendan.orders.services.steps import WRONG_ROLE, step_refusals

    order = Order(route=route, step=step.code, signed={})
    expected = [WRONG_ROLE % {"step": step.label, "role": step.role.label}]

    for role in Role:
        if role != step.role:
            assert step_refusals(order, step, user_holding(role), step.code) == expected, role


def test_o4_outside_south_china_the_clerk_verifies_supermarket_orders(roles):
    """O-4: only South-China supermarket orders without installation go to the
    key-account manager; the clerk verifies the others (e.g. Dongguan, with the promoter)."""
    dongguan = CustomerFactory(kind="supermarket", region="dongguan")
    order = order_registered(dongguan, payment_terms=PaymentTerms.CONTRACT)
    all_checks_confirmed(order, staff(Role.CLERK))

    order = order_step_complete(actor=staff(Role.CLERK), order=order, step="verify")

    assert order.route == "supermarket_clerk" and order.step == "dispatch_advice"
