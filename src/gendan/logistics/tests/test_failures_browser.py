"""O-44 on a 390 px phone: the warehouse opens a failed delivery from the list, books the goods
back into stock; finance charges the freight, seeing first where the money goes."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.logistics.models import Fault
from gendan.logistics.tests.test_failures import failed_drop
from gendan.orders.models import DealerCharge
from gendan.orders.routes import SHIP
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
SCREENSHOT = (
    Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")
    / "failure-phone.png"
)


def phone_page(browser, live_server, username: str):
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(30_000)  # a loaded machine is slow to serve
    browser_log_in(page, username)
    return page


def test_o44_on_a_phone_the_goods_come_back_and_the_dealer_is_charged(browser, live_server, roles):
    """O-44: the list and the failure fit the phone; the goods are booked back with one tap; the
    freight is charged to the dealer only from the confirmation page."""
    # given a dealer's order failed at its drop, the dealer's fault
    failure, _batch = failed_drop("dealer", fault=Fault.DEALER)
    page = phone_page(browser, live_server, staff(Role.WAREHOUSE, "wh-phone").username)
    # when the warehouse opens it from the list
    page.goto("/en/logistics/failures/")
    page.click(f"text={failure.order.number}")
    # then it fits the phone, and booking the goods back puts the order at the ship step
    assert "Goods back into stock" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.click("form[action$='/goods-back/'] button")
    assert "✔" in page.locator("main").inner_text()
    failure.order.refresh_from_db()
    assert failure.order.step == SHIP.code
    # when finance enters 300 CNY at 60% and sends it
    page = phone_page(browser, live_server, staff(Role.FINANCE, "fin-phone").username)
    page.goto(f"/en/logistics/failures/{failure.pk}/")
    page.fill("input[name=freight]", "300")
    page.fill("input[name=share]", "60")
    page.click("form[action$='/charge/'] button")
    # then the confirmation says 180.00 to the dealer, and only its button charges it
    assert "180.00" in page.locator("main").inner_text()
    assert not DealerCharge.objects.exists()
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/logistics/failures/{failure.pk}/")
    assert DealerCharge.objects.get().amount == Decimal("180.00")
