"""The shop CRM names its customers' sources (issue 12): 天猫, 京东, 微信群, not codes, and
its amounts carry thousands separators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.crm.services.events import EventInput, events_record
from gendan.crm.sources import source_label
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db


def bought(who: str, platform: str, source: str = "", amount: str = "100") -> None:
    at = timezone.now() - dt.timedelta(days=1)
    events_record(rows=[EventInput(kind="order_paid", at=at, platform=platform, platform_id=who,
                                   amount=Decimal(amount), source=source)])  # fmt: skip


def test_the_customer_list_names_each_source(client, roles):
    # given buyers from Tmall, JD and a WeChat group, one of 12,345.60
    bought("a", "tmall", amount="12345.60")
    bought("b", "jd")
    bought("c", "wechat", source="wechat_group")
    client.force_login(staff(Role.GENERAL_MANAGER))

    # when the shop's customer list is opened
    page = client.get(reverse("crm-customers")).content.decode()

    # then the sources read by name, the amounts with separators
    assert "天猫" in page and "京东" in page and "微信群" in page
    assert ">tmall<" not in page and "wechat_group (" not in page
    assert "12,345.60" in page


def test_a_source_we_do_not_know_reads_as_written():
    assert source_label("douyin_live_0301") == "douyin_live_0301"
    assert source_label("") == ""
