"""The owner opens the dashboard, opens the sleeping customers and tags them all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.crm.models import Tag, TagMember
from gendan.crm.services import EventInput, events_record

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
