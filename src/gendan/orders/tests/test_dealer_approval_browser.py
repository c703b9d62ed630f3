"""On a phone (390 px): the dealer judges the profit note, sends it back with a reason, then,
the clerk having made it again, approves it; the installer reads the measurement first."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_dealer_approval import REASON, at_dealer_approval, dealer_of
from gendan.orders.tests.test_guards import advance_to, dealer_order
from gendan.orders.tests.test_step_facts import measured
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_o15_on_a_phone_the_dealer_sends_the_profit_note_back_then_approves_it(
    browser, live_server, roles
):
    """O-15: the PDF, the lines, the total and the profit fit the phone's width; a send back
    takes its reason, and the note made again is approved with the sign button."""
    # given
    order = at_dealer_approval()
    dealer = dealer_of(order)
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, dealer.username)

    # when the dealer opens the order, and sends the note back with a reason
    page.goto(f"/orders/{order.pk}/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert page.locator("section.profit-note a.pdf").is_visible()
    assert "¥300.00" in page.locator("section.profit-note").inner_text()
    page.fill("form.send-back textarea[name=reason]", REASON)
    page.click("form.send-back button[type=submit]")
    told = page.locator("p.message.success").inner_text()
    sent_back = Order.objects.get(pk=order.pk).step

    # ... and, the clerk having made the note again, approves it
    advance_to(Order.objects.get(pk=order.pk), "dealer_approve")
    page.goto(f"/orders/{order.pk}/")
    page.click("form.sign > button[type=submit]")
    page.click("dialog.sign-confirm [data-sign-ok]")
    page.wait_for_selector("p.message.success")
    phone.close()

    # then
    assert width == PHONE["width"]
    assert sent_back == "delivery_note" and "已退回到：制作成本单和利润单" in told
    approved = Order.objects.get(pk=order.pk)
    assert "dealer_approve" in approved.signed and approved.step != "dealer_approve"


def test_o33_on_a_phone_the_installer_reads_the_measurement_before_signing(
    browser, live_server, roles
):
    """O-33: the installer's page starts with the measurement, within the phone's width."""
    # given
    order = advance_to(measured(dealer_order(needs_installation=True)), "install")
    installer = staff(Role.INSTALLER, username="installer")
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    browser_log_in(page, installer.username)

    # when
    page.goto(f"/orders/{order.pk}/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    measurement = page.locator("#measurement").bounding_box()
    sign_form = page.locator("form.sign").bounding_box()
    shown = page.locator("#measurement").inner_text()
    phone.close()

    # then
    assert width == PHONE["width"]
    assert measurement["y"] < sign_form["y"]
    assert "地铁3号线岗顶站B口" in shown and "卡扣安装" in shown
