"""Notifications come from the step effects, after the signature commits, never inside it: a
failing notifier neither undoes the signature nor loses the notification (it is retried)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gendan.accounts.roles import Role
from gendan.notifications.models import Notification
from gendan.notifications.tests.helpers import walked_to
from gendan.orders.effects import NEXT_STEP_EFFECTS
from gendan.orders.models import Effect
from gendan.orders.services.effects import effects_due_run, effects_wake
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db
NOTIFY = NEXT_STEP_EFFECTS[0]


@pytest.fixture
def at_finance_review(roles):
    """A dealer's order at finance's review, what the earlier steps told already carried out."""
    order = walked_to(scenario("dealer"), "finance_review")
    effects_due_run()
    Notification.objects.all().delete()
    return order


def test_the_signature_only_records_the_notification_the_worker_writes_it_after(
    at_finance_review, client
):
    # given the order at finance's review, and the warehouse, who ships next
    warehouse = staff(Role.WAREHOUSE)
    client.force_login(staff(Role.FINANCE))
    # when finance signs it on the page
    response = client.post(reverse("order-step", args=[at_finance_review.pk, "finance_review"]))
    # then, once the signature is done, nobody has been told yet: the telling waits in the outbox
    assert response.status_code == 302
    assert not Notification.objects.exists()
    effect = Effect.objects.get(action=NOTIFY, step_log__step="finance_review")
    assert effect.state == Effect.State.PENDING
    # when the worker runs it
    effects_due_run()
    # then the warehouse is told the order waits for shipping
    notification = Notification.objects.get()
    assert (notification.recipient, notification.step) == (warehouse, "ship")


def test_a_failing_notifier_leaves_the_signature_and_is_retried(
    at_finance_review, client, monkeypatch
):
    # given the order at finance's review, and the notifier failing
    def broken(**kwargs: object) -> None:
        raise RuntimeError("notifications are down")

    monkeypatch.setattr("gendan.notifications.services.step_signers", broken)
    staff(Role.WAREHOUSE)
    client.force_login(staff(Role.FINANCE))
    # when finance signs and the worker runs the effect
    response = client.post(reverse("order-step", args=[at_finance_review.pk, "finance_review"]))
    effects_due_run()
    # then the signature stands, nobody is told yet, and the effect waits with its error
    assert response.status_code == 302
    at_finance_review.refresh_from_db()
    assert at_finance_review.step == "ship"
    assert at_finance_review.step_log.filter(step="finance_review").exists()
    assert not Notification.objects.exists()
    effect = Effect.objects.get(action=NOTIFY, step_log__step="finance_review")
    assert effect.state == Effect.State.PENDING and "notifications are down" in effect.last_error
    # when the notifier is back and the retry is due
    monkeypatch.undo()
    effects_due_run(now=effect.due_at)
    # then the warehouse is told
    assert Notification.objects.get().step == "ship"


def test_signatures_while_the_worker_is_away_wake_it_once(roles):
    """Every signature now records an effect: on the database queue, a run that has not
    started yet is not queued twice (it will see them all); one that has started is."""
    # given no run of the effects queued
    runs = DBTaskResult.objects.filter(task_path="gendan.orders.tasks.effects_run_due")
    runs.delete()
    # when two signatures commit while the worker is away
    effects_wake(), effects_wake()
    # then one run waits
    assert runs.count() == 1
    # when the worker has started it and another signature commits
    runs.update(status=TaskResultStatus.RUNNING)
    effects_wake()
    # then a second run waits, for what the first may have missed
    assert runs.filter(status=TaskResultStatus.READY).count() == 1
