"""O-17: supermarkets and decoration firms with a standing agreement pay per contract and skip
the payment step; dealers (and a decoration firm without an agreement) pay per the policy."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.guards import NO_CONTRACT_RECORDED
from gendan.orders.models import ChannelRoute, PaymentTerms
from gendan.orders.routes import FINANCE_REVIEW, RECEIVE_PAYMENT, ROUTES, SHIP
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("channel", ["supermarket", "decorator"])
def test_o17_a_supermarket_and_a_decoration_firm_with_an_agreement_skip_the_payment_step(
    roles, channel
):
    """O-17: the order goes from registration to the warehouse with nothing paid: its route
    has no payment step, and finance signs the delivery note on the standing agreement."""
    # given an order on the standing agreement (a decoration firm's: its contract recorded)
    order = scenario(channel, terms=PaymentTerms.CONTRACT)
    assert channel == "supermarket" or order.contract_id is not None
    # when each step is signed by its role up to shipping
    order = walked_to(order, SHIP.code)
    # then
    steps = [entry.step for entry in order.step_log.all()]
    assert RECEIVE_PAYMENT.code not in steps
    assert not ROUTES[order.route].has(RECEIVE_PAYMENT.code)
    assert FINANCE_REVIEW.code in order.signed
    assert (order.paid, order.receipts.count()) == (Decimal("0"), 0)


def test_o17_a_dealers_order_waits_at_the_payment_step_until_it_is_paid(roles):
    """O-17, O-49: a dealer without installation pays first: finance cannot sign the payment
    step of an unpaid order."""
    # given
    order = walked_to(scenario("dealer"), RECEIVE_PAYMENT.code)
    # when, then
    with pytest.raises(StepRefused) as refused:
        order_step_complete(actor=staff(Role.FINANCE), order=order, step=RECEIVE_PAYMENT.code)
    assert refused.value.reasons[0].startswith("O-49")


def test_o17_a_decoration_firm_without_a_recorded_agreement_is_not_signed_unpaid(roles):
    """O-17, O-52: "with a standing agreement": without the contract on the order, finance's
    signature is refused for want of terms to meet."""
    # given
    order = walked_to(
        scenario("decorator", terms=PaymentTerms.CONTRACT, contract=None), FINANCE_REVIEW.code
    )
    # when, then
    with pytest.raises(StepRefused) as refused:
        order_step_complete(actor=staff(Role.FINANCE), order=order, step=FINANCE_REVIEW.code)
    assert str(NO_CONTRACT_RECORDED) in refused.value.reasons


def test_o17_a_decoration_firm_paying_first_takes_the_payment_step(roles):
    """O-17, O-30: a decoration firm without a standing agreement, routed by its terms to the
    dealer's route, has the payment step."""
    # given
    ChannelRoute.objects.create(
        channel="decorator", with_installation=False, payment_terms="prepay", route="dealer"
    )
    # when
    order = walked_to(scenario("decorator", terms=PaymentTerms.PREPAY), RECEIVE_PAYMENT.code)
    # then
    assert order.step == RECEIVE_PAYMENT.code
