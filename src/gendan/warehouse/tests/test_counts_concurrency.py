"""Stock counts with real concurrent transactions on PostgreSQL: two approvers at the same
moment book a count's differences once."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_concurrency import at_once
from gendan.warehouse.models import StockCount, StockLevel, StockMove
from gendan.warehouse.services.counts import (
    NOT_SUBMITTED,
    Entry,
    stock_count_approve,
    stock_count_enter,
    stock_count_start,
    stock_count_submit,
)
from gendan.warehouse.services.recount import stock_differences
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def submitted_count(counted: str) -> StockCount:
    counter = staff(Role.WAREHOUSE)
    count = stock_count_start(actor=counter, warehouse=location().warehouse)
    line = count.lines.get()
    stock_count_enter(actor=counter, count=count, entries=[Entry(line.pk, Decimal(counted), "少")])
    return stock_count_submit(actor=counter, count=count)


def test_two_approvers_at_once_book_the_differences_once(roles):
    # given 100 of B-1 counted as 90, waiting for approval
    batch = batch_received(stocked_product(), "B-1", "100")
    count = submitted_count("90")
    approvers = iter([staff(Role.FINANCE), staff(Role.GENERAL_MANAGER)])
    # when finance and the general manager approve at the same moment
    results = at_once(lambda: stock_count_approve(actor=next(approvers), count=count))
    # then one books it, the other is told it is no longer waiting; 10 leave once
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].messages == [str(NOT_SUBMITTED)], results
    assert StockMove.objects.filter(kind=StockMove.Kind.COUNTED).count() == 1
    assert StockLevel.objects.get(batch=batch).on_hand == Decimal("90")
    assert stock_differences() == []
