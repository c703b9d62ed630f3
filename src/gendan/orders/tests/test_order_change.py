"""O-7: a revision of an order obeys the rules of registration."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.services.registration import NO_LINES, RETENTION_ABOVE_TOTAL, LineInput
from gendan.orders.services.verification import order_change
from gendan.orders.tests.helpers import DAY, listed_product, order_registered, staff
from gendan.parties.tests.factories import CustomerFactory, DealerFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_o7_a_revision_without_lines_is_refused_and_the_order_keeps_its_lines(client, roles):
    """O-7: a change re-issues the order as registration would; an order needs its lines."""
    # given a dealer's order of 10 m² waiting at verification
    order = order_registered(DealerFactory(), quantity="10")
    client.force_login(staff(Role.CLERK))
    # when the clerk sends a revision with no lines (the page calls the same service)
    change = {"reason": "改单", "fields": {}, "lines": []}
    answer = client.post(f"/api/orders/{order.pk}/revisions", change, content_type=JSON)
    # then it is refused with registration's message, and nothing of the order changed
    assert answer.status_code == 422
    assert [error["msg"] for error in answer.json()["detail"]] == [str(NO_LINES)]
    order = Order.objects.get(pk=order.pk)
    assert (order.lines.count(), order.total, order.revision) == (1, Decimal("1000.00"), 1)
    assert not order.revisions.exists()


def test_o56_a_revision_keeps_the_retention_within_the_total(roles):
    """O-56: as at registration, the retention held back cannot pass the order's total."""
    # given a project's order of 1,000.00 with 500.00 retention
    retention = {"retention_amount": Decimal("500"), "retention_due": DAY,
                 "retention_signed_by": "甲方 王总"}  # fmt: skip
    order = order_registered(CustomerFactory(kind="project"), quantity="10", **retention)
    # when the clerk revises it down to 2 m² (200.00)
    line = LineInput(product=listed_product(), quantity=Decimal("2"), unit_price=Decimal("100"))
    # then the revision is refused and the order keeps its 10 m²
    with pytest.raises(ValidationError) as refused:
        order_change(actor=staff(Role.CLERK), order=order, fields={}, lines=[line], reason="减量")
    assert refused.value.messages == [str(RETENTION_ABOVE_TOTAL)]
    order.refresh_from_db()
    assert order.total == Decimal("1000.00") and not order.revisions.exists()
