"""An order's step log reads as words (issue 12): a step passed over is stored with the code
of why and read in the page's language; what a step recorded shows by its fields' labels."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.accounts.roles import Role
from gendan.audit.reading import change_rows
from gendan.audit.selectors import audit_events_for
from gendan.orders import skips
from gendan.orders.models import StepLog
from gendan.orders.reading import step_note_text
from gendan.orders.tests.helpers import order_at_close, scenario, staff
from gendan.orders.tests.test_dealer_money import PROFIT_NOTE, dealer_install_order, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(roles):
    """A supermarket's order at close; the VP's approval passed over (O-16)."""
    return order_at_close()


def test_o16_a_step_passed_over_keeps_the_code_of_why(order):
    skipped = order.step_log.get(outcome=StepLog.Outcome.SKIPPED, step="vp_approve")

    assert skipped.skip_reason == skips.NOT_SPECIAL and skipped.note == ""


def test_the_reason_reads_in_chinese_on_the_chinese_page(client, order):
    client.force_login(staff(Role.GENERAL_MANAGER))

    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()

    assert "O-16: 非特殊订单。" in page and "not_special" not in page


def test_the_reason_reads_in_english_on_the_english_page(client, order):
    client.force_login(staff(Role.GENERAL_MANAGER))

    page = client.get(f"/en/orders/{order.pk}/").content.decode()

    assert "O-16: not a special order." in page and "非特殊订单" not in page


def test_an_entry_written_before_the_codes_reads_in_either_language(order):
    # given a skipped step stored the old way, its reason as Chinese text
    old = StepLog(order=order, step="supervisor_review", outcome=StepLog.Outcome.SKIPPED,
                  note="O-13: 未发现异常情况。")  # fmt: skip

    # when it is read on an English page, and a reason not of ours
    with translation.override("en"):
        english = step_note_text(old)
        other = step_note_text(StepLog(outcome=StepLog.Outcome.SKIPPED, note="手工跳过"))

    # then it is the same reason in English; a text that is not one of ours stays as it is
    assert english == "O-13: nothing unusual was found." and other == "手工跳过"


def test_a_step_record_shows_its_fields_labels_and_values_in_words(client, order):
    # given the clerk's delivery note, recorded as {"delivery_booked_for": "2026-11-25", ...}
    client.force_login(staff(Role.GENERAL_MANAGER))

    # when the order's page is opened, in Chinese and in English
    chinese = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    english = client.get(f"/en/orders/{order.pk}/").content.decode()

    # then the record reads by its labels, a day in the page's language, a tick as yes
    assert "<dt>预约送货时间</dt><dd>2026年11月25日</dd>" in chinese
    assert "<dt>Delivery booked for</dt><dd>Nov. 25, 2026</dd>" in english
    assert "delivery_booked_for" not in chinese and "2026-11-25" not in chinese


def test_the_api_gives_the_reason_in_the_callers_language(client, order):
    client.force_login(staff(Role.GENERAL_MANAGER))

    steps = client.get(f"/api/orders/{order.pk}", HTTP_ACCEPT_LANGUAGE="en").json()["steps"]

    approval = next(step for step in steps if step["code"] == "vp_approve")
    assert approval["note"] == "O-16: not a special order."


def test_money_on_the_order_pages_has_thousands_separators(client, roles):
    # given a dealer's order of 150 m² at 100.00
    big = scenario("dealer", quantity="150")
    client.force_login(staff(Role.GENERAL_MANAGER))

    # when its page and the order log are opened
    page = client.get(reverse("order-detail", args=[big.pk])).content.decode()
    log = client.get(reverse("order-log")).content.decode()

    # then its total reads 15,000.00 on both, never 15000.00
    lines = page[: page.index('class="audit"')]
    assert "<th>15,000.00</th>" in lines and "15000.00" not in lines
    assert "15,000.00" in log and "15000.00" not in log


def test_the_registration_names_the_route_and_step_and_the_profit_reads_as_money(roles):
    """O-11: the history of a paid dealer's order names its route and first step by their
    labels and the dealer's profit credited as money, never as codes."""
    # given a dealer's order with installation, its homeowner's payment received
    order = dealer_install_order()
    receive(order, PROFIT_NOTE)

    # when its history is read in Chinese
    with translation.override("zh-hans"):
        rows = [(row.label, row.after) for e in audit_events_for(order) for row in change_rows(e)]

    # then
    assert any(value == "经销商订单（公司送货安装）" for _label, value in rows)
    assert any(value == "核实订单" for _label, value in rows)
    assert ("经销商利润", "3,462.40") in rows
    assert not any(value in ("dealer_install", "verify", "3462.40") for _label, value in rows)
