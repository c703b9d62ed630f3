"""The stock pages on a 390 px phone: a product's batches with their chart drawn, and a count
typed line by line and submitted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in
from gendan.warehouse.models import StockCount
from gendan.warehouse.services.counts import stock_count_start
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")


def phone_page(browser, live_server, username: str):
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, username)
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_a_products_batches_show_with_their_chart(browser, live_server, roles):
    product = stocked_product(sku="BR-STOCK")
    for number, quantity in (("BR-A", "120"), ("BR-B", "45"), ("BR-C", "80")):
        batch_received(product, number, quantity)
    page = phone_page(browser, live_server, staff(Role.WAREHOUSE, "stock-phone").username)
    page.goto(f"/warehouse/stock/products/{product.pk}/")
    page.locator("#stock-batches-chart[data-drawn=true]").wait_for()
    assert "BR-B" in page.locator("#results").inner_text() and fits(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "stock-product-phone.png"), full_page=True)


def test_on_a_phone_the_warehouse_types_a_count_and_submits_it(browser, live_server, roles):
    product = stocked_product()
    batch_received(product, "BR-1", "100")
    batch_received(product, "BR-2", "30")
    counter = staff(Role.WAREHOUSE, "count-phone")
    count = stock_count_start(actor=counter, warehouse=location().warehouse)
    page = phone_page(browser, live_server, counter.username)
    page.goto(f"/warehouse/counts/{count.pk}/")
    lines = list(count.lines.order_by("pk"))
    assert fits(page)
    page.fill(f"input[name=counted-{lines[0].pk}]", "98")
    page.fill(f"input[name=reason-{lines[0].pk}]", "两块破损")
    page.fill(f"input[name=counted-{lines[1].pk}]", "30")
    page.click("button[name=submit][value=yes]")
    page.locator("p.message").first.wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "stock-count-phone.png"), full_page=True)
    assert StockCount.objects.get(pk=count.pk).state == StockCount.State.SUBMITTED
