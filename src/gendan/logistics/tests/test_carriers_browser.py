"""O-23 on a 390 px phone: finance opens a carrier shipment whose three papers are in and whose
customer signed, pays the freight, confirms, and reads it paid; the page fits the phone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.logistics.services.carriers import shipment_deliver_sign
from gendan.logistics.tests.carriers_helpers import papers_in, shipment_shipped
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in

# Dealers' orders: their route is the handbook's own (a transactional test may find the
# ChannelRoute rows flushed).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
SCREENSHOT = (
    Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")
    / "carrier-shipment-phone.png"
)


def test_on_a_phone_finance_pays_a_carriers_freight_after_confirming(browser, live_server, roles):
    """O-23, O-21: the papers and the signature shown; the payment asked to confirm first."""
    # given
    shipment = papers_in(shipment_shipped("dealer"))
    shipment_deliver_sign(actor=staff(Role.DRIVER), shipment=shipment)
    finance = staff(Role.FINANCE, "finance-phone")
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, finance.username)
    # when
    page.goto(f"/en/logistics/shipments/{shipment.pk}/")
    wide = page.evaluate("document.documentElement.scrollWidth")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.get_by_label("Paid as (transfer reference)").fill("网银 778")
    page.get_by_role("button", name="Pay the freight…").click()
    page.get_by_role("button", name="Pay the freight", exact=True).click()
    # then
    assert wide <= PHONE["width"]
    page.get_by_text("Freight of 380.00 CNY paid.").wait_for()
    shipment.refresh_from_db()
    assert shipment.freight_reference == "网银 778"
    phone.close()
