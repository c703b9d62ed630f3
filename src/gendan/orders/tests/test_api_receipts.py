"""Money received through the API."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_the_receipt_answer_shows_the_receipt_just_recorded(client, roles):
    """O-47: finance records money and the answer already counts it."""
    # given a retail order of 1,000.00 with nothing paid
    order = scenario("retail")
    client.force_login(staff(Role.FINANCE))
    # when finance records two receipts
    first = {"amount": "300.00", "method": "cash"}
    client.post(f"/api/orders/{order.pk}/receipts", first, content_type=JSON)
    second = {"amount": "200.00", "method": "bank_transfer", "note": "尾款"}
    answer = client.post(f"/api/orders/{order.pk}/receipts", second, content_type=JSON)
    # then the second answer counts both, and lists the receipt just recorded
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["paid"], body["outstanding"]) == ("500.00", "500.00")
    assert [(r["amount"], r["method"]) for r in body["receipts"]] == [
        ("300.00", "cash"),
        ("200.00", "bank_transfer"),
    ]
