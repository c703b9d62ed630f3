"""Building orders for tests through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.catalog.tests.factories import ProductFactory
from gendan.orders.models import Order, PaymentMethod, PaymentTerms, VerificationItem
from gendan.orders.money import order_outstanding
from gendan.orders.services import (
    LineInput,
    order_checks_confirm,
    order_receipt_add,
    order_register,
)
from gendan.parties.models import Customer

DAY = dt.date(2026, 11, 21)


def staff(role: Role, username: str = "", **fields: object) -> User:
    """One user per role, reused within a test."""
    username = username or f"t-{role}"
    user = User.objects.filter(username=username).first()
    return user or UserFactory(username=username, roles=[role], **fields)


def order_registered(
    customer: Customer, *, end_customer: Customer | None = None, quantity: str = "10", **fields
) -> Order:
    defaults = {
        "customer": customer,
        "end_customer": end_customer,
        "payment_method": PaymentMethod.BANK_TRANSFER,
        "payment_terms": PaymentTerms.PREPAY,
        "province": "广东省", "city": "广州市", "street": "天河路1号", "floor": 8,
        "expected_delivery_on": DAY + dt.timedelta(days=7),
    }  # fmt: skip
    lines = [
        LineInput(product=ProductFactory(), quantity=Decimal(quantity), unit_price=Decimal("100"))
    ]
    return order_register(actor=staff(Role.CLERK), fields=defaults | fields, lines=lines, on=DAY)


def all_checks_confirmed(order: Order, verifier: User) -> None:
    order_checks_confirm(actor=verifier, order=order, items=list(VerificationItem.values))


def paid_in_full(order: Order) -> None:
    outstanding = order_outstanding(order)
    if outstanding > 0:
        order_receipt_add(
            actor=staff(Role.FINANCE), order=order, amount=outstanding, method=PaymentMethod.CASH
        )
