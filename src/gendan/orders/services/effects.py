"""The outbox of orders/effects.py: a reaction is recorded with its step and run by the worker.

Recording is part of the step's transaction, so a signed step always has its reactions and a
refused one has none. The task worker claims each with a conditional update (as healthchecks
claims its flips), runs it in a transaction of its own and marks it done in that same
transaction; a failure is written down, retried with backoff, and never reaches the signer.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from gendan.accounts.models import User
from gendan.orders.audit_events import effect_retried_event
from gendan.orders.models import Effect, Order, StepLog

logger = logging.getLogger(__name__)
State = Effect.State

# The wait before each retry; after the last one the effect is failed and waits for an admin.
BACKOFF = (
    dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30),
    dt.timedelta(hours=2), dt.timedelta(hours=12),
)  # fmt: skip


def work_do(actions: Iterable[str], *, order: Order, actor: User, **context: object) -> None:
    """Another app's work, done in the caller's transaction (orders/effects.py: STEP_WORK,
    CHANGE_WORK, CANCEL_WORK, RETURN_WORK); what it raises refuses what called it.
    ``context``: what one kind of work needs besides the order (RETURN_WORK: the return and
    the warehouse's grading), passed on as keywords so each declaration says its own call."""
    for action in actions:
        import_string(action)(order=order, actor=actor, **context)


def effects_record(
    *,
    order: Order,
    actions: Iterable[str],
    step_log: StepLog | None = None,
    actor: User | None = None,
    reason: str = "",
) -> list[Effect]:
    """In the caller's transaction: the reactions to carry out, and the worker told once it
    commits. ``step_log`` is the signed step they follow (none for a change to the order)."""
    effects = effects_build(order=order, actions=actions, step_log=step_log, actor=actor,
                            reason=reason)  # fmt: skip
    if effects:
        Effect.objects.bulk_create(effects)
        effects_wake_on_commit()
    return effects


def effects_build(
    *,
    order: Order,
    actions: Iterable[str],
    step_log: StepLog | None = None,
    actor: User | None = None,
    reason: str = "",
) -> list[Effect]:
    """The reactions as rows not yet written (the step's own write inserts them on PostgreSQL)."""
    return [
        Effect(action=action, order=order, step_log=step_log, actor=actor, reason=reason)
        for action in actions
    ]


def effects_wake_on_commit(*, waiting: bool | None = None) -> None:
    """Wake the worker once the transaction commits: once per transaction, however many steps
    it signs (the demo closes hundreds). ``robust``: a task queue that is down must not turn
    a committed step into an error; the sweep (``effects_run``) picks the effects up.

    ``waiting``: what the caller found of a worker run not started yet, under a share lock
    that keeps the worker from claiming it before this commit (the step's write on
    PostgreSQL): True, that run will see this commit and no wake is needed; False, wake
    without looking again; None, look after the commit."""
    if waiting:
        return
    pending = transaction.get_connection().run_on_commit
    if not any(getattr(callback, "func", callback) is effects_wake for _s, callback, _r in pending):
        transaction.on_commit(partial(effects_wake, looked=waiting is False), robust=True)


def effects_wake(run_after: dt.datetime | None = None, *, looked: bool = False) -> None:
    """Ask the task worker to run the effects that are due (at ``run_after``, if given);
    ``looked``: the caller already knows no run is waiting."""
    from gendan.orders.tasks import effects_run_due  # tasks.py imports this module

    task = effects_run_due
    if run_after is None and not looked and wake_waiting(task):
        return
    if run_after is not None and task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue()


def wake_waiting(task: object) -> bool:
    """On the database queue: a run not started yet is already there, and will see what this
    transaction committed (every signature records an effect: one wake per step would double
    a step's cost when the worker is behind)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task.get_backend(), DatabaseBackend):
        return False
    return DBTaskResult.objects.ready().filter(task_path=task.module_path).exists()


def effects_due_run(*, now: dt.datetime | None = None) -> int:
    """The worker's part: run every effect that is due, each in its own transaction.
    Returns how many this worker ran (done or failed)."""
    now = now or timezone.now()
    due = Effect.objects.filter(state=State.PENDING, due_at__lte=now).order_by("due_at", "pk")
    return sum(effect_run(pk, now=now) for pk in list(due.values_list("pk", flat=True)))


def effect_run(pk: int, *, now: dt.datetime) -> bool:
    """Claim one effect and carry it out; False when another worker got there first."""
    with transaction.atomic():
        # The claim is a conditional update. A second worker's update waits for this
        # transaction, then finds the effect done or put off and changes nothing: no effect
        # runs twice. A worker that dies mid-way rolls its claim back with its work.
        claimed = Effect.objects.filter(pk=pk, state=State.PENDING, due_at__lte=now).update(
            attempts=F("attempts") + 1, attempted_at=timezone.now()
        )
        if not claimed:
            return False
        effect = Effect.objects.select_related("order", "step_log", "actor").get(pk=pk)
        try:
            with transaction.atomic():  # the reaction's own work, undone alone if it fails
                effect_call(effect)
        except Exception:  # whatever it is, it is written down and retried, never raised
            logger.exception("effect %s (%s) failed", pk, effect.action)
            effect_failed(effect, traceback.format_exc(), now=now)
        else:
            effect.state, effect.done_at = State.DONE, timezone.now()
            effect.save(update_fields=["state", "done_at"])
    return True


def effect_call(effect: Effect) -> None:
    """The reaction itself, with the arguments orders/effects.py promises it."""
    function = import_string(effect.action)
    if effect.step_log is not None:
        function(effect.order, effect.step_log)
    else:
        function(actor=effect.actor, order=effect.order, reason=effect.reason)


def effect_failed(effect: Effect, error: str, *, now: dt.datetime) -> None:
    """Put the effect off by the next wait of ``BACKOFF``, or fail it after the last one."""
    effect.last_error = error[-4000:]
    if effect.attempts > len(BACKOFF):
        effect.state = State.FAILED
    else:
        effect.due_at = now + BACKOFF[effect.attempts - 1]
        due_at = effect.due_at
        transaction.on_commit(lambda: effects_wake(run_after=due_at), robust=True)
    effect.save(update_fields=["last_error", "state", "due_at"])


@transaction.atomic
def effects_retry(*, actor: User, effects: Iterable[Effect]) -> int:
    """An admin puts waiting or failed effects back in line, to run now; each retry audited.
    Returns how many were put back (done ones are left alone)."""
    pks = [effect.pk for effect in effects]
    retried = 0
    for effect in Effect.objects.select_for_update().filter(pk__in=pks).exclude(state=State.DONE):
        before = effect.state
        effect.state, effect.due_at = State.PENDING, timezone.now()
        effect.save(update_fields=["state", "due_at"])
        changes = {"state": [before, effect.state], "action": effect.action}
        effect_retried_event(actor=actor, effect=effect, changes=changes)
        retried += 1
    if retried:
        effects_wake_on_commit()
    return retried
