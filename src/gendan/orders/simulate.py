"""Walk orders along their routes as their roles would: for the demo data and the benchmark."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.effects import PREPARE_WORK
from gendan.orders.models import Order, PaymentMethod, VerificationItem
from gendan.orders.money import order_install_fee_paid, order_outstanding
from gendan.orders.routes import FINISHED, ROUTES, SHIP, Step
from gendan.orders.services.effects import work_do
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.services.verification import order_checks_confirm

SAMPLE = {
    "text": "王师傅",
    "date": "2026-11-25",
    "decimal": "45.00",
    "bool": False,
    "confirm": True,
}
PAYING_STEPS = {"receive_payment", "goods_paid", "settle_contract", "stage_payments", "close"}
FEE_STEPS = {"install_fee_to_finance", "close"}


def sample_record(step: Step) -> dict[str, object]:
    return {field.name: SAMPLE[field.kind] for field in step.record if field.required}


def step_prepare(order: Order, step: Step, signers: dict[Role, User]) -> None:
    """Meet the step's guard the way people do: tick the checklist, take the money."""
    if step.code == "verify":
        order_checks_confirm(
            actor=signers[step.role], order=order, items=list(VerificationItem.values)
        )
    if step.code in PAYING_STEPS and order_outstanding(order) > 0:
        order_receipt_add(
            actor=signers[Role.FINANCE],
            order=order,
            amount=order_outstanding(order),
            method=PaymentMethod.BANK_TRANSFER,
        )
    if step.code == SHIP.code and order.reservations.filter(state="active").exists():
        warehouse_prepare(order, signers[Role.WAREHOUSE])
    fee = install_fee_outstanding(order)
    if step.code in FEE_STEPS and fee > 0:
        order_receipt_add(
            actor=signers[Role.FINANCE], order=order, amount=fee, method=PaymentMethod.CASH,
            is_install_fee=True,
        )  # fmt: skip


def warehouse_prepare(order: Order, actor: User) -> None:
    """O-18, O-58: the warehouse picks the order's reserved batches and records the checks,
    as the ship step needs (declared in effects.py: the warehouse imports orders, not the
    other way)."""
    # Stock not where the books say: the ship step refuses, and the order waits there.
    with contextlib.suppress(ValidationError):
        work_do(PREPARE_WORK[SHIP.code], order=order, actor=actor)


def install_fee_outstanding(order: Order) -> Decimal:
    agreed = order.signed.get("agree_install", {})
    if not agreed or agreed.get("paid_to_supermarket"):
        return Decimal("0")
    return max(
        Decimal(agreed.get("install_fee", "0")) - order_install_fee_paid(order), Decimal("0")
    )


def order_walk(
    order: Order,
    signers: dict[Role, User],
    steps: int | None = None,
    timed: Callable[[str, Callable[[], Order]], Order] | None = None,
) -> Order:
    """Sign up to ``steps`` steps (all, when None); ``timed`` wraps each signature."""
    route = ROUTES[order.route]
    for _turn in range(len(route.steps) if steps is None else steps):
        if order.step in FINISHED:
            break
        step = route.step(order.step)
        signer = signers.get(step.role)
        if signer is None or signer.partner_id not in (None, order.partner_id):
            break  # nobody here may sign it: the order waits, as it would
        step_prepare(order, step, signers)

        def sign(order: Order = order, step: Step = step) -> Order:
            return order_step_complete(
                actor=signers[step.role], order=order, step=step.code, data=sample_record(step)
            )

        try:
            order = timed(step.code, sign) if timed else sign()
        except StepRefused:
            break  # a guard holds the order (no contract, no payment): it waits, as it would
    return order
