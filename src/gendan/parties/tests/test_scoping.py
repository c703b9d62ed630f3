"""A partner's users see only that partner's customers, in pages and in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.catalog.tests.factories import ProductFactory
from gendan.catalog.views import NO_SUCH_CUSTOMER
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_visible
from gendan.parties.tests.factories import (
    DealerFactory,
    HomeownerFactory,
    SupermarketFactory,
)
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_dealers():
    ours, theirs = DealerFactory(name="我们的经销商"), DealerFactory(name="别家经销商")
    return {
        "ours": ours,
        "theirs": theirs,
        "our_homeowner": HomeownerFactory(via=ours, name="我们的业主"),
        "their_homeowner": HomeownerFactory(via=theirs, name="别家的业主"),
        "direct_homeowner": HomeownerFactory(name="公司直客"),
    }


@pytest.mark.parametrize("role", [Role.DEALER, Role.STORE_STAFF])
def test_dealer_users_see_their_dealer_and_its_homeowners_only(user_with, two_dealers, role):
    user = user_with(role, partner=two_dealers["ours"])

    visible = set(customer_visible(user))

    assert visible == {two_dealers["ours"], two_dealers["our_homeowner"]}


def test_promoters_see_only_their_supermarkets_shoppers(user_with):
    market, other_market = SupermarketFactory(), SupermarketFactory()
    shopper, other_shopper = HomeownerFactory(via=market), HomeownerFactory(via=other_market)
    promoter = user_with(Role.PROMOTER, partner=market)

    assert set(customer_visible(promoter)) == {market, shopper}
    assert other_shopper not in customer_visible(promoter)


def test_company_staff_see_every_customer(user_with, two_dealers):
    clerk = user_with(Role.CLERK)

    assert customer_visible(clerk).count() == Customer.objects.count() == 5


def test_customer_list_page_shows_only_the_dealers_own(login, user_with, two_dealers):
    client = login(user_with(Role.DEALER, partner=two_dealers["ours"]))

    page = client.get(reverse("customer-list")).content.decode()

    assert "我们的业主" in page
    assert "别家的业主" not in page and "公司直客" not in page


def test_dealer_opening_another_dealers_customer_gets_404(login, user_with, two_dealers):
    client = login(user_with(Role.DEALER, partner=two_dealers["ours"]))
    theirs = two_dealers["their_homeowner"]

    assert client.get(reverse("customer-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("customer-edit", args=[theirs.pk])).status_code == 404
    assert client.get(f"/api/customers/{theirs.pk}").status_code == 404
    assert (
        client.get(reverse("customer-detail", args=[two_dealers["our_homeowner"].pk])).status_code
        == 200
    )


def test_dealer_editing_another_dealers_customer_gets_404_and_changes_nothing(
    login, user_with, two_dealers
):
    client = login(user_with(Role.DEALER, partner=two_dealers["ours"]))
    theirs = two_dealers["their_homeowner"]
    form = {
        "name": "改掉的名字",
        "mobile": "13800000000",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
    }

    page = client.post(reverse("customer-edit", args=[theirs.pk]), form)
    api = client.patch(
        f"/api/customers/{theirs.pk}", {"name": "改掉的名字"}, content_type="application/json"
    )

    theirs.refresh_from_db()
    assert (page.status_code, api.status_code) == (404, 404)
    assert theirs.name == "别家的业主"
    assert not AuditEvent.objects.filter(action="customer.update").exists()


def test_api_list_is_scoped_too(login, user_with, two_dealers):
    client = login(user_with(Role.DEALER, partner=two_dealers["ours"]))

    names = {row["name"] for row in client.get("/api/customers").json()["items"]}

    assert names == {"我们的经销商", "我们的业主"}


def test_dealer_adds_a_homeowner_who_is_bound_to_the_dealer(login, user_with, two_dealers):
    client = login(user_with(Role.STORE_STAFF, partner=two_dealers["ours"]))

    response = client.post(
        "/api/customers",
        {"name": "新业主", "mobile": "13912345678"},
        content_type="application/json",
    )

    created = Customer.objects.get(name="新业主")
    assert response.status_code == 201
    assert (created.kind, created.via) == ("homeowner", two_dealers["ours"])


def test_dealer_may_not_add_another_channel_or_another_dealers_homeowner(
    login, user_with, two_dealers
):
    client = login(user_with(Role.DEALER, partner=two_dealers["ours"]))
    body = {"name": "偷来的业主", "mobile": "13912345678"}

    as_dealer = client.post(
        "/api/customers", body | {"kind": "dealer"}, content_type="application/json"
    )
    theirs = client.post(
        "/api/customers",
        body | {"via_id": two_dealers["theirs"].pk},
        content_type="application/json",
    )

    assert as_dealer.status_code == theirs.status_code == 422
    assert as_dealer.json()["detail"][0]["loc"] == ["body", "kind"]
    assert theirs.json()["detail"][0]["loc"] == ["body", "via"]
    assert not Customer.objects.filter(name="偷来的业主").exists()


def test_partner_users_may_not_edit_the_partners_own_record(login, user_with, two_dealers):
    ours = two_dealers["ours"]
    client = login(user_with(Role.DEALER, partner=ours))

    page = client.get(reverse("customer-edit", args=[ours.pk]))
    api = client.patch(
        f"/api/customers/{ours.pk}", {"is_active": False}, content_type="application/json"
    )

    ours.refresh_from_db()
    assert (page.status_code, api.status_code) == (403, 403)
    assert ours.is_active


def test_promoter_gets_404_for_another_supermarkets_shopper_and_prices(login, user_with):
    market, other_market = SupermarketFactory(), SupermarketFactory()
    other_shopper = HomeownerFactory(via=other_market)
    product = ProductFactory()
    client = login(user_with(Role.PROMOTER, partner=market))

    assert client.get(reverse("customer-detail", args=[other_shopper.pk])).status_code == 404
    assert client.get(f"/api/customers/{other_shopper.pk}").status_code == 404
    price = {"product_id": product.pk, "customer_id": other_shopper.pk}
    assert client.get("/api/catalog/price", price).status_code == 404
    page_price = reverse("product-price", args=[product.pk])
    answer = client.get(page_price, {"customer": other_shopper.pk}).content.decode()
    assert in_chinese(NO_SUCH_CUSTOMER) in answer
