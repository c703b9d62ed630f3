"""O-61 on a 390 px phone: the clerk sees a self-pickup's stock by batch on the order page,
chooses the customer's substitute, confirms it, and is asked for the checks again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in
from gendan.warehouse.models import Substitution
from gendan.warehouse.tests.helpers import batch_received
from gendan.warehouse.tests.test_pickup import floor, pickup_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
SCREENSHOT = (
    Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")
    / "pickup-phone.png"
)


def test_on_a_phone_the_clerk_agrees_a_substitute(browser, live_server, roles):
    """O-61: the stock part fits the phone; the choice is confirmed before it is recorded."""
    # given a self-pickup of 50 m² whose two batches hold 30 and 20, and another colour in stock
    asked = floor("T-601")
    batch_received(asked, "T601-A", "30")
    batch_received(asked, "T601-B", "20")
    colour = floor("T-602")
    batch_received(colour, "T602-A", "80")
    order = pickup_order(asked)
    clerk = staff(Role.CLERK, "clerk-phone")
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, clerk.username)
    # when the clerk opens the order and its stock part loads
    page.goto(f"/en/orders/{order.pk}/")
    part = page.locator("section#pickup")
    part.wait_for()
    # then each batch is listed and nothing is wider than the phone
    assert "T601-A" in part.inner_text() and "T601-B" in part.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    part.screenshot(path=str(SCREENSHOT))
    # when the customer takes the other colour
    part.locator(f"input[name=substitute][value='{colour.pk}']").check()
    part.locator("input[name=chosen_by]").fill("王女士")
    part.locator("button[type=submit]").click()
    # then a page asks first, and only its button records the choice
    assert "T602-A" in page.locator("main").inner_text()
    assert not Substitution.objects.exists()
    page.click("main form button[type=submit]")
    assert page.locator("form.checks-again").is_visible()
    assert order.lines.get().product == colour
    phone.close()
