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
from gendan.crm.services.events import EventInput, events_record
from gendan.crm.services.segments import tag_add, tag_create
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


def test_e5_people_are_moved_copied_taken_out_and_given_a_new_tag(people, roles):
    """E-5: people in a tag can be moved, copied or given a new tag in bulk."""
    from gendan.crm.services.segments import tag_create_for, tag_move, tag_remove

    actor = staff(Role.GENERAL_MANAGER)
    everyone = list(Customer.objects.values_list("pk", flat=True))
    a_and_b = list(Customer.objects.filter(platform_id__in=["a", "b"]).values_list("pk", flat=True))
    first = tag_create(actor=actor, name="第一批")
    second = tag_create(actor=actor, name="第二批")
    tag_add(actor=actor, tag=first, customer_ids=everyone)

    tag_move(actor=actor, source=first, target=second, customer_ids=a_and_b)
    fresh = tag_create_for(actor=actor, name="新标签", customer_ids=a_and_b)
    tag_add(actor=actor, tag=first, customer_ids=a_and_b)  # copied back
    tag_remove(actor=actor, tag=first, customer_ids=a_and_b[:1])

    assert members(second) == {"a", "b"} and members(fresh) == {"a", "b"}
    assert len(members(first)) == 2 and "c" in members(first)
    first.refresh_from_db()
    assert first.people == 2


def test_e4_people_cannot_be_put_in_an_automatic_tag_by_hand(people, roles):
    actor = staff(Role.GENERAL_MANAGER)
    automatic = tag_create(actor=actor, name="大客户", rule={"all": [
        {"field": "purchase_amount", "op": ">=", "value": 5000}]})  # fmt: skip
    c = list(Customer.objects.filter(platform_id="c").values_list("pk", flat=True))

    with pytest.raises(ValidationError) as refused:
        tag_add(actor=actor, tag=automatic, customer_ids=c)

    assert "大客户" in refused.value.messages[0]
    assert members(automatic) == {"b"}


def test_e6_groups_sit_beside_tags(people, client, roles):
    """E-6: groups exist beside tags: made, filled from a list, emptied, deleted."""
    from django.urls import reverse

    from gendan.crm.models import Group, GroupMember

    client.force_login(staff(Role.GENERAL_MANAGER))
    client.post(reverse("crm-group-create"), {"name": "老客户群", "note": "微信群"})
    group = Group.objects.get(name="老客户群")
    ticked = Customer.objects.get(platform_id="a").pk

    client.post(reverse("crm-people-act"), {"action": "group_add", "target_group": group.pk,
                                            "scope": "selected", "customer": [ticked]})  # fmt: skip
    listed = client.get(reverse("crm-customers"), {"group": group.pk}).content.decode()
    client.post(reverse("crm-people-act"), {"action": "group_remove", "group": group.pk,
                                            "scope": "all"})  # fmt: skip
    emptied = GroupMember.objects.filter(group=group).count()
    client.post(reverse("crm-group-delete", args=[group.pk]))

    assert f'value="{ticked}"' in listed and emptied == 0
    assert not Group.objects.exists()


def test_only_the_ticked_people_are_tagged_when_the_scope_is_the_selection(people, client, roles):
    from django.urls import reverse

    tag = tag_create(actor=staff(Role.GENERAL_MANAGER), name="挑出来的")
    client.force_login(staff(Role.GENERAL_MANAGER))
    ticked = Customer.objects.get(platform_id="b").pk

    client.post(reverse("crm-people-act"), {"action": "tag_add", "target_tag": tag.pk,
                                            "scope": "selected", "customer": [ticked]})  # fmt: skip
    client.post(reverse("crm-people-act"), {"action": "tag_new", "name": "", "scope": "all"})

    assert members(tag) == {"b"}
    assert Tag.objects.count() == 1  # a new tag needs a name: refused, nothing made


def test_e4_the_rule_builder_page_saves_previews_and_refuses_bad_rules(people, client, roles):
    """E-4: automatic tags are built in a page, with a count of their people before saving."""
    import json

    from django.urls import reverse

    client.force_login(staff(Role.GENERAL_MANAGER))
    rule = {"any": [{"field": "purchase_count", "op": ">", "value": 10},
                    {"all": [{"field": "member", "value": True},
                             {"field": "purchase_amount", "op": ">=", "value": 500}]}]}  # fmt: skip

    page = client.get(reverse("crm-tag-rule-new")).content.decode()
    preview = client.post(reverse("crm-tag-rule-preview"), {"rule": json.dumps(rule)})
    bad = client.post(reverse("crm-tag-rule-new"), {"name": "坏", "rule": "{not json"})
    age = json.dumps({"all": [{"field": "age", "value": 3}]})
    unknown = client.post(reverse("crm-tag-rule-preview"), {"rule": age})
    saved = client.post(
        reverse("crm-tag-rule-new"), {"name": "忠实或会员", "rule": json.dumps(rule)}
    )
    tag = Tag.objects.get(name="忠实或会员")
    loyal = json.dumps({"all": [{"field": "purchase_count", "op": ">", "value": 10}]})
    edited = client.post(reverse("crm-tag-rule", args=[tag.pk]), {"name": "忠实", "rule": loyal})
    tag.refresh_from_db()

    assert "crm-rules.js" in page
    assert preview.status_code == 200 and preview.content.decode().startswith("2")
    assert bad.status_code == 200 and Tag.objects.filter(name="坏").count() == 0
    assert unknown.status_code == 422
    assert saved.status_code == 302 and edited.status_code == 302
    assert tag.name == "忠实" and members(tag) == {"a"} and tag.people == 1


def test_tags_are_evaluated_on_demand_and_deleted_after_asking(people, client, roles):
    from django.urls import reverse

    from gendan.audit.models import AuditEvent

    actor = staff(Role.GENERAL_MANAGER)
    tag = tag_create(actor=actor, name="近期", rule={"all": [{"field": "bought_within_days",
                                                               "value": 30}]})  # fmt: skip
    client.force_login(actor)
    Tag.objects.filter(pk=tag.pk).update(people=0)

    client.post(reverse("crm-tag-evaluate", args=[tag.pk]))
    tag.refresh_from_db()
    page = client.get(reverse("crm-tags")).content.decode()
    client.post(reverse("crm-tag-delete", args=[tag.pk]))

    assert tag.people == 2 and "data-confirm" in page
    assert not Tag.objects.exists()
    assert AuditEvent.objects.filter(action="tag.delete").exists()


def test_a_rule_reads_as_words():
    from django.utils import translation

    from gendan.crm.rules import rule_text

    rule = {"all": [{"field": "purchase_count", "op": ">=", "value": 3},
                    {"any": [{"field": "member", "value": True},
                             {"field": "bought_within_days", "value": 7}]}]}  # fmt: skip

    with translation.override("zh-hans"):
        text = rule_text(rule)

    assert text == "购买次数 ≥ 3 次 并且 (已领会员卡 或 最近购买 ≤ 7 天)"
