"""Numbers beyond their column and loose texts are refused with a message, on pages and API
alike; nothing is recorded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.orders.forms import PHONE_INVALID
from gendan.orders.models import DealerCharge, Order, Receipt
from gendan.orders.services.receipts import PAID_BEYOND_LIMIT
from gendan.orders.tests.helpers import listed_product, order_registered, staff
from gendan.orders.tests.test_api import body
from gendan.orders.tests.test_pages import register_form
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
LIMIT = "999,999,999,999.99"


def told(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_api_order_with_a_quantity_of_1e30_is_refused_by_its_line(client, roles):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    lines = [{"product_id": product.pk, "quantity": "1e30"}]
    # when
    response = client.post("/api/orders", body(dealer, product, lines=lines), content_type=JSON)
    # then
    assert response.status_code == 422
    assert ["body", "lines", 0, "quantity"] in [e["loc"] for e in response.json()["detail"]]
    assert not Order.objects.exists()


def test_the_order_page_refuses_a_quantity_of_1e30(client, roles):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    # when
    form = register_form(dealer, product, **{"lines-0-quantity": "1e30"})
    response = client.post(reverse("order-register"), form)
    # then
    assert response.status_code == 200
    assert response.context["lines"].errors[0]["quantity"]
    assert not Order.objects.exists()


def test_a_receipt_that_would_overflow_the_orders_paid_total_is_refused(client, roles):
    # given: an order with something paid already
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.FINANCE))
    first = {"amount": "100", "method": "cash"}
    client.post(f"/api/orders/{order.pk}/receipts", first, content_type=JSON)
    # when
    huge = {"amount": "999999999999.99", "method": "cash", "excess_as_credit": True}
    response = client.post(f"/api/orders/{order.pk}/receipts", huge, content_type=JSON)
    # then
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "amount"],
            "msg": str(PAID_BEYOND_LIMIT % {"limit": LIMIT}),
            "type": "value_error",
        }
    ]
    order.refresh_from_db()
    assert order.paid == Decimal("100")
    assert Receipt.objects.count() == 1


@pytest.mark.parametrize("amount", ["1e20", "100000000000000"])
def test_the_receipt_form_refuses_an_amount_beyond_its_column(client, roles, amount):
    # given
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.FINANCE))
    # when
    form = {"amount": amount, "method": "cash"}
    response = client.post(reverse("order-receipt", args=[order.pk]), form)
    # then
    assert response.status_code == 302
    assert told(response)
    assert not Receipt.objects.exists()


def test_the_receipt_form_refuses_credit_as_money_received(client, roles):
    # given
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.FINANCE))
    # when
    form = {"amount": "100", "method": "credit"}
    response = client.post(reverse("order-receipt", args=[order.pk]), form)
    # then
    assert response.status_code == 302
    assert told(response)
    assert not Receipt.objects.exists()


def test_the_receipt_form_refuses_a_receipt_that_would_overflow_the_paid_total(client, roles):
    # given
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.FINANCE))
    page = reverse("order-receipt", args=[order.pk])
    client.post(page, {"amount": "100", "method": "cash"})
    # when
    huge = {"amount": "999999999999.99", "method": "cash", "excess_as_credit": "on"}
    response = client.post(page, huge)
    # then
    assert str(PAID_BEYOND_LIMIT % {"limit": LIMIT}) in told(response)
    order.refresh_from_db()
    assert order.paid == Decimal("100")


@pytest.mark.parametrize("field", ["order", "charge", "against"])
def test_the_dealer_account_form_refuses_a_record_number_that_is_not_a_number(client, roles, field):
    # given
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.FINANCE))
    # when
    form = {"order": order.pk, "kind": "shortfall", "amount": "10", field: "abc"}
    page = reverse("dealer-account", args=[order.customer_id])
    response = client.post(page, form)
    # then
    assert response.status_code == 302
    assert told(response)
    assert not DealerCharge.objects.exists()


def test_an_api_addition_longer_than_the_page_allows_is_refused(client, roles):
    # given
    order = order_registered(DealerFactory())
    before = order.other_requests
    client.force_login(staff(Role.CLERK))
    # when
    text = {"text": "电" * 201}
    response = client.post(f"/api/orders/{order.pk}/additions", text, content_type=JSON)
    # then
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]
    order.refresh_from_db()
    assert order.other_requests == before


def test_an_api_order_with_contact_phone_12345_is_refused(client, roles):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    # when
    order = body(dealer, product, contact_phone="12345")
    response = client.post("/api/orders", order, content_type=JSON)
    # then
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "contact_phone"], "msg": str(PHONE_INVALID), "type": "value_error"}
    ]
    assert not Order.objects.exists()


def test_the_order_page_refuses_contact_phone_12345(client, roles):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    # when
    form = register_form(dealer, product, contact_phone="12345")
    response = client.post(reverse("order-register"), form)
    # then
    assert response.status_code == 200
    assert response.context["form"].errors["contact_phone"] == [str(PHONE_INVALID)]
    assert not Order.objects.exists()


@pytest.mark.parametrize("phone", ["13812345678", "020-12345678"])
def test_an_order_takes_a_mobile_or_a_landline_as_its_contact_phone(client, roles, phone):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    # when
    order = body(dealer, product, contact_phone=phone)
    response = client.post("/api/orders", order, content_type=JSON)
    # then
    assert response.status_code == 201
    assert Order.objects.get().contact_phone == phone


@pytest.mark.parametrize("confirmed_to", ["", "王" * 61])
def test_o3_the_api_refuses_a_confirmation_the_page_refuses(client, roles, confirmed_to):
    """O-3: whom the clerk told must be named, in at most 60 characters, through the API as on
    the page (61 characters gave a 500 on PostgreSQL)."""
    # given an order waiting for its confirmation of receipt
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))
    # when the API records one told to nobody, or to a name too long
    response = client.post(
        f"/api/orders/{order.pk}/confirmation", {"confirmed_to": confirmed_to}, content_type=JSON
    )
    # then it is refused by its field and nothing is recorded
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "confirmed_to"]
    order.refresh_from_db()
    assert order.receipt_confirmed_to == "" and order.receipt_confirmed_at is None


def test_o3_the_page_says_why_it_refuses_a_confirmation(client, roles):
    # given an order waiting for its confirmation of receipt
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))
    # when the clerk sends the form without saying whom they told
    response = client.post(reverse("order-confirmation", args=[order.pk]), {"confirmed_to": ""})
    # then the page says what is missing
    assert any("此项为必填项" in message for message in told(response))
    order.refresh_from_db()
    assert order.receipt_confirmed_at is None
