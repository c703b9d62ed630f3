"""Tags (E-4, E-5): at most 100, manual or automatic with AND/OR rules on the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.crm.models import TAG_LIMIT, Tag
from gendan.crm.selectors import tag_people
from gendan.crm.services import EventInput, events_record, tag_add, tag_create
from gendan.orders.tests.helpers import staff
from gendan.parties.models import Customer

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def bought(who, count, amount, days_ago=1, quantity=1):
    rows = [
        EventInput(kind="order_paid", at=NOW - dt.timedelta(days=days_ago), platform="tmall",
                   platform_id=who, amount=Decimal(amount), quantity=quantity)
        for _n in range(count)
    ]  # fmt: skip
    events_record(rows=rows)
    return Customer.objects.get(platform_id=who)


def members(tag):
    return set(tag_people(tag).values_list("customer__platform_id", flat=True))


@pytest.fixture
def people():
    bought("a", 12, "100")  # many small purchases
    bought("b", 1, "5000", quantity=8)  # one big purchase
    bought("c", 2, "300", days_ago=200)  # two purchases, long ago
    events_record(rows=[EventInput(kind="card_claimed", at=NOW, platform="tmall", platform_id="c")])


def test_e4_and_or_rules_select_exactly_the_hand_computed_sets(people, roles):
    """E-4: conditions on count, amount, time window, item quantity and member level,
    combined with AND and OR, nested."""
    actor = staff(Role.GENERAL_MANAGER)
    loyal_or_big = {"any": [
        {"field": "purchase_count", "op": ">", "value": 10},
        {"field": "purchase_amount", "op": ">=", "value": 5000},
    ]}  # fmt: skip
    recent_and_many_items = {"all": [
        {"field": "bought_within_days", "value": 30},
        {"field": "items_bought", "op": ">=", "value": 8},
    ]}  # fmt: skip
    member_or_recent_big = {"any": [
        {"field": "member", "value": True},
        {"all": [{"field": "bought_within_days", "value": 7},
                 {"field": "purchase_amount", "op": ">", "value": 2000}]},
    ]}  # fmt: skip

    assert members(tag_create(actor=actor, name="忠实或大单", rule=loyal_or_big)) == {"a", "b"}
    assert members(tag_create(actor=actor, name="近期多件", rule=recent_and_many_items)) == {
        "a",
        "b",
    }
    assert members(tag_create(actor=actor, name="会员或近期大单", rule=member_or_recent_big)) == {
        "b",
        "c",
    }


def test_e4_automatic_tags_follow_the_figures(people, roles):
    tag = tag_create(actor=staff(Role.GENERAL_MANAGER), name="大客户", rule={"all": [
        {"field": "purchase_amount", "op": ">=", "value": 1000}]})  # fmt: skip

    bought("c", 1, "800")  # c reaches 1400

    assert members(tag) == {"a", "b", "c"}


def test_e4_the_101st_tag_is_refused_with_a_clear_message(roles):
    actor = staff(Role.GENERAL_MANAGER)
    Tag.objects.bulk_create([Tag(name=f"标签{n}") for n in range(TAG_LIMIT)])

    with pytest.raises(ValidationError) as refused:
        tag_create(actor=actor, name="第101个")

    assert "100" in refused.value.message_dict["name"][0]
    assert Tag.objects.count() == TAG_LIMIT


def test_e4_a_malformed_rule_is_refused_and_nothing_saved(roles):
    with pytest.raises(ValidationError):
        tag_create(
            actor=staff(Role.GENERAL_MANAGER), name="坏规则", rule={"all": [{"field": "age"}]}
        )
    assert not Tag.objects.exists()


def test_e5_people_are_added_to_a_manual_tag_in_bulk(people, roles):
    """E-4, E-5: a manual tag, people added by hand, a whole selection at once."""
    tag = tag_create(actor=staff(Role.GENERAL_MANAGER), name="送样品")
    everyone = list(Customer.objects.values_list("pk", flat=True))

    tag_add(actor=staff(Role.GENERAL_MANAGER), tag=tag, customer_ids=everyone)
    tag_add(actor=staff(Role.GENERAL_MANAGER), tag=tag, customer_ids=everyone)  # twice: once

    assert members(tag) == {"a", "b", "c"}


def test_e5_a_whole_filtered_list_gets_a_tag_in_one_click(client, people, roles):
    """E-5: add a tag to everyone in a filtered list, not only the page shown."""
    from django.urls import reverse

    tag = tag_create(actor=staff(Role.GENERAL_MANAGER), name="复购客户")
    client.force_login(staff(Role.GENERAL_MANAGER))

    client.post(reverse("crm-people-act"), {"target_tag": tag.pk, "min_purchases": "2", "q": ""})

    assert members(tag) == {"a", "c"}
