"""E-mail where the customer has an address (O-43): "e-mail all" queues the day's messages for
the task worker, which sends each customer with an address its message once (Django's test
mail backend keeps what was sent) and records when."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.logistics.audit_events import CUSTOMER_EMAILED
from gendan.logistics.models import Drop
from gendan.logistics.services.calls import MAIL_OFF, calls_email
from gendan.logistics.tasks_calls import calls_mail_run
from gendan.logistics.tests.calls_helpers import day_of_drops, tomorrow
from gendan.orders.tests.helpers import staff


def worker_run() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def addresses_given(drops: dict[str, Drop]) -> tuple[str, str]:
    """The walk-in customer and the dealer's homeowner have addresses; the shopper has none."""
    walk_in = drops["on_delivery"].order.customer
    homeowner = drops["dealer"].order.end_customer
    walk_in.email, homeowner.email = "wang@example.com", "li@example.com"
    walk_in.save(), homeowner.save()
    return walk_in.email, homeowner.email


# The worker reads what the request committed: the test commits as the pages do.
@pytest.mark.django_db(transaction=True)
def test_email_all_goes_through_the_worker_to_customers_with_an_address_once(
    client, roles, settings
):
    """O-43: e-mail all sends the day's message, with its window and amount, only to the
    customers with an address, and only once however often it is asked."""
    # given a mail server, tomorrow's drops and two customers with an address
    settings.EMAIL_HOST = "mail.example.com"
    drops = day_of_drops()
    walk_in, homeowner = addresses_given(drops)
    keeper = staff(Role.WAREHOUSE)
    client.force_login(keeper)
    url = reverse("logistics-calls-email", kwargs={"day": tomorrow().isoformat()})
    # when the warehouse asks to e-mail all, and the worker runs
    page = client.post(url, follow=True).content.decode()
    assert "正在发送 2 封邮件。" in page and not mail.outbox
    worker_run()
    # then each customer with an address has its own message, in Chinese, with window and amount
    assert sorted(message.to[0] for message in mail.outbox) == sorted([walk_in, homeowner])
    first = next(message for message in mail.outbox if message.to == [walk_in])
    assert first.subject.startswith("广州竹韵地板有限公司：您的货物将于")
    assert "预计09:30至11:15之间到达" in first.body and "支付货款 700.00 元" in first.body
    # and the drops say when; the shopper without an address is not e-mailed
    emailed = set(Drop.objects.filter(emailed_at__isnull=False).values_list("pk", flat=True))
    assert emailed == {drops["on_delivery"].pk, drops["dealer"].pk}
    events = AuditEvent.objects.filter(action=CUSTOMER_EMAILED.code)
    assert {event.actor for event in events} == {keeper} and events.count() == 2
    # when it is asked again, and a queued run comes late
    again = client.post(url, follow=True).content.decode()
    calls_mail_run.enqueue(drops["on_delivery"].plan_id, keeper.pk)
    worker_run()
    # then nothing more is sent
    assert "当天没有待发邮件的客户" in again
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_email_all_is_refused_without_a_mail_server(roles, settings):
    """Without a mail server gendan says so, and nothing is queued or marked."""
    settings.EMAIL_HOST = ""
    drops = day_of_drops()
    addresses_given(drops)
    with pytest.raises(ValidationError) as refused:
        calls_email(actor=staff(Role.LOGISTICS), day=tomorrow())
    assert refused.value.messages == [str(MAIL_OFF)]
    assert not Drop.objects.filter(emailed_at__isnull=False).exists()
