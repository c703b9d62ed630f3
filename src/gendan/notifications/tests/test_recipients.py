"""The person whose step comes next is told: the users of the step's role, and for a dealer's or
a supermarket's step only the users of the order's own partner (issue 12, point 13)."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.utils.module_loading import import_string

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.notifications.models import Notification
from gendan.notifications.tests.helpers import signed_once, signers_for, walked_to
from gendan.orders.effects import NEXT_STEP_EFFECTS
from gendan.orders.models import Order, PaymentMethod, PaymentTerms
from gendan.orders.services.cancel import order_cancel
from gendan.orders.services.effects import effects_due_run
from gendan.orders.services.registration import LineInput, order_register
from gendan.orders.services.send_back import order_step_send_back
from gendan.orders.services.steps import order_step_complete
from gendan.orders.tests.helpers import (
    DAY,
    all_checks_confirmed,
    listed_product,
    order_at_close,
    scenario,
    staff,
)
from gendan.orders.tests.test_dealer_approval import REASON, at_dealer_approval, dealer_of
from gendan.parties.tests.factories import DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db


def told(order) -> set[str]:
    return set(
        Notification.objects.filter(order=order).values_list("recipient__username", flat=True)
    )


def test_the_step_after_the_signed_one_tells_the_users_of_its_role(roles):
    """A dealer's order: the clerk signs the delivery note, the reviews it does not need are
    skipped, and finance, who receives the payment next, is told; nobody else."""
    # given a dealer's order at the delivery note, two finance users, a clerk and a driver
    order = walked_to(scenario("dealer"), "delivery_note")
    effects_due_run()  # what the steps before told
    Notification.objects.all().delete()
    finance = [staff(Role.FINANCE), staff(Role.FINANCE, "finance-b")]
    staff(Role.DRIVER), staff(Role.CLERK, "another-clerk")
    UserFactory(username="finance-left", roles=[Role.FINANCE], is_active=False)
    # when the clerk signs it and the worker runs the effects
    order = signed_once(order)
    assert order.step == "receive_payment"
    effects_due_run()
    # then the active finance users are told the order waits at "receive the payment"
    assert told(order) == {user.username for user in finance}
    assert set(Notification.objects.values_list("step", flat=True)) == {"receive_payment"}


def test_the_signer_is_not_told_of_the_step_they_sign_next_themselves(roles):
    # given a dealer's order at verification, and a second clerk
    order = scenario("dealer")
    clerk = staff(Role.CLERK)
    staff(Role.CLERK, "second-clerk")
    all_checks_confirmed(order, clerk)
    # when the clerk verifies it (the delivery note is the clerk's next)
    order = order_step_complete(actor=clerk, order=order, step="verify")
    effects_due_run()
    # then only the other clerk is told
    assert order.step == "delivery_note" and told(order) == {"second-clerk"}


def test_a_dealers_step_is_told_to_that_dealers_users_only(roles):
    """Never a user of another dealer, nor of the dealer's staff in another role."""
    # given a dealer's order with installation at the clerk's sending of the profit note
    order = scenario("dealer", install=True)
    own = UserFactory(username="own-dealer", roles=[Role.DEALER], partner=order.partner)
    signers = signers_for(order, dealer=own)
    order = walked_to(order, "send_profit_note", signers)
    effects_due_run()
    Notification.objects.all().delete()
    UserFactory(username="own-store", roles=[Role.STORE_STAFF], partner=order.partner)
    UserFactory(username="other-dealer", roles=[Role.DEALER], partner=DealerFactory())
    UserFactory(username="staff-dealer-role", roles=[Role.DEALER])  # no partner: no dealer
    # when the clerk sends it and the worker runs the effects
    order = signed_once(order, signers)
    effects_due_run()
    # then the order waits for the dealer's approval, and only its own dealer's user is told
    assert order.step == "dealer_approve" and told(order) == {"own-dealer"}


def test_an_order_that_moved_on_before_the_worker_ran_tells_only_its_last_step(roles):
    """A worker that runs late tells no one of a step that is already signed."""
    # given a dealer's order verified and its delivery note signed before the worker ran
    walked_to(scenario("dealer"), "receive_payment")
    # when the worker runs every effect of those signatures
    effects_due_run()
    # then each person is told of the step the order waits at now, and of no earlier one
    assert set(Notification.objects.values_list("step", flat=True)) == {"receive_payment"}


def test_a_closed_order_tells_no_one(roles):
    # given an order at finance's close
    order = order_at_close()
    effects_due_run()
    before = Notification.objects.count()
    # when finance closes it
    order_step_complete(actor=staff(Role.FINANCE), order=order, step="close")
    effects_due_run()
    # then nobody is told anything more: there is no next step
    assert Notification.objects.count() == before


