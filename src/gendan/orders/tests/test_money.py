"""The order's kept total and paid amount always agree with its lines and receipts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.accounts.roles import Role
from gendan.orders.models import PaymentMethod
from gendan.orders.money import order_money_recount, order_outstanding
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.tests.helpers import order_registered, staff
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    receipts=st.lists(st.tuples(amounts, st.booleans()), max_size=6), quantity=st.integers(1, 500)
)
def test_kept_money_agrees_with_a_recount(roles, receipts, quantity):
    order = order_registered(DealerFactory(), quantity=str(quantity))
    for amount, is_install_fee in receipts:
        order_receipt_add(
            actor=staff(Role.FINANCE), order=order, amount=amount,
            method=PaymentMethod.CASH, is_install_fee=is_install_fee, excess_as_credit=True,
        )  # fmt: skip

    order.refresh_from_db()
    assert (order.total, order.paid) == order_money_recount(order)
    goods = sum((a for a, fee in receipts if not fee), Decimal("0"))
    assert order_outstanding(order) == max(order.total - goods, Decimal("0"))
