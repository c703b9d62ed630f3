"""On a phone (390 px): the warehouse goes down tomorrow's call list, copies a message and
marks the customer told; the row and the progress change without leaving the page (O-43)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.logistics.models import Drop
from gendan.logistics.tests.calls_helpers import day_of_drops
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SCREENSHOT = (
    Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or Path(__file__).resolve().parents[4] / "var"
         / "screenshots") / "logistics-calls.png"
)  # fmt: skip


def test_o43_on_a_phone_the_message_is_copied_and_the_customer_marked_told(
    browser, live_server, roles
):
    """O-43: the message with the window and the amount is copied to the clipboard; "told"
    records whom, and the row shows it told with the progress counting it, on the same page."""
    # given tomorrow's drops and a warehouse user on a phone
    drops = day_of_drops()
    keeper = staff(Role.WAREHOUSE, username="warehouse", name="仓管老周")
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN",
        permissions=["clipboard-read", "clipboard-write"],
    )  # fmt: skip
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, "warehouse")
    # when the list of tomorrow is opened, the first message copied and its customer told
    page.goto("/logistics/calls/")
    first = drops["on_delivery"]
    row = page.locator(f"#drop-{first.pk}")
    row.locator("details.call-message summary").click()
    row.locator("button[data-copy]").click()
    page.wait_for_selector(f"#drop-{first.pk} button[data-copy]:has-text('已复制')")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    row.locator("input[name=told_to]").fill("王女士本人")
    row.locator("form.call-tell button[type=submit]").click()
    page.wait_for_selector(f"#drop-{first.pk}.told")
    progress = page.locator("#call-progress").inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    url = page.url
    phone.close()
    # then the message was the drop's, the drop is told by the keeper, and the page stayed
    assert "预计09:30至11:15之间到达" in copied and "700.00 元" in copied
    assert "已通知 1 / 3" in progress
    assert url.endswith(f"/logistics/calls/{first.plan.day.isoformat()}/")
    told = Drop.objects.get(pk=first.pk)
    assert (told.told_by, told.told_to) == (keeper, "王女士本人")
    assert width == PHONE["width"]
