"""Two people at the same instant, on PostgreSQL with real concurrent transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from gendan.accounts.roles import Role
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.tests.helpers import (
    DAY,
    all_checks_confirmed,
    listed_product,
    order_registered,
    staff,
)
from gendan.parties.tests.factories import DealerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def at_once(work: Callable[[], object], times: int = 2) -> list[object]:
    """Run ``work`` in ``times`` threads released together; return results or exceptions."""
    barrier = threading.Barrier(times)
    results: list[object] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work())
        except Exception as error:  # the caller asserts on what came back
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_o2_clerks_registering_at_the_same_instant_get_consecutive_numbers(roles):
    """O-2: numbers follow arrival within the day, never reused or skipped."""
    dealer, product = DealerFactory(), listed_product()
    staff(Role.CLERK)

    numbers = at_once(lambda: order_registered(dealer, product=product).number, times=4)

    assert sorted(numbers) == [f"{DAY:%Y%m%d}-{n:03d}" for n in range(1, 5)]


def test_two_users_signing_the_same_step_at_once_exactly_one_succeeds(roles):
    order = order_registered(DealerFactory())
    first, second = staff(Role.CLERK), staff(Role.CLERK, username="t-clerk-2")
    all_checks_confirmed(order, first)
    signers = iter([first, second])

    results = at_once(lambda: order_step_complete(actor=next(signers), order=order, step="verify"))

    refused = [result for result in results if isinstance(result, StepRefused)]
    assert len(results) == 2 and len(refused) == 1
    assert order.step_log.filter(step="verify", outcome="done").count() == 1
