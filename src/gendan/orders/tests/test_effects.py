"""Side effects never undo a signature (issue 11): the reactions of orders/effects.py are
recorded with their step, carried out by the task worker, and retried when they fail."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.audit.models import AuditEvent
from gendan.orders.audit_events import EFFECT_RETRIED
from gendan.orders.effects import ORDER_CHANGED, STEP_EFFECTS
from gendan.orders.models import Effect, Order
from gendan.orders.routes import CLOSE, CLOSED, ROUTES
from gendan.orders.services.effects import BACKOFF, effect_run, effects_due_run
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.tests.helpers import order_at_close, staff

pytestmark = pytest.mark.django_db
State = Effect.State

# A stand-in for the CRM feed: what it was given, whether it is down, whether it is slow.
fed: list[tuple[str, int]] = []
CRM = {"down": False, "slow": False, "started": threading.Event()}
FEED = f"{__name__}.crm_feed"


def crm_feed(order: Order, entry) -> None:
    CRM["started"].set()
    if CRM["slow"]:
        time.sleep(0.5)  # long enough for a second worker to try to claim it meanwhile
    if CRM["down"]:
        raise RuntimeError("the CRM is down")
    fed.append((entry.step, order.pk))


@pytest.fixture
def crm(monkeypatch, roles) -> dict:
    """Closing an order reacts with ``crm_feed``, as it does with the CRM's own feed."""
    fed.clear()
    monkeypatch.setitem(STEP_EFFECTS, CLOSE.code, (FEED,))
    # (the steps before the close tell their next signers: notifications/tests test that)
    monkeypatch.setattr("gendan.orders.services.steps.NEXT_STEP_EFFECTS", ())
    monkeypatch.setitem(CRM, "started", threading.Event())
    for key in ("down", "slow"):
        monkeypatch.setitem(CRM, key, False)
    return CRM


def closed(order: Order) -> Order:
    return order_step_complete(actor=staff(Role.FINANCE), order=order, step=CLOSE.code)


def test_a_signed_step_records_its_effect_and_the_worker_carries_it_out_once(
    crm, django_capture_on_commit_callbacks
):
    # given an order at finance's close, and a clerk's refused attempt to close it
    order = order_at_close()
    with pytest.raises(StepRefused):
        order_step_complete(actor=staff(Role.CLERK), order=order, step=CLOSE.code)
    assert not Effect.objects.exists()
    # when finance closes it
    with django_capture_on_commit_callbacks(execute=True):
        order = closed(order)
    # then the effect waits in the outbox, for the close, and the worker has been asked for
    effect = Effect.objects.get()
    assert (effect.action, effect.step_log.step, effect.state) == (FEED, "close", State.PENDING)
    assert fed == []
    assert DBTaskResult.objects.filter(task_path="gendan.orders.tasks.effects_run_due").exists()
    # when the worker runs, twice
    assert effects_due_run() == 1
    assert effects_due_run() == 0
    # then the effect ran once and is done
    effect.refresh_from_db()
    assert fed == [("close", order.pk)]
    assert (effect.state, effect.attempts, effect.last_error) == (State.DONE, 1, "")


def test_finance_closes_an_order_even_when_its_effect_fails(
    crm, client, django_capture_on_commit_callbacks
):
    """A failing effect neither undoes the signature nor shows the signer an error."""
    # given an order at finance's close, and the CRM down
    order = order_at_close()
    crm["down"] = True
    client.force_login(staff(Role.FINANCE))
    # when finance closes it on the page and the worker runs the effect
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("order-step", args=[order.pk, CLOSE.code]))
    effects_due_run()
    # then the order is closed and signed, and the failure is kept with its error
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.step == CLOSED and order.step_log.filter(step=CLOSE.code).exists()
    effect = Effect.objects.get()
    assert (effect.state, effect.attempts) == (State.PENDING, 1)
    assert "RuntimeError: the CRM is down" in effect.last_error
    assert abs(effect.due_at - effect.attempted_at - BACKOFF[0]) < dt.timedelta(seconds=5)


