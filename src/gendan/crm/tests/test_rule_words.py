"""Automatic tags read as words (issue 12): their rule on the tag pages, their real count
in the message after saving."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from gendan.accounts.roles import Role
from gendan.crm.models import Tag
from gendan.crm.rules import rule_text
from gendan.crm.services.events import EventInput, events_record
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db
RULE = {"all": [{"field": "bought_within_days", "op": "<=", "value": 90},
                {"any": [{"field": "purchase_amount", "op": ">=", "value": 5000},
                         {"field": "member", "value": False}]}]}  # fmt: skip


def bought(who: str, days_ago: int = 1) -> None:
    at = timezone.now() - dt.timedelta(days=days_ago)
    events_record(rows=[EventInput(kind="order_paid", at=at, platform="tmall", platform_id=who,
                                   amount=Decimal("100"), quantity=1)])  # fmt: skip


def test_a_rule_reads_as_words_in_chinese():
    with translation.override("zh-hans"):
        text = rule_text(RULE)

    assert text == "最近购买 ≤ 90 天 并且 (购买金额 ≥ ¥5,000.00 或 未领会员卡)"


def test_a_rule_reads_as_words_in_english():
    with translation.override("en"):
        text = rule_text(RULE)

    assert text == "last purchase ≤ 90 days ago and (amount ≥ ¥5,000.00 or no member card)"


def test_the_tag_list_shows_the_rule_in_words(client, roles):
    # given an automatic tag
    client.force_login(staff(Role.GENERAL_MANAGER))
    client.post(reverse("crm-tag-rule-new"), {"name": "近期", "rule": json.dumps(RULE)})

    # when the list of tags is opened
    page = client.get(reverse("crm-tags")).content.decode()

    # then its rule reads as words, not as field codes
    assert "最近购买 ≤ 90 天" in page and "bought_within_days" not in page


def test_saving_an_automatic_tag_tells_its_real_count(client, roles):
    # given three recent buyers and one from long ago
    for who in ("a", "b", "c"):
        bought(who)
    bought("old", days_ago=400)
    client.force_login(staff(Role.GENERAL_MANAGER))
    rule = {"all": [{"field": "bought_within_days", "value": 90}]}

    # when an automatic tag is saved, then its rule edited to take everyone
    made = client.post(reverse("crm-tag-rule-new"), {"name": "近期", "rule": json.dumps(rule)})
    made_message = [str(m) for m in get_messages(made.wsgi_request)]
    rule = {"all": [{"field": "purchase_count", "op": ">=", "value": 1}]}
    tag_pk = Tag.objects.get(name="近期").pk
    edited = client.post(reverse("crm-tag-rule", args=[tag_pk]),
                         {"name": "近期", "rule": json.dumps(rule)})  # fmt: skip
    edited_message = [str(m) for m in get_messages(edited.wsgi_request)]

    # then each message counts the people the tag holds, not 0
    assert made_message == ["“近期”现有 3 人。"]
    assert edited_message[-1:] == ["“近期”现有 4 人。"]
