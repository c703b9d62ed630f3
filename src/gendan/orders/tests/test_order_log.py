"""The day's order log, in order of arrival."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.orders.models import DailyCounter
from gendan.orders.selectors import order_log
from gendan.orders.tests.helpers import DAY, scenario, staff

pytestmark = pytest.mark.django_db


def test_o2_the_log_sorts_the_thousandth_order_of_a_day_after_the_999th(client, roles):
    """O-2: the log follows the day's counter, not the text of the number (-1000 after -999)."""
    # given a busy day whose counter stands at 998
    DailyCounter.objects.create(day=DAY, last=998)
    numbers = [scenario("retail").number for _ in range(3)]
    clerk = staff(Role.CLERK)
    # when the clerk reads the day's log
    listed = [order.number for order in order_log(user=clerk, day=DAY)]
    client.force_login(clerk)
    page = client.get("/orders/", {"day": DAY.isoformat()}).content.decode()
    # then the orders stand in order of arrival, on the page too
    assert numbers == ["20261121-999", "20261121-1000", "20261121-1001"]
    assert listed == numbers
    assert page.index(numbers[0]) < page.index(numbers[1]) < page.index(numbers[2])
