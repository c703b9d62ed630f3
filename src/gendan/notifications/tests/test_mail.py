"""By e-mail when configured: a short mail in the site's language (Chinese) with the order, the
step and a link, sent through a real SMTP server on loopback (aiosmtpd); a mail server that is
down delays the mail only, which the outbox retries."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from gendan.accounts.roles import Role
from gendan.notifications.models import Notification
from gendan.notifications.services import MAIL
from gendan.notifications.tests.helpers import signed_once, walked_to
from gendan.orders.models import Effect
from gendan.orders.services.effects import effects_due_run
from gendan.orders.services.send_back import order_step_send_back
from gendan.orders.tests.helpers import scenario, staff
from gendan.orders.tests.test_dealer_approval import REASON, at_dealer_approval, dealer_of

pytestmark = pytest.mark.django_db


class Inbox:
    """What the SMTP server received: one parsed message per delivery."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address: str, options) -> str:
        if address in self.refused:
            return "550 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.recipients.append(list(envelope.rcpt_tos))
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port(settings) -> int:
    """Django's SMTP backend pointed at a port on loopback (nothing listens there yet)."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.GENDAN_BASE_URL = "https://gendan.example.com/"
    return port


def smtp_server(port: int) -> Controller:
    controller = Controller(Inbox(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def inbox(smtp_port) -> Iterator[Inbox]:
    """A real SMTP server (aiosmtpd) listening on that port."""
    controller = smtp_server(smtp_port)
    yield controller.handler
    controller.stop()


@pytest.fixture
def at_finance_review(roles):
    """A dealer's order at finance's review, the earlier steps' notifications carried out."""
    order = walked_to(scenario("dealer"), "finance_review")
    effects_due_run(), effects_due_run()
    Notification.objects.all().delete()
    return order


def test_the_next_signer_gets_a_short_chinese_mail_with_a_link(inbox, at_finance_review):
    # given a warehouse user with an e-mail address, and one without
    keeper = staff(Role.WAREHOUSE, "keeper", email="cang@example.com", name="仓管老周")
    staff(Role.WAREHOUSE, "keeper-no-mail")
    # when finance signs the review and the worker runs what follows (the notifications, then
    # the mail, recorded by them)
    signed_once(at_finance_review)
    effects_due_run(), effects_due_run()
    # then one mail reached the server, for the keeper, naming the order, the step and a link
    assert inbox.recipients == [["cang@example.com"]]
    message = inbox.messages[0]
    notification = Notification.objects.get(recipient=keeper)
    number = at_finance_review.number
    assert message["To"] == "cang@example.com"
    # (Django folds a long encoded subject onto the next line: the parsed value starts blank)
    assert (
        message["Subject"].strip()
        == f"订单 {number} 等您处理：仓库发货，司机、物流公司或客户签字出库"
    )
    body = message.get_content()
    assert body.startswith("仓管老周，您好：") and f"订单 {number}" in body
    assert f"https://gendan.example.com/notifications/{notification.pk}/" in body
    # and the notification is marked mailed; the one without an address is in the page only
    assert notification.emailed_at is not None
    assert Notification.objects.get(recipient__username="keeper-no-mail").emailed_at is None


def test_a_mail_server_that_is_down_delays_the_mail_alone_until_the_retry(
    smtp_port, at_finance_review
):
    # given a warehouse user with an address, and no mail server listening yet
    keeper = staff(Role.WAREHOUSE, "keeper", email="cang@example.com")
    # when finance signs and the worker runs the effects
    signed_once(at_finance_review)
    effects_due_run(), effects_due_run()
    # then the keeper is told in the page, and the mail waits for its retry with the error
    notification = Notification.objects.get(recipient=keeper)
    assert notification.emailed_at is None
    mail = Effect.objects.get(action=MAIL)
    assert mail.state == Effect.State.PENDING and "ConnectionRefusedError" in mail.last_error
    # when the server is up at the retry
    controller = smtp_server(smtp_port)
    try:
        effects_due_run(now=mail.due_at)
    finally:
        controller.stop()
    # then the mail is sent, once
    assert controller.handler.recipients == [["cang@example.com"]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert Notification.objects.filter(recipient=keeper).count() == 1


def test_without_a_mail_server_nothing_is_mailed(settings, at_finance_review):
    # given no mail server set (the default), and a keeper with an address
    settings.EMAIL_HOST = ""
    staff(Role.WAREHOUSE, "keeper", email="cang@example.com")
    # when finance signs and the worker runs the effects
    signed_once(at_finance_review)
    effects_due_run()
    # then the keeper is told in the page, and no mail is even queued
    assert Notification.objects.filter(recipient__email="cang@example.com").exists()
    assert not Effect.objects.filter(action=MAIL).exists()


def test_an_address_the_server_refuses_is_left_and_the_others_are_mailed(inbox, at_finance_review):
    # given two warehouse users with addresses, one of which the server refuses
    staff(Role.WAREHOUSE, "keeper", email="cang@example.com")
    gone = staff(Role.WAREHOUSE, "keeper-gone", email="gone@example.com")
    inbox.refused.add("gone@example.com")
    # when finance signs and the worker runs the effects
    signed_once(at_finance_review)
    effects_due_run(), effects_due_run()
    # then the other got the mail, the mail effect is done (a refused address is not retried)
    # and the refused one is told in the page only
    assert inbox.recipients == [["cang@example.com"]]
    assert Effect.objects.get(action=MAIL).state == Effect.State.DONE
    assert Notification.objects.get(recipient=gone).emailed_at is None


def test_a_step_sent_back_is_mailed_with_who_and_why(roles, inbox):
    # given a dealer's order at the dealer's approval, and a clerk with an address
    order = at_dealer_approval()
    effects_due_run(), effects_due_run()
    staff(Role.CLERK, "clerk-mail", email="wen@example.com")
    dealer = dealer_of(order)
    # when the dealer sends it back and the worker runs the effects
    order_step_send_back(actor=dealer, order=order, step="dealer_approve", reason=REASON)
    effects_due_run(), effects_due_run()
    # then the clerk's mail says who sent what back, and why
    body = inbox.messages[-1].get_content()
    assert inbox.recipients[-1] == ["wen@example.com"]
    assert f"{dealer.display_name} 于" in body
    assert f"退回了“经销商审核利润单”，原因：{REASON}" in body
