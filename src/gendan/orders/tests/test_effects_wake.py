"""On PostgreSQL a step's one write also records its effects and looks, under a share lock,
for a run of the worker that has not started: that run cannot be claimed before the step
commits, so it sees the step's effects and no second run is queued."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gendan.accounts.roles import Role
from gendan.orders.models import Effect
from gendan.orders.services.effects import effects_wake
from gendan.orders.services.steps import order_step_complete
from gendan.orders.tests.helpers import all_checks_confirmed, scenario, staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]
RUNS = DBTaskResult.objects.filter(task_path="gendan.orders.tasks.effects_run_due")


def claimable_elsewhere() -> list[object]:
    """What the worker's claim (FOR UPDATE SKIP LOCKED) finds, from another connection."""
    found: list[object] = []

    def claim() -> None:
        try:
            with transaction.atomic():
                found.append(DBTaskResult.objects.ready().get_locked())
        finally:
            connection.close()

    thread = threading.Thread(target=claim)
    thread.start()
    thread.join(timeout=30)
    return found


def test_a_waiting_run_is_held_for_the_step_and_sees_its_effects(roles):
    # given a dealer's order at verification and a run of the worker waiting
    order = scenario("dealer")
    clerk = staff(Role.CLERK)
    all_checks_confirmed(order, clerk)
    RUNS.delete()
    effects_wake()
    # when the clerk signs, and the worker tries to claim the run before the commit
    with transaction.atomic():
        order_step_complete(actor=clerk, order=order, step="verify")
        during = claimable_elsewhere()
        effects = list(Effect.objects.filter(step_log__order=order, step_log__step="verify"))
    # then the worker could not claim it, the effects point at the signature, and the one
    # run still waits for them (no second one queued)
    assert during == [None]
    assert effects and all(effect.step_log.step == "verify" for effect in effects)
    assert RUNS.filter(status=TaskResultStatus.READY).count() == 1
    assert claimable_elsewhere()[0] is not None


def test_with_no_run_waiting_the_step_queues_one_after_its_commit(roles):
    # given a dealer's order at verification and no run of the worker waiting
    order = scenario("dealer")
    clerk = staff(Role.CLERK)
    all_checks_confirmed(order, clerk)
    RUNS.delete()
    # when the clerk signs
    order_step_complete(actor=clerk, order=order, step="verify")
    # then one run waits for the step's effects
    assert RUNS.filter(status=TaskResultStatus.READY).count() == 1
