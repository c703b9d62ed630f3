"""Moving an order along its route: ``order_step_complete`` is the only code that does it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders import guards
from gendan.orders.effects import NEXT_STEP_EFFECTS, SIGNED_AGAIN, STEP_EFFECTS, STEP_WORK
from gendan.orders.models import (
    Effect,
    Order,
    StepLog,
)
from gendan.orders.records import record_clean
from gendan.orders.routes import CANCELLED, CLOSED, ROUTES, Step
from gendan.orders.services.effects import (
    effects_build,
    effects_record,
    effects_wake_on_commit,
    work_do,
)

NOT_CURRENT_STEP = _("This order is at “%(current)s”, not at “%(step)s”.")
WRONG_ROLE = _("“%(step)s” is signed by the %(role)s.")
ORDER_CLOSED = _("This order is closed.")
ORDER_CANCELLED = _("This order is cancelled: nothing more is signed, changed or paid on it.")


# What the transition service and the guards read of an order: fetching only these keeps
# the locked read of every step cheap (an order has some forty columns).
STEP_FIELDS = (
    "route", "step", "step_since", "signed", "closed_at", "partner_id", "channel",
    "needs_installation", "self_pickup", "is_special", "payment_method", "payment_terms",
    "total", "paid", "log_day", "expected_delivery_on", "number", "dealer_deposit",
    "paid_to_dealer_by_card", "retention_amount", "referred_at", "referral_answered_at",
    "awaiting_confirmation", "contract", "customer", "end_customer", "contact_phone", "street",
    "floor", "expected_install_on", "revision",
)  # fmt: skip


class StepRefused(Exception):
    """A step that may not be signed now; ``reasons`` say which rule and why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(str(reason) for reason in reasons))
        self.reasons = [str(reason) for reason in reasons]


def step_entry(order: Order, step: Step, actor: User | None, *, note: str, data: dict) -> StepLog:
    """The signature of a step: in the step log, and in ``order.signed`` for the guards."""
    now = timezone.now()
    order.signed = {**order.signed, step.code: {"at": now.isoformat(), **data}}
    signature = actor.display_name if actor is not None else ""
    return StepLog(
        order=order, step=step.code, outcome=StepLog.Outcome.DONE, actor=actor, at=now,
        note=note, signature=signature, data=data,
    )  # fmt: skip


def order_advance(
    order: Order, actor: User, entry: StepLog, effects: Sequence[Effect] = ()
) -> None:
    """Move past the signed step to the next that applies; log each skipped one with its
    reason. One insert for the log, one update for the order; ``effects`` follow ``entry``."""
    entries = [entry]
    order.step = CLOSED
    for step in ROUTES[order.route].after(entry.step):
        reason = step.skip_reason(order)
        if not reason:
            order.step = step.code
            break
        entries.append(
            StepLog(order=order, step=step.code, outcome=StepLog.Outcome.SKIPPED, actor=actor,
                    skip_reason=reason)
        )  # fmt: skip
    order.step_since = timezone.now()
    if order.step == CLOSED:
        order.closed_at = order.step_since
    step_log_and_order_write(order, entries, effects)


def order_lock(pk: int) -> Order:
    """The order, locked for the rest of the transaction, with the fields a step reads.

    On PostgreSQL the SELECT ... FOR UPDATE is written out: it runs on every step, and the
    ORM's work to compile it costs as much as the round trip (bench/orders_walk.py).
    """
    if connection.vendor != "postgresql":
        return Order.objects.select_for_update().only(*STEP_FIELDS).get(pk=pk)
    # In the model's own order of fields, as Model.from_db expects its values.
    fields = [f for f in Order._meta.concrete_fields if f.primary_key or f.name in STEP_FIELDS]
    columns = ", ".join(field.column for field in fields)
    sql = f"SELECT {columns} FROM {Order._meta.db_table} WHERE id = %s FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        raise Order.DoesNotExist
    values = [
        field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
        for field, value in zip(fields, row, strict=True)
    ]
    return Order.from_db(connection.alias, [field.attname for field in fields], values)


LOG_COLUMNS = (
    "order", "step", "outcome", "actor", "at", "note", "signature", "data", "skip_reason",
)  # fmt: skip
ORDER_COLUMNS = ("step", "step_since", "signed", "closed_at")


def step_log_and_order_write(
    order: Order, entries: list[StepLog], effects: Sequence[Effect] = ()
) -> None:
    """Write the step log entries (their ids set), the order's new step and the effects that
    follow the first entry (orders/effects.py), and have the worker woken after the commit.

    On PostgreSQL this is one statement (a data-modifying WITH), because a step's cost is
    mostly its round trips and the ORM's work per statement (see bench/orders_walk.py).
    """
    if connection.vendor != "postgresql":
        StepLog.objects.bulk_create(entries)
        Order.objects.filter(pk=order.pk).update(
            **{name: getattr(order, name) for name in ORDER_COLUMNS}
        )
        for effect in effects:
            effect.step_log = entries[0]
        if effects:
            Effect.objects.bulk_create(effects)
            effects_wake_on_commit()
        return
    sql, values = step_write_sql(order, entries, effects)
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        rows = cursor.fetchall()
    # The ids come from one sequence, in the order of the rows given.
    for entry, (pk, _waiting) in zip(entries, rows, strict=True):
        entry.pk = pk
    if effects:
        effects_wake_on_commit(waiting=rows[0][1])


