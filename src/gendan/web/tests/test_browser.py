"""Real Chromium through the pages, as a clerk on a desktop and a driver on a phone."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.parties.tests.factories import AddressFactory, HomeownerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def test_clerk_logs_in_in_chinese_switches_to_english_and_opens_a_customer(page, user_with):
    # given
    user_with(Role.CLERK, username="wenyuan")
    customer = HomeownerFactory(name="欧阳娜娜", mobile="13712345678")
    AddressFactory(customer=customer, street="白鹭洲路168号", floor=7)
    HomeownerFactory(name="司马光", mobile="13712340000")
    # when: the clerk logs in, in Chinese by default
    log_in(page, "wenyuan")
    # then
    assert page.locator("h1").inner_text() == "我的工作台"
    assert "文员" in page.locator("main").inner_text()
    # when: they switch to English
    page.select_option("select[name=language]", "en")
    page.wait_for_url("**/en/")
    # then
    assert page.locator("h1").inner_text() == "My work"
    # when: they search for the customer by part of the phone number and open it
    page.goto("/en/customers/")
    page.fill("input[name=q]", "1371234567")
    # a function: Playwright evaluates a bare expression with eval, which the CSP blocks
    page.wait_for_function("() => !document.querySelector('#results').innerText.includes('司马光')")
    page.get_by_role("link", name="欧阳娜娜").click()
    # then
    assert page.locator("h1").inner_text() == "欧阳娜娜"
    assert "白鹭洲路168号" in page.locator("main").inner_text()
    assert "Mobile" in page.locator("main").inner_text()


def test_a_driver_on_a_phone_sees_pages_without_sideways_scrolling(browser, live_server, user_with):
    user_with(Role.DRIVER, username="siji")
    customer = HomeownerFactory(name="上官婉儿", mobile="13812345678")
    AddressFactory(customer=customer)
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = phone.new_page()

    log_in(page, "siji")
    widths = {}
    for path in ("/", "/customers/", f"/customers/{customer.pk}/", "/catalog/products/"):
        page.goto(path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    phone.close()

    assert widths == dict.fromkeys(widths, 390)
