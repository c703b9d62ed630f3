"""The fleet's pages on a 390 px phone, in Chinese: logistics adds a truck (a bad plate refused
first, with the message in Chinese), finds it in the list, lists a district as Shenzhen's inner
city, moves it outside, and removes it after the confirmation (O-45)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.logistics.geo import zone_of
from gendan.logistics.models import DistrictZone, Truck, ZoneKind
from gendan.logistics.tests.factories import DriverFactory, WarehouseFactory
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")


def phone_page(browser, live_server, username: str):
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(30_000)  # a loaded machine is slow to serve
    browser_log_in(page, username)
    return page


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_logistics_keeps_the_fleet_and_the_zones_on_a_phone(browser, live_server, roles):
    """O-45: a district listed, moved to outside the inner city and removed, on a phone."""
    # given a warehouse and a driver
    warehouse, driver = WarehouseFactory(), DriverFactory()
    page = phone_page(browser, live_server, staff(Role.LOGISTICS, "fleet-phone").username)
    # when logistics adds a truck with a plate that is none, then with a real one
    page.goto("/logistics/trucks/new/")
    page.fill("input[name=plate]", "ABC")
    page.fill("input[name=capacity_m2]", "40")
    page.fill("input[name=capacity_kg]", "1500")
    page.select_option("select[name=warehouse]", str(warehouse.pk))
    page.select_option("select[name=driver]", str(driver.pk))
    page.click("main form button[type=submit]")
    assert "“ABC”不是车牌号" in page.locator("main").inner_text()
    page.fill("input[name=plate]", "粤B·D1001")
    page.click("main form button[type=submit]")
    # then the list shows it with its driver, and fits the phone
    page.wait_for_url("**/logistics/trucks/")
    assert "粤B·D1001" in page.locator("main").inner_text() and fits(page)
    assert Truck.objects.get().driver == driver
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "fleet-trucks-phone.png"), full_page=True)
    # when it lists 宝安区 as Shenzhen's inner city, then moves it outside
    page.goto("/logistics/zones/")
    page.click("main details summary")
    page.fill("details input[name=city]", "深圳市")
    page.fill("input[name=district]", "宝安区")
    page.select_option("details select[name=kind]", ZoneKind.INNER_CITY.value)
    page.click("details form button[type=submit]")
    page.select_option("article select[name=kind]", ZoneKind.OUTER.value)
    page.click("article form.inline button:has-text('修改')")
    # then the page shows it outside the inner city, and so does the planner's zone
    assert zone_of("深圳市", "宝安区") == ZoneKind.OUTER and fits(page)
    page.screenshot(path=str(SCREENSHOTS / "fleet-zones-phone.png"), full_page=True)
    # when it removes the district, it is asked first, then it is gone
    page.click("article form[action$='/remove/'] button")
    assert "市外" in page.locator("main").inner_text()  # Shenzhen's last district: out of town
    assert DistrictZone.objects.exists()
    page.click("main form button[type=submit]")
    page.wait_for_url("**/logistics/zones/")
    assert not DistrictZone.objects.exists()
