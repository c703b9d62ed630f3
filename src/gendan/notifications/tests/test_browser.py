"""On a 390 px phone: the bell fits the header, shows the count, opens the list, and a
notification opened leads to its order and is read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.notifications.tests.helpers import walked_to
from gendan.orders.services.effects import effects_due_run
from gendan.orders.tests.helpers import scenario, staff
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
# Under var/ (ignored), so a test run leaves the checkout as it was; the copy in docs/ is
# written with GENDAN_SCREENSHOT_DIR=docs.
SCREENSHOT = (
    Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")
    / "notifications-phone.png"
)


def test_on_a_phone_the_bell_fits_the_header_and_leads_to_the_order(browser, live_server, roles):
    # given a dealer's order waiting for finance to receive the payment, finance told of it
    finance = staff(Role.FINANCE, "finance-phone")
    order = walked_to(scenario("dealer"), "receive_payment")
    effects_due_run()
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, finance.username)
    # when finance looks at the header of the home page
    page.goto("/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    bell = page.locator("header a.bell").bounding_box()
    brand = page.locator("header a.brand").bounding_box()
    count = page.locator("header .bell-count").inner_text()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    # ... opens the list, and the notification in it
    page.click("header a.bell")
    listed = page.locator("ul.notifications li").first.inner_text()
    page.click("ul.notifications li a")
    page.wait_for_load_state()
    opened = page.url
    page.goto("/")
    left = page.locator("header .bell-count").count()
    phone.close()
    # then the bell sat in the header's first row, within the screen, with its count
    assert width == PHONE["width"] and bell["x"] + bell["width"] <= PHONE["width"]
    assert bell["y"] < brand["y"] + brand["height"] and count == "1"
    assert f"订单 {order.number} 等您处理：财务收款" in listed
    # and the notification led to the order, and is read
    assert opened.endswith(f"/orders/{order.pk}/") and left == 0
