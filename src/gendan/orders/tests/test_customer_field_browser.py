"""The clerk finds the customer and the homeowner by typing (Tom Select, issue 12)."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.orders.models import Order
from gendan.orders.tests.helpers import listed_product
from gendan.parties.models import Customer
from gendan.parties.tests.factories import AddressFactory, DealerFactory, HomeownerFactory
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_types_to_find_the_dealer_and_its_homeowner_whose_address_fills_the_order(page):
    # given two dealers with a homeowner each, whose phones end alike
    UserFactory(username="clerk", roles=[Role.CLERK])
    dealer = DealerFactory(name="顺德竹韵经销部", city="佛山市")
    DealerFactory(name="顺德竹韵二店")
    homeowner = HomeownerFactory(name="陈业主", via=dealer, mobile="13912345678")
    AddressFactory(customer=homeowner, street="大良街道1号", floor=5)
    HomeownerFactory(name="陈业主", via=DealerFactory(name="别家经销"), mobile="13812345678")
    listed_product("95", sku="ZF-777", name="碳化平压竹地板")
    browser_log_in(page, "clerk")
    page.goto("/en/orders/new/")

    # when the clerk types part of the dealer's name and picks it
    page.locator("#id_customer-ts-control").press_sequentially("顺德竹韵")
    dealer_answer = page.locator("#id_customer-ts-dropdown .option:has-text('顺德竹韵经销部')")
    # what tells it apart: channel, city, the phone's last digits
    assert f"Dealer · 佛山市 · phone …{dealer.mobile[-4:]}" in dealer_answer.inner_text()
    dealer_answer.click()
    # ... and the homeowner by the last digits of the phone
    page.locator("#id_end_customer-ts-control").press_sequentially("5678")
    homeowners = page.locator("#id_end_customer-ts-dropdown .option")
    homeowners.first.wait_for()
    assert homeowners.all_inner_texts() == ["陈业主 Homeowner · phone …5678 · 顺德竹韵经销部"]
    homeowners.first.click()

    # then the homeowner's phone and address are on the order, still editable
    page.wait_for_function("() => document.querySelector('input[name=street]').value !== ''")
    assert page.input_value("input[name=contact_phone]") == "13912345678"
    assert page.input_value("input[name=floor]") == "5"
    page.fill("input[name=building]", "碧桂园3栋")
    page.select_option("select[name=payment_method]", "bank_transfer")
    page.select_option("select[name=payment_terms]", "prepay")
    page.fill("input[name=expected_delivery_on]", "2026-12-01")
    page.select_option("select[name=lines-0-product]", label="ZF-777 碳化平压竹地板")
    page.fill("input[name=lines-0-quantity]", "30")
    page.fill("input[name=lines-0-unit_price]", "95")
    page.click("main form button[type=submit]")
    order = Order.objects.get(customer=dealer)
    assert page.locator("h1").inner_text().startswith(order.number)
    assert (order.end_customer, order.street, order.building) == (
        homeowner,
        "大良街道1号",
        "碧桂园3栋",
    )


def test_clerk_adds_a_new_homeowner_of_the_dealer_without_leaving_the_form(page):
    # given a clerk registering an order for a dealer
    UserFactory(username="clerk", roles=[Role.CLERK])
    dealer = DealerFactory(name="顺德竹韵经销部")
    browser_log_in(page, "clerk")
    page.goto("/en/orders/new/")
    page.locator("#id_customer-ts-control").press_sequentially("顺德竹韵")
    page.click("#id_customer-ts-dropdown .option:has-text('顺德竹韵经销部')")

    # when the homeowner is added without a phone, then with one
    page.click("details.new-homeowner summary")
    page.fill("[data-new=name]", "林新业主")
    page.click("[data-new-add]")
    page.locator("[data-new-error]:not([hidden])").wait_for()
    assert "mobile or landline number" in page.inner_text("[data-new-error]")
    page.fill("[data-new=phone]", "139 8765 4321")
    page.click("[data-new-add]")

    # then the new homeowner is the dealer's, chosen, and its phone is on the order
    page.wait_for_function("() => document.querySelector('[name=contact_phone]').value !== ''")
    homeowner = Customer.objects.get(name="林新业主")
    assert (homeowner.via, homeowner.mobile) == (dealer, "13987654321")
    assert page.input_value("select[name=end_customer]") == str(homeowner.pk)
    assert page.input_value("input[name=contact_phone]") == "13987654321"
