"""Orders walked to a step through the real services, for the notification tests."""

from __future__ import annotations

from gendan.accounts.models import User
from gendan.accounts.roles import PARTNER_ROLES, Role
from gendan.accounts.tests.factories import UserFactory
from gendan.orders.models import Order
from gendan.orders.routes import CLOSED
from gendan.orders.simulate import order_walk
from gendan.orders.tests.helpers import staff


def signers_for(order: Order, dealer: User | None = None) -> dict[Role, User]:
    """One signer per company role, and a user of the order's own dealer (``dealer``)."""
    signers = {role: staff(role) for role in Role if role not in PARTNER_ROLES}
    if order.partner_id is not None:
        signers[Role.DEALER] = dealer or UserFactory(
            roles=[Role.DEALER], partner_id=order.partner_id
        )
    return signers


def walked_to(order: Order, code: str, signers: dict[Role, User] | None = None) -> Order:
    """The order signed step by step until it waits at ``code``."""
    signers = signers or signers_for(order)
    while order.step != code:
        before = order.step
        assert before != CLOSED, f"the order closed before reaching {code}"
        order = order_walk(order, signers, steps=1)
        assert order.step != before, f"the order is held at {before}"
    return order


def signed_once(order: Order, signers: dict[Role, User] | None = None) -> Order:
    """The step the order waits at, signed by its role's signer (with what it needs)."""
    before = order.step
    order = order_walk(order, signers or signers_for(order), steps=1)
    assert order.step != before, f"the order is held at {before}"
    return order