def step_write_sql(
    order: Order, entries: list[StepLog], effects: Sequence[Effect]
) -> tuple[str, list[Any]]:
    log_fields = [StepLog._meta.get_field(name) for name in LOG_COLUMNS]
    order_fields = [Order._meta.get_field(name) for name in ORDER_COLUMNS]
    rows = ", ".join(["(" + ", ".join(["%s"] * len(log_fields)) + ")"] * len(entries))
    effects_sql, effects_values = effects_insert_sql(effects)
    waiting_sql, waiting_values = worker_waiting_sql() if effects else ("", [])
    sql = (
        f"WITH entries AS (INSERT INTO {StepLog._meta.db_table} "
        f"({', '.join(f.column for f in log_fields)}) VALUES {rows} RETURNING id), "
        f"changed AS (UPDATE {Order._meta.db_table} SET "
        f"{', '.join(f'{f.column} = %s' for f in order_fields)} WHERE id = %s)"
        f"{effects_sql}{waiting_sql} "
        f"SELECT id, {'EXISTS (SELECT 1 FROM waiting)' if effects else 'NULL'} "
        "FROM entries ORDER BY id"
    )
    values = [
        field.get_db_prep_save(getattr(entry, field.attname), connection)
        for entry in entries
        for field in log_fields
    ]
    values += [
        field.get_db_prep_save(getattr(order, field.attname), connection) for field in order_fields
    ]
    return sql, [*values, order.pk, *effects_values, *waiting_values]


def effects_insert_sql(effects: Sequence[Effect]) -> tuple[str, list[Any]]:
    """The effects' insert, each row pointing at the first entry (the signed step)."""
    if not effects:
        return "", []
    fields = [
        field for field in Effect._meta.concrete_fields
        if not field.primary_key and field.name != "step_log"
    ]  # fmt: skip
    row = "((SELECT min(id) FROM entries), " + ", ".join(["%s"] * len(fields)) + ")"
    columns = ", ".join(["step_log_id", *(field.column for field in fields)])
    sql = (
        f", effects AS (INSERT INTO {Effect._meta.db_table} ({columns}) "
        f"VALUES {', '.join([row] * len(effects))})"
    )
    values = [
        field.get_db_prep_save(getattr(effect, field.attname), connection)
        for effect in effects
        for field in fields
    ]
    return sql, values


def worker_waiting_sql() -> tuple[str, list[Any]]:
    """A run of the effects worker that has not started, locked FOR SHARE: the worker's
    claim (FOR UPDATE SKIP LOCKED) passes it by until this commits, so when it runs it sees
    these effects and no wake is needed. Not on the database queue: nothing waits (False)."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult, get_date_max

    from gendan.orders.tasks import effects_run_due  # tasks.py imports the effects module

    if not isinstance(effects_run_due.get_backend(), DatabaseBackend):
        return ", waiting AS (SELECT 1 WHERE false)", []
    sql = (
        f", waiting AS (SELECT 1 FROM {DBTaskResult._meta.db_table} "
        "WHERE status = 'READY' AND task_path = %s AND (run_after = %s OR run_after <= now()) "
        "LIMIT 1 FOR SHARE)"
    )
    return sql, [effects_run_due.module_path, get_date_max()]


def step_refusals(order: Order, step: Step, actor: User, code: str) -> list[str]:
    if order.step == CLOSED:
        return [str(ORDER_CLOSED)]
    if order.step == CANCELLED:
        return [str(ORDER_CANCELLED)]
    if order.step != code:
        current = ROUTES[order.route].step(order.step).label
        return [NOT_CURRENT_STEP % {"current": current, "step": step.label}]
    if not (actor.is_superuser or actor.has_role(step.role)):
        return [WRONG_ROLE % {"step": step.label, "role": step.role.label}]
    if order.awaiting_confirmation:
        return [str(guards.AWAITING_CONFIRMATION)]
    return guards.checks_taken_back(order) + step.refusals(order)


SIGNED_AGAIN_REASON = _("Signed again after it was sent back: %(reason)s")


def signed_again_record(order: Order, step: Step, actor: User) -> None:
    """A step signed again after a later one sent the order back to it (send_back.py): its
    papers are issued anew (orders/effects.py). Read only where a step sends back to it."""
    if not any(other.sends_back_to == step.code for other in ROUTES[order.route].steps):
        return
    last = order.step_log.filter(step=step.code).order_by("-at", "-pk").first()
    if last is not None and last.outcome == StepLog.Outcome.SENT_BACK:
        reason = SIGNED_AGAIN_REASON % {"reason": last.note}
        effects_record(order=order, actions=SIGNED_AGAIN, actor=actor, reason=reason)


def order_step_complete(
    *,
    actor: User,
    order: Order,
    step: str,
    note: str = "",
    data: dict | None = None,
    files: Any = None,
) -> Order:
    """Sign one step of an order's route: lock, check, log, advance, and record its effects
    (orders/effects.py) for the task worker, which runs them after the commit.

    ``data`` is the step's record (see ``Step.record``), ``files`` its photos.
    """
    with transaction.atomic():
        # Lock the order before anything else, so two people signing the same step queue
        # here and the second finds the step already gone.
        order = order_lock(order.pk)
        route_step = next((s for s in ROUTES[order.route].steps if s.code == step), None)
        if route_step is None:
            raise StepRefused([NOT_CURRENT_STEP % {"current": order.step, "step": step}])
        if actor.partner_id is not None and order.partner_id != actor.partner_id:
            raise PermissionDenied
        refusals = step_refusals(order, route_step, actor, step)
        if refusals:
            raise StepRefused(refusals)
        record, problems = record_clean(route_step.record, data or {}, files)
        if problems:
            raise StepRefused(problems)
        signed_again_record(order, route_step, actor)
        work_do(STEP_WORK.get(step, ()), order=order, actor=actor)
        entry = step_entry(order, route_step, actor, note=note, data=record)
        actions = (*STEP_EFFECTS.get(step, ()), *NEXT_STEP_EFFECTS)
        effects = effects_build(order=order, actions=actions, actor=actor)
        order_advance(order, actor, entry, effects)
    return order
