"""Every audit action is declared once with a translated label (issue 12): the code signs no
free strings, and the audit page can name each action in Chinese and in English."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

import gendan
from gendan.audit.actions import AUDIT_ACTIONS, audit_action_label
from gendan.audit.models import AuditEvent
from gendan.demo import demo_load

SOURCE = Path(gendan.__file__).parent
SIGNERS = {"audit_record", "instance_create_signed"}


def free_actions() -> list[str]:
    """Each call that signs with a written string (or an f-string) instead of a declared
    action, as path:line."""
    found = []
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            for keyword in node.keywords if name in SIGNERS else []:
                if keyword.arg == "action" and isinstance(
                    keyword.value, ast.Constant | ast.JoinedStr
                ):
                    found.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    return found


def test_the_code_signs_only_declared_actions():
    assert free_actions() == []


@pytest.mark.django_db
def test_every_action_the_demo_signs_is_declared(client):
    # given the demo's users, customers, price lists, shop and orders, all made by services
    demo_load(shop_customers=30)

    # when the actions they signed are read back
    signed = set(AuditEvent.objects.values_list("action", flat=True).distinct())

    # then each is declared, and more than a handful were signed
    assert len(signed) >= 5
    assert signed - set(AUDIT_ACTIONS) == set()


def test_every_declared_label_reads_in_chinese_and_in_english():
    untranslated = []
    for code, action in AUDIT_ACTIONS.items():
        with translation.override("en"):
            english = str(action.label)
        with translation.override("zh-hans"):
            chinese = str(action.label)
        if chinese == english or not any("\u4e00" <= char <= "\u9fff" for char in chinese):
            untranslated.append(code)

    assert untranslated == []


def test_a_label_follows_the_language_and_an_old_code_reads_as_it_is():
    with translation.override("zh-hans"):
        chinese = audit_action_label("order.register")
    with translation.override("en"):
        english = audit_action_label("order.register")

    assert (chinese, english) == ("登记订单", "Order registered")
    assert audit_action_label("something.retired") == "something.retired"


def test_an_admin_change_has_a_label_though_no_app_declared_it():
    with translation.override("zh-hans"):
        label = audit_action_label("channelroute.update")

    assert label.endswith("在后台修改")
