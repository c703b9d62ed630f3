"""A clerk registers and verifies an order, finance signs it, the warehouse dispatches it."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.orders.models import Order
from gendan.orders.tests.helpers import listed_product
from gendan.parties.tests.factories import DealerFactory
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign(page, order):
    page.goto(f"/en/orders/{order.pk}/")
    sign_here(page)


def sign_here(page):
    """The sign button, then the dialog's, which shows what is signed before it is sent."""
    page.click("form.sign > button[type=submit]")
    page.click("dialog.sign-confirm [data-sign-ok]")


def test_clerk_registers_and_verifies_finance_signs_warehouse_dispatches(page, roles):
    for role in (Role.CLERK, Role.FINANCE, Role.WAREHOUSE):
        UserFactory(username=str(role), roles=[role])
    dealer = DealerFactory(name="顺德竹韵经销部")
    listed_product("95", sku="ZF-777", name="碳化平压竹地板")

    # the clerk registers the order
    browser_log_in(page, "clerk")
    page.goto("/en/orders/new/")
    page.locator("#id_customer-ts-control").press_sequentially("顺德竹韵")  # searched, not listed
    page.click(".ts-dropdown .option:has-text('顺德竹韵经销部')")
    page.select_option("select[name=payment_method]", "bank_transfer")
    page.select_option("select[name=payment_terms]", "prepay")
    page.fill("input[name=province]", "广东省")
    page.fill("input[name=city]", "佛山市")
    page.fill("input[name=street]", "大良街道1号")
    page.fill("input[name=floor]", "5")
    page.fill("input[name=contact_phone]", "13812345678")
    page.fill("input[name=expected_delivery_on]", "2026-12-01")
    page.select_option("select[name=lines-0-product]", label="ZF-777 碳化平压竹地板")
    page.fill("input[name=lines-0-quantity]", "30")
    page.fill("input[name=lines-0-unit_price]", "95")
    page.click("main form button[type=submit]")
    order = Order.objects.get(customer=dealer)
    assert page.locator("h1").inner_text().startswith(order.number)

    # ... and verifies it: every item of the checklist ticked and signed in one go
    for box in page.locator("fieldset.checks input[type=checkbox]").all():
        box.check()
    sign_here(page)  # verify
    # the delivery note: booked with the customer, payment confirmed again (O-41, O-57)
    page.goto(f"/en/orders/{order.pk}/")
    page.fill("input[name=record-delivery_booked_for]", "2026-12-01")
    page.fill("input[name=record-booked_with]", "店长 陈")
    page.check("input[name=record-payment_reconfirmed]")
    sign_here(page)
    page.goto(f"/en/orders/{order.pk}/")
    assert "Finance receives the payment" in page.locator("li.route-step.current").inner_text()

    # finance records the payment and signs the delivery note
    browser_log_in(page, "finance")
    page.goto(f"/en/orders/{order.pk}/")
    page.select_option("form[action$='/receipts/'] select[name=method]", "bank_transfer")
    page.click("form[action$='/receipts/'] button[type=submit]")
    sign(page, order)  # receive payment
    sign(page, order)  # finance review

    # the warehouse ships; the driver signs the warehouse copy (O-20)
    browser_log_in(page, "warehouse")
    page.goto(f"/en/orders/{order.pk}/")
    page.fill("input[name=record-signed_out_by]", "司机 王师傅")
    sign_here(page)

    order.refresh_from_db()
    assert order.step == "deliver"
    signed = dict(order.step_log.filter(outcome="done").values_list("step", "actor__username"))
    assert signed["verify"] == "clerk" and signed["finance_review"] == "finance"
    assert signed["ship"] == "warehouse"
    assert order.step_log.get(step="ship").data == {"signed_out_by": "司机 王师傅"}
    assert "✓" in page.locator("li.route-step.done").last.inner_text()
