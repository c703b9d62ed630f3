"""Receiving on a 390 px phone: the warehouse chooses the product by typing, adds a line, and
receives the goods; the page is never wider than the phone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in
from gendan.warehouse.models import GoodsReceipt, Package
from gendan.warehouse.tests.helpers import location, stocked_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
SCREENSHOT = (
    Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")
    / "receiving-phone.png"
)


def test_on_a_phone_the_warehouse_receives_a_batch(browser, live_server, roles):
    # given a floor kept in stock and a sellable place
    stocked_product(sku="ZF-777", name="碳化平压竹地板 T-601")
    stocked_product(sku="ZF-888", name="本色平压竹地板 N-301")
    place = location("A-01")
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, staff(Role.WAREHOUSE, "warehouse-phone").username)
    # when the receipt form is opened, a line added, and the first line filled in
    page.goto("/warehouse/receipts/new/")
    rows = page.locator("#lines .formset-row")
    assert rows.count() == 1
    page.click("[data-add-line]")
    assert rows.count() == 2
    assert page.locator("select[name=lines-1-product]").count() == 1
    first = rows.nth(0)
    first.locator(".ts-control").click()
    page.keyboard.type("ZF-777")
    page.locator(".ts-dropdown .option", has_text="ZF-777").first.click()
    first.locator("input[name=lines-0-batch_number]").fill("B1120")
    first.locator("input[name=lines-0-produced_on]").fill("2026-11-20")
    first.locator("input[name=lines-0-quantity]").fill("23.6")
    first.locator("input[name=lines-0-packages]").fill("10")
    first.locator("select[name=lines-0-location]").select_option(str(place.pk))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.click("main form button[type=submit]")
    # then the receipt page shows the batch, and ten labels were made
    page.wait_for_url("**/warehouse/receipts/*/")
    assert "B1120" in page.locator("main").inner_text()
    receipt = GoodsReceipt.objects.get()
    assert Package.objects.filter(receipt_line__receipt=receipt).count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.close()
