"""Every route walked end to end through the transition service (O-24 to O-30)."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import PARTNER_ROLES, Role
from gendan.orders.models import ChannelRoute, PaymentTerms, StepLog
from gendan.orders.routes import CLOSED, ROUTES
from gendan.orders.services.steps import order_step_complete
from gendan.orders.simulate import order_walk, sample_record
from gendan.orders.tests.helpers import (
    all_checks_confirmed,
    scenario,
    staff,
)
from gendan.parties.models import CustomerKind

pytestmark = pytest.mark.django_db
BOOKED = sample_record(ROUTES["dealer"].step("delivery_note"))


def walk(order) -> list[tuple[str, str]]:
    """Sign each step as its role until the order closes; return the step log."""
    signers = {role: staff(role) for role in Role if role not in PARTNER_ROLES}
    signers[Role.DEALER] = staff(Role.DEALER, partner=order.partner) if order.partner else None
    order = order_walk(order, signers)
    assert order.step == CLOSED and order.closed_at is not None
    return list(order.step_log.order_by("at", "pk").values_list("step", "outcome"))


ROUTE_TABLE = [
    # (rule, order, route, steps skipped)
    ("O-24", dict(channel="supermarket", terms=PaymentTerms.CONTRACT), "supermarket",
     {"vp_approve"}),
    ("O-4", dict(channel="supermarket", terms=PaymentTerms.CONTRACT, region="dongguan"),
     "supermarket_clerk", {"vp_approve"}),
    ("O-25", dict(channel="supermarket", install=True, terms=PaymentTerms.CONTRACT),
     "supermarket_install", {"supervisor_review", "vp_approve"}),
    ("O-26", dict(channel="dealer"), "dealer", {"supervisor_review", "vp_approve"}),
    ("O-26", dict(channel="dealer", self_pickup=True), "dealer",
     {"supervisor_review", "vp_approve", "deliver", "note_returned"}),
    ("O-27", dict(channel="dealer", install=True, terms=PaymentTerms.ON_DELIVERY),
     "dealer_install", {"supervisor_review", "vp_approve", "receive_payment"}),
    ("O-27", dict(channel="dealer", install=True, is_special=True), "dealer_install", set()),
    ("O-28", dict(channel="project", install=True, terms=PaymentTerms.CONTRACT),
     "project_install", {"vp_approve"}),
    ("O-29", dict(channel="project", terms=PaymentTerms.CONTRACT), "project", {"vp_approve"}),
    ("O-30", dict(channel="decorator", terms=PaymentTerms.CONTRACT), "project", {"vp_approve"}),
    ("O-30", dict(channel="retail", install=True), "dealer_install",
     {"supervisor_review", "send_profit_note", "dealer_approve", "vp_approve"}),
    ("O-30", dict(channel="group_buy"), "dealer", {"supervisor_review", "vp_approve"}),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "case", "route", "skipped"), ROUTE_TABLE)
def test_o24_to_o30_every_route_walks_from_registration_to_close_out(
    roles, rule, case, route, skipped
):
    """O-24 to O-30: each kind of order takes its route and every step is signed by its role."""
    # given
    order = scenario(**case)
    # when
    log = walk(order)
    # then
    assert order.route == route, rule
    route_codes = [step.code for step in ROUTES[route].steps]
    assert [code for code, _outcome in log] == route_codes
    assert {code for code, outcome in log if outcome == "skipped"} == skipped
    signers = StepLog.objects.filter(order=order, outcome="done").exclude(step="register")
    for entry in signers.select_related("actor"):
        assert entry.actor.has_role(ROUTES[route].step(entry.step).role), entry.step


def test_o30_the_route_of_a_channel_is_configuration(roles):
    """O-30: which route decoration firms follow is set in a table, not in code."""
    ChannelRoute.objects.filter(channel="decorator", with_installation=False).update(route="dealer")

    order = scenario(channel="decorator", terms=PaymentTerms.CONTRACT)

    assert order.route == "dealer"


def test_o13_an_unusual_order_goes_to_the_sales_supervisor(roles):
    """O-13: the supervisor reviews what verification found unusual."""
    order = scenario(channel="dealer")
    all_checks_confirmed(order, staff(Role.CLERK))

    order = order_step_complete(
        actor=staff(Role.CLERK), order=order, step="verify", data={"unusual": True}
    )
    order = order_step_complete(
        actor=staff(Role.CLERK), order=order, step="delivery_note", data=BOOKED
    )

    assert order.step == "supervisor_review"


def test_o16_a_special_order_waits_for_the_vp_of_sales(roles):
    """O-16: special orders need the VP of sales."""
    order = scenario(channel="supermarket", terms=PaymentTerms.CONTRACT, is_special=True)
    manager = staff(Role.ACCOUNT_MANAGER)
    all_checks_confirmed(order, manager)
    for step in ("verify", "dispatch_advice"):
        order = order_step_complete(actor=manager, order=order, step=step)
    order = order_step_complete(
        actor=staff(Role.CLERK), order=order, step="delivery_note", data=BOOKED
    )

    assert order.step == "vp_approve"
    assert CustomerKind(order.channel) == CustomerKind.SUPERMARKET


def test_o30_payment_terms_can_pick_the_route(roles):
    """O-30: by installation and payment terms: a decoration firm without a standing
    agreement (paying before dispatch) can follow the dealer's route."""
    ChannelRoute.objects.create(
        channel="decorator", with_installation=False, payment_terms="prepay", route="dealer"
    )

    with_agreement = scenario(channel="decorator", terms=PaymentTerms.CONTRACT)
    paying_first = scenario(channel="decorator", terms=PaymentTerms.PREPAY)

    assert (with_agreement.route, paying_first.route) == ("project", "dealer")
