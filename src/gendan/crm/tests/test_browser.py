"""The owner opens the dashboard, opens the sleeping customers and tags them all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.crm.models import Tag, TagMember
from gendan.crm.services.events import EventInput, events_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_tags_the_sleeping_customers_from_the_dashboard(page, roles):
    UserFactory(username="owner", roles=[Role.GENERAL_MANAGER])
    now = timezone.now()
    rows = [
        EventInput(
            kind="qr_scan", at=now - dt.timedelta(days=days), platform="tmall", platform_id=who
        )
        for who, days in (("sleepy1", 250), ("sleepy2", 300), ("awake", 2))
    ]
    events_record(rows=rows)
    Tag.objects.create(name="唤醒计划")

    page.goto("/en/login/")
    page.fill("input[name=username]", "owner")
    page.fill("input[name=password]", "correct horse battery")
    page.click("main button[type=submit]")
    page.goto("/en/crm/")
    page.get_by_role("link", name="Sleeping customers").first.click()
    page.select_option("#bulk select[name=scope]", "all")
    page.select_option("#bulk select[name=action]", "tag_add")
    page.click("#bulk button[type=submit]")

    tagged = set(TagMember.objects.values_list("customer__platform_id", flat=True))
    assert tagged == {"sleepy1", "sleepy2"}
    assert "2 people tagged" in page.locator("main").inner_text()


def test_the_owner_builds_an_automatic_tag_in_the_page(page, roles):
    """E-4: a rule of AND and OR, nested, built by clicking; the preview counts its people."""
    UserFactory(username="owner", roles=[Role.GENERAL_MANAGER])
    now = timezone.now()
    events_record(rows=[
        EventInput(kind="order_paid", at=now - dt.timedelta(days=n), platform="tmall",
                   platform_id=who, amount=amount)
        for who, count, amount in (("big", 1, 6000), ("often", 6, 50), ("once", 1, 50))
        for n in range(count)
    ])  # fmt: skip

    page.goto("/en/login/")
    page.fill("input[name=username]", "owner")
    page.fill("input[name=password]", "correct horse battery")
    page.click("main button[type=submit]")
    page.goto("/en/crm/tags/rule/")
    page.fill("input[name=name]", "good customers")
    builder = page.locator("#rule-builder")
    builder.locator("select").first.select_option("any")
    builder.locator(".rule-condition input").first.fill("5")
    builder.get_by_role("button", name="+ group").click()
    builder.locator(".rule-group .rule-group .rule-condition input").first.fill("5000")
    page.wait_for_function(
        # a function, not an expression: Playwright evaluates expressions with eval, which the
        # Content-Security-Policy blocks
        "() => document.getElementById('rule-preview').textContent.startsWith('2 customers match')"
    )
    page.get_by_role("button", name="Save and evaluate").click()

    tag = Tag.objects.get(name="good customers")
    assert tag.rule == {"any": [
        {"field": "purchase_count", "op": ">=", "value": "5"},
        {"any": [{"field": "purchase_amount", "op": ">=", "value": "5000"}]},
    ]}  # fmt: skip
    assert tag.people == 2 and "good customers" in page.locator("main").inner_text()
