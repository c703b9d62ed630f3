"""The web shell: logging in, the role-aware home page, language, lists and permissions."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.catalog.models import PriceKind, Product
from gendan.catalog.tests.factories import PriceListFactory, ProductFactory
from gendan.orders.tests.helpers import DAY, order_registered, staff
from gendan.parties.tests.factories import DealerFactory, HomeownerFactory, SupermarketFactory

pytestmark = pytest.mark.django_db


def test_pages_need_a_login(client):
    for name in ("home", "customer-list", "product-list", "price-list-list"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_logging_in_and_out(client, user_with):
    user_with(Role.CLERK, username="wenyuan")

    logged_in = client.post(
        reverse("login"), {"username": "wenyuan", "password": "correct horse battery"}
    )
    home = client.get(reverse("home"))
    logged_out = client.post(reverse("logout"))

    assert logged_in.status_code == 302 and home.status_code == 200
    assert logged_out.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_refused_in_chinese(client, user_with):
    user_with(Role.CLERK, username="wenyuan")

    response = client.post(reverse("login"), {"username": "wenyuan", "password": "wrong"})

    page = response.content.decode()
    assert response.status_code == 200 and 'role="alert"' in page and "密码" in page


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_its_own_section_on_the_home_page(login, user_with, role):
    partner = {Role.DEALER: DealerFactory, Role.STORE_STAFF: DealerFactory}.get(role)
    partner = SupermarketFactory() if role == Role.PROMOTER else partner() if partner else None
    client = login(user_with(role, partner=partner))

    page = client.get("/en/").content.decode()

    assert f"<h2>{role.label}</h2>".replace("'", "&#x27;") in page
    assert "Nothing waiting." in page


def test_the_home_page_lists_the_orders_waiting_on_each_role(login, roles):
    order = order_registered(DealerFactory(), expected_delivery_on=DAY)
    clerk_page = login(staff(Role.CLERK)).get("/en/").content.decode()
    finance_page = login(staff(Role.FINANCE)).get("/en/").content.decode()

    assert order.number in clerk_page and "Verify the order" in clerk_page
    assert "Not verified on the day it arrived." in clerk_page  # registered yesterday or before
    assert order.number not in finance_page


def test_the_language_switch_moves_to_english_and_back(login, user_with):
    client = login(user_with(Role.CLERK))

    to_english = client.post(reverse("set_language"), {"language": "en", "next": "/customers/"})
    english = client.get(to_english["Location"])
    to_chinese = client.post(
        reverse("set_language"), {"language": "zh-hans", "next": "/en/customers/"}
    )

    assert to_english["Location"] == "/en/customers/"
    assert "<h1>Customers</h1>" in english.content.decode()
    assert to_chinese["Location"] == "/customers/"
    assert "<h1>客户</h1>" in client.get("/customers/").content.decode()


def test_product_list_searches_filters_sorts_and_pages(login, user_with, settings):
    settings.GENDAN_PAGE_SIZE = 2
    for sku in ("ZF-103", "ZF-101", "ZF-102"):
        ProductFactory(sku=sku)
    ProductFactory(sku="SK-80", name="踢脚线", category="skirting", unit="metre")
    client = login(user_with(Role.CLERK))
    url = reverse("product-list")

    first = client.get(url, {"category": "flooring", "o": "-sku"}).context["page"]
    second = client.get(url, {"category": "flooring", "o": "-sku", "page": 2}).context["page"]
    found = client.get(url, {"q": "踢脚"}).context["page"]

    assert [p.sku for p in first] == ["ZF-103", "ZF-102"]
    assert [p.sku for p in second] == ["ZF-101"]
    assert [p.sku for p in found] == ["SK-80"]


def test_customer_list_filters_by_channel_and_sorts_by_name(login, user_with):
    HomeownerFactory(name="乙")
    HomeownerFactory(name="甲")
    DealerFactory(name="丙经销")
    client = login(user_with(Role.CLERK))

    page = client.get(reverse("customer-list"), {"kind": "homeowner", "o": "-name"}).context["page"]

    assert [c.name for c in page] == sorted(["甲", "乙"], reverse=True)


def test_clerk_may_read_products_but_not_change_them(login, user_with):
    product = ProductFactory()
    client = login(user_with(Role.CLERK))

    assert client.get(reverse("product-detail", args=[product.pk])).status_code == 200
    assert client.get(reverse("product-edit", args=[product.pk])).status_code == 403
    assert (
        client.patch(
            f"/api/catalog/products/{product.pk}", {"name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_manager_edits_a_product_in_the_page(login, user_with):
    product = ProductFactory(name="旧名字")
    client = login(user_with(Role.GENERAL_MANAGER))
    form = {
        "sku": product.sku, "name": "新名字", "category": "flooring", "board_class": "wide",
        "unit": "m2", "length_mm": "960", "width_mm": "123", "thickness_mm": "17",
        "is_active": "on",
    }  # fmt: skip

    response = client.post(reverse("product-edit", args=[product.pk]), form)

    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).name == "新名字"


def test_product_api_refuses_a_negative_pack_size_and_saves_nothing(login, user_with):
    client = login(user_with(Role.GENERAL_MANAGER))
    body = {"sku": "X-1", "name": "地板", "category": "flooring", "unit": "m2", "pack_size": "-1"}

    response = client.post("/api/catalog/products", body, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "pack_size"]
    assert not Product.objects.exists()


def test_dealers_see_only_their_own_price_lists(login, user_with):
    dealer = DealerFactory()
    general = PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT)
    own = PriceListFactory(
        kind=PriceKind.DEALER_SETTLEMENT, customer=dealer, valid_from="2027-01-01"
    )
    other = PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT, customer=DealerFactory())
    supermarket = PriceListFactory(kind=PriceKind.SUPERMARKET_SETTLEMENT)
    client = login(user_with(Role.DEALER, partner=dealer))

    listed = set(client.get(reverse("price-list-list")).context["page"])

    assert listed == {general, own}
    assert client.get(reverse("price-list-detail", args=[other.pk])).status_code == 404
    assert client.get(f"/api/catalog/price-lists/{supermarket.pk}").status_code == 404


def test_price_lookup_in_the_api(login, user_with):
    product = ProductFactory()
    PriceListFactory(kind=PriceKind.RETAIL).items.create(product=product, price="199.00")
    walk_in = HomeownerFactory()
    client = login(user_with(Role.CLERK))

    response = client.get(
        "/api/catalog/price",
        {"product_id": product.pk, "customer_id": walk_in.pk, "on": "2026-05-01"},
    )

    assert response.json()["amount"] == "199.00" and response.json()["kind"] == "retail"


def test_every_model_has_an_admin_page(client, user_with):
    admin_user = user_with(is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    ours = [m for m in apps.get_models() if m.__module__.startswith("gendan.")]

    assert ours and all(model in admin.site._registry for model in ours)
    for model in ours:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url


def test_api_docs_are_served(login, user_with):
    client = login(user_with(Role.CLERK))

    assert client.get("/api/docs").status_code == 200
    assert "/api/customers" in client.get("/api/openapi.json").json()["paths"]


def test_o6_a_referred_order_waits_on_the_sales_reps_home_page(login, roles):
    """O-6: the sales rep finds the question on the home page."""
    from gendan.orders.services.verification import order_refer_to_sales_rep

    order = order_registered(DealerFactory())
    order_refer_to_sales_rep(actor=staff(Role.CLERK), order=order, note="月结")

    page = login(staff(Role.SALES_REP)).get("/en/").content.decode()

    assert order.number in page and "Payment question referred" in page