def test_a_failing_effect_is_retried_with_backoff_until_it_gives_up(crm):
    # given a closed order whose effect keeps failing
    crm["down"] = True
    closed(order_at_close())
    effect = Effect.objects.get()
    waits = []
    # when the worker runs at each time the effect is due (and just before)
    for attempt in range(1, len(BACKOFF) + 2):
        due = effect.due_at
        assert effects_due_run(now=due - dt.timedelta(seconds=1)) == 0  # not before its time
        assert effects_due_run(now=due) == 1
        effect.refresh_from_db()
        assert effect.attempts == attempt and "the CRM is down" in effect.last_error
        waits.append(effect.due_at - due)
    # then it waited 1 min, 5 min, 30 min, ... and then gave up, and nothing runs it again
    assert waits == [*BACKOFF, dt.timedelta(0)]
    assert effect.state == State.FAILED
    assert effects_due_run(now=timezone.now() + dt.timedelta(days=30)) == 0


def test_a_worker_that_comes_second_finds_the_effect_taken(crm):
    # given a closed order, its effect listed by two workers at the same time
    closed(order_at_close())
    effect, now = Effect.objects.get(), timezone.now()
    # when both claim it, one after the other
    first, second = effect_run(effect.pk, now=now), effect_run(effect.pk, now=now)
    # then only the first ran it: the second's conditional update found it done
    assert (first, second) == (True, False) and len(fed) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_time_run_an_effect_once(crm):
    """Two real connections on PostgreSQL: the second claim waits for the first worker's
    transaction, then finds the effect done."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; the claim is tested above")
    # given a closed order whose effect is slow to run
    crm["slow"] = True
    closed(order_at_close())
    effect = Effect.objects.get()
    claimed = {}

    def worker(name: str) -> None:
        try:
            claimed[name] = effect_run(effect.pk, now=timezone.now())
        finally:
            connections.close_all()

    # when a second worker claims it while the first is running it
    first = threading.Thread(target=worker, args=("first",))
    first.start()
    assert crm["started"].wait(10)
    second = threading.Thread(target=worker, args=("second",))
    second.start()
    first.join(10), second.join(10)
    # then it ran once
    assert claimed == {"first": True, "second": False}
    assert len(fed) == 1 and Effect.objects.get().state == State.DONE


def test_an_admin_sees_a_failed_effect_with_its_error_and_retries_it(crm, client):
    # given an effect that failed for good
    crm["down"] = True
    order = closed(order_at_close())
    effect = Effect.objects.get()
    while effect.state != State.FAILED:
        effects_due_run(now=effect.due_at)
        effect.refresh_from_db()
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    # when the admin looks at the failed effects
    listing = reverse("admin:orders_effect_changelist")
    page = client.get(listing, {"state": State.FAILED}).content.decode()
    # then it is there with its error
    assert order.number in page and "RuntimeError: the CRM is down" in page
    # when the CRM is back and the admin retries it
    crm["down"] = False
    response = client.post(listing, {"action": "retry", "_selected_action": [effect.pk]})
    # then it waits to run now, the retry is in the audit log, and the worker runs it
    assert response.status_code == 302
    effect.refresh_from_db()
    assert effect.state == State.PENDING and effect.due_at <= timezone.now()
    audit = AuditEvent.objects.get(action=EFFECT_RETRIED)
    assert (audit.actor, audit.target_id) == (admin, str(effect.pk))
    assert effects_due_run() == 1
    effect.refresh_from_db()
    assert effect.state == State.DONE and fed == [("close", order.pk)]


def test_the_sweep_runs_what_a_lost_task_left_due(crm, capsys):
    """``gendan manage effects_run``, on a timer, behind the task worker."""
    # given a closed order whose task never reached a worker
    order = closed(order_at_close())
    # when the timer runs the sweep
    call_command("effects_run")
    # then the effect ran
    assert fed == [("close", order.pk)] and Effect.objects.get().state == State.DONE
    assert capsys.readouterr().out.startswith("1 effects run")


def test_every_declared_reaction_is_a_function_of_a_step_that_exists():
    steps = {step.code for route in ROUTES.values() for step in route.steps}
    assert set(STEP_EFFECTS) <= steps
    for action in [*ORDER_CHANGED, *(a for actions in STEP_EFFECTS.values() for a in actions)]:
        assert callable(import_string(action)), action
