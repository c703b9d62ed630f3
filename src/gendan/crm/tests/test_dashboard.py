"""The dashboard: the four figures of E-1 and returning or sleeping customers of E-2."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.crm.selectors import dashboard
from gendan.crm.services.events import EventInput, events_record
from gendan.orders.tests.helpers import staff
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def happened(customer, kind, days_ago, amount=None):
    at = timezone.now() - dt.timedelta(days=days_ago)
    events_record(rows=[EventInput(kind=kind, at=at, customer_id=customer.pk, amount=amount)])


def test_e1_the_four_figures_count_the_right_people():
    """E-1: interested (30 days), buying (365 days), members (card + purchase), cards."""
    fan, buyer, old_buyer, member = (CustomerFactory(kind="online") for _ in range(4))
    happened(fan, "favourite_item", 1)
    happened(fan, "add_to_cart", 45)
    happened(buyer, "order_paid", 1, Decimal("100"))
    happened(old_buyer, "order_paid", 400, Decimal("100"))
    happened(member, "card_claimed", 3)
    happened(member, "order_paid", 2, Decimal("10"))

    figures = {group.key: group for group in dashboard()}

    assert figures["interested"].count == 1 and figures["interested"].new_yesterday == 0
    assert figures["buyers"].count == 2 and figures["buyers"].new_yesterday == 1
    assert figures["members"].count == 1 and figures["cards"].count == 1


def test_e2_returning_and_sleeping_follow_the_180_day_setting(settings):
    """E-2: seen within 180 days returns; longer silence sleeps; the 180 is a setting."""
    recent, quiet = CustomerFactory(kind="online"), CustomerFactory(kind="online")
    happened(recent, "qr_scan", 10)
    happened(quiet, "qr_scan", 200)

    figures = {group.key: group.count for group in dashboard()}
    settings.GENDAN_CRM_SLEEP_DAYS = 365
    longer = {group.key: group.count for group in dashboard()}

    assert (figures["returning"], figures["sleeping"]) == (1, 1)
    assert (longer["returning"], longer["sleeping"]) == (2, 0)


def test_each_figure_opens_the_list_of_its_people(client, roles):
    sleeper, awake = (
        CustomerFactory(kind="online", name="沉睡的人"),
        CustomerFactory(kind="online", name="活跃的人"),
    )
    happened(sleeper, "qr_scan", 300)
    happened(awake, "qr_scan", 3)
    client.force_login(staff(Role.GENERAL_MANAGER))

    board = client.get(reverse("crm-dashboard")).content.decode()
    page = client.get(reverse("crm-people", args=["sleeping"])).content.decode()

    assert reverse("crm-people", args=["sleeping"]) in board and "echarts.min.js" in board
    assert "沉睡的人" in page and "活跃的人" not in page
    assert client.get(reverse("crm-people", args=["nobody"])).status_code == 404


def test_the_counts_read_from_day_counts_match_the_people_behind_them(settings):
    """E-1, E-2: each figure, read from the day counts, is the number of people it opens;
    "new yesterday" counts those who joined yesterday (sleeping: fell asleep yesterday)."""
    from gendan.crm.selectors import group_people

    kinds = ["favourite_item", "order_paid", "card_claimed", "qr_scan", "add_to_cart"]
    for number, days_ago in enumerate([0, 1, 2, 29, 30, 31, 179, 180, 181, 364, 365, 366, 500]):
        customer = CustomerFactory(kind="online")
        for kind in kinds[: number % len(kinds) + 1]:
            happened(customer, kind, days_ago, Decimal("10") if kind == "order_paid" else None)
    fell_asleep = CustomerFactory(kind="online")
    happened(fell_asleep, "qr_scan", settings.GENDAN_CRM_SLEEP_DAYS + 1)

    board = dashboard()

    for group in board:
        assert group.count == group_people(group).count(), group.key
    by_key = {group.key: group for group in board}
    assert by_key["sleeping"].new_yesterday >= 1
    assert by_key["sleeping"].new_yesterday == sum(
        1 for f in group_people(by_key["sleeping"])
        if timezone.localtime(f.last_seen_at).date()
        == timezone.localdate() - dt.timedelta(days=settings.GENDAN_CRM_SLEEP_DAYS + 1)
    )  # fmt: skip