def test_the_next_step_reactions_are_functions():
    assert NEXT_STEP_EFFECTS and all(callable(import_string(a)) for a in NEXT_STEP_EFFECTS)


def test_once_one_of_those_told_signs_the_step_it_leaves_the_others_unread(roles, client):
    """Two finance users are told; one receives the payment: the other's notification is no
    longer unread, and the list says the order has moved on."""
    # given a dealer's order waiting for finance, both finance users told
    order = walked_to(scenario("dealer"), "receive_payment")
    other = staff(Role.FINANCE, "finance-b")
    effects_due_run()
    assert Notification.objects.get(recipient=other).read_at is None
    # when the first finance user signs and the worker runs the effects
    order = signed_once(order)
    effects_due_run()
    # then the other's notification of that step is settled (only the next step, finance's
    # review, is unread), and the list shows that the order has moved on
    unread = Notification.objects.filter(recipient=other, read_at__isnull=True)
    assert order.step == "finance_review"
    assert list(unread.values_list("step", flat=True)) == ["finance_review"]
    client.force_login(other)
    page = client.get("/en/notifications/").content.decode()
    assert page.count("signed already") == 1 and 'aria-label="1 unread"' in page


def test_a_step_sent_back_tells_who_signs_it_again_with_the_reason(roles, client):
    """O-15: the dealer sends the profit note back; the clerk, whose note step the order returns
    to, is told who sent it back and why, and the dealer's own notification of it is settled."""
    # given a dealer's order at the dealer's approval, the dealer told of it
    order = at_dealer_approval()
    dealer = dealer_of(order)
    effects_due_run()
    assert Notification.objects.filter(recipient=dealer, read_at__isnull=True).exists()
    # when the dealer sends it back with a reason and the worker runs the effects
    order = order_step_send_back(actor=dealer, order=order, step="dealer_approve", reason=REASON)
    effects_due_run()
    # then the clerk is told of the step it came back to, with the reason, in the list
    clerk = staff(Role.CLERK)
    notification = Notification.objects.get(recipient=clerk, step=order.step)
    assert order.step == "delivery_note" and notification.sent_back
    client.force_login(clerk)
    page = html.unescape(client.get("/en/notifications/").content.decode())
    assert f"{dealer.display_name} sent “Dealer approves the profit note” back: {REASON}" in page
    # and the dealer's notification of the approval is no longer unread
    assert not Notification.objects.filter(recipient=dealer, read_at__isnull=True).exists()


def test_a_cancelled_order_leaves_the_bells(roles):
    # given a dealer's order at its delivery note, another clerk told of it
    other = staff(Role.CLERK, "second-clerk")
    order = signed_once(scenario("dealer"))
    effects_due_run()
    told_clerk = Notification.objects.get(recipient=other, read_at__isnull=True)
    # when the clerk cancels it and the worker runs the effects
    order_cancel(actor=staff(Role.CLERK), order=order, reason="录重了")
    effects_due_run()
    # then the notification is no longer unread: it is nobody's turn on that order
    told_clerk.refresh_from_db()
    assert told_clerk.read_at is not None


def registered_by(actor, dealer) -> Order:
    fields = {
        "customer": dealer, "end_customer": HomeownerFactory(via=dealer),
        "payment_method": PaymentMethod.BANK_TRANSFER, "payment_terms": PaymentTerms.PREPAY,
        "province": "广东省", "city": "广州市", "street": "天河路1号", "floor": 8,
        "contact_phone": "13800000000", "expected_delivery_on": DAY + dt.timedelta(days=7),
    }  # fmt: skip
    lines = [LineInput(product=listed_product(), quantity=Decimal("10"), unit_price=Decimal("100"))]
    return order_register(actor=actor, fields=fields, lines=lines, on=DAY)


def test_an_order_a_dealer_registers_tells_the_clerks_who_verify_it(roles):
    # given a dealer's user, and a clerk
    dealer = DealerFactory()
    dealer_user = UserFactory(roles=[Role.DEALER], partner=dealer)
    clerk = staff(Role.CLERK)
    # when the dealer's user registers an order, and a clerk registers another
    order = registered_by(dealer_user, dealer)
    registered_by(clerk, dealer)
    effects_due_run()
    # then the clerk is told of the dealer's order, waiting for verification; not of its own
    notification = Notification.objects.get(recipient=clerk)
    assert (notification.order, notification.step) == (order, "verify")
