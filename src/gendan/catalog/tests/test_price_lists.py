"""Price lists: validity may not overlap, prices may not be negative; nothing half-saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.catalog.models import PriceKind, PriceList, PriceListItem
from gendan.catalog.services import price_list_create, price_list_update
from gendan.catalog.tests.factories import PriceListFactory, ProductFactory
from gendan.parties.tests.factories import DealerFactory
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db
NEGATIVE = "Must not be negative."


@pytest.fixture
def finance(user_with):
    return user_with(Role.FINANCE)


def list_fields(**changes):
    fields = {
        "name": "2026 retail",
        "kind": PriceKind.RETAIL,
        "customer": None,
        "valid_from": dt.date(2026, 1, 1),
        "valid_to": None,
        "note": "",
    }
    return fields | changes


def test_overlapping_validity_is_refused_and_names_the_other_list(finance):
    PriceListFactory(
        name="上半年零售价", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 30)
    )

    with pytest.raises(ValidationError) as refused:
        price_list_create(
            actor=finance, fields=list_fields(valid_from=dt.date(2026, 6, 30)), items=[]
        )

    assert "上半年零售价" in str(refused.value.message_dict["valid_from"])
    assert PriceList.objects.count() == 1


def test_an_open_ended_list_overlaps_every_later_one(finance):
    PriceListFactory(valid_from=dt.date(2026, 1, 1), valid_to=None)

    with pytest.raises(ValidationError):
        price_list_create(
            actor=finance, fields=list_fields(valid_from=dt.date(2030, 1, 1)), items=[]
        )


def test_lists_that_touch_without_sharing_a_day_are_fine(finance):
    PriceListFactory(valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 30))

    price_list_create(actor=finance, fields=list_fields(valid_from=dt.date(2026, 7, 1)), items=[])

    assert PriceList.objects.count() == 2


def test_same_period_for_another_customer_or_kind_is_no_overlap(finance):
    dealer = DealerFactory()
    PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT)
    kind = PriceKind.DEALER_SETTLEMENT

    price_list_create(actor=finance, fields=list_fields(kind=kind, customer=dealer), items=[])
    price_list_create(actor=finance, fields=list_fields(kind=PriceKind.RETAIL), items=[])

    assert PriceList.objects.count() == 3


def test_moving_a_list_onto_another_is_refused_and_nothing_changes(finance):
    PriceListFactory(valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 30))
    later = PriceListFactory(valid_from=dt.date(2026, 7, 1))
    product = ProductFactory()

    with pytest.raises(ValidationError):
        price_list_update(
            actor=finance,
            price_list=later,
            fields={"valid_from": dt.date(2026, 5, 1)},
            items=[(product, Decimal("10"))],
        )

    later.refresh_from_db()
    assert later.valid_from == dt.date(2026, 7, 1)
    assert not PriceListItem.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="price_list").exists()


def test_a_contract_list_must_match_the_customers_channel(finance):
    with pytest.raises(ValidationError) as refused:
        price_list_create(
            actor=finance,
            fields=list_fields(kind=PriceKind.SUPERMARKET_SETTLEMENT, customer=DealerFactory()),
            items=[],
        )
    assert "customer" in refused.value.message_dict


def test_negative_price_is_refused_by_the_service(finance):
    with pytest.raises(ValidationError):
        price_list_create(
            actor=finance, fields=list_fields(), items=[(ProductFactory(), Decimal("-0.01"))]
        )
    assert not PriceList.objects.exists()


def price_list_post(product, price, **changes):
    data = {
        "name": "2026 零售价",
        "kind": "retail",
        "customer": "",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "note": "",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-product": str(product.pk),
        "items-0-price": price,
    }
    return data | changes


def test_negative_price_in_the_page_gets_a_field_message_in_chinese(login, finance):
    client = login(finance)
    product = ProductFactory()

    response = client.post(reverse("price-list-create"), price_list_post(product, "-5"))

    assert response.status_code == 200
    assert in_chinese(NEGATIVE) in response.content.decode()
    assert not PriceList.objects.exists()


def test_negative_price_in_the_page_gets_a_field_message_in_english(login, finance):
    client = login(finance)
    product = ProductFactory()

    response = client.post("/en" + reverse("price-list-create"), price_list_post(product, "-5"))

    assert "Must not be negative." in response.content.decode()
    assert not PriceList.objects.exists()


def test_overlapping_list_in_the_page_is_refused_on_the_date_field(login, finance):
    PriceListFactory(name="全年零售价", valid_from=dt.date(2026, 1, 1))
    client = login(finance)

    response = client.post(
        reverse("price-list-create"),
        price_list_post(ProductFactory(), "10", valid_from="2026-03-01"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "全年零售价" in page and 'id="id_valid_from_error"' in page
    assert PriceList.objects.count() == 1


def test_a_good_list_is_saved_with_its_prices_and_signed(login, finance):
    client = login(finance)
    product = ProductFactory()

    response = client.post(reverse("price-list-create"), price_list_post(product, "128.50"))

    price_list = PriceList.objects.get()
    assert response.status_code == 302
    assert price_list.items.get().price == Decimal("128.50")
    signed = AuditEvent.objects.filter(actor=finance, target_id=str(price_list.pk))
    assert set(signed.values_list("action", flat=True)) == {
        "price_list.create",
        "price_list.prices",
    }


def test_overlap_and_negative_price_through_the_api(login, finance):
    PriceListFactory(valid_from=dt.date(2026, 1, 1))
    client = login(finance)
    product = ProductFactory()
    body = {"name": "x", "kind": "retail", "valid_from": "2026-02-01", "items": []}

    overlap = client.post("/api/catalog/price-lists", body, content_type="application/json")
    body = body | {"kind": "group_buy", "items": [{"product_id": product.pk, "price": "-1"}]}
    negative = client.post("/api/catalog/price-lists", body, content_type="application/json")

    assert overlap.status_code == 422
    assert overlap.json()["detail"][0]["loc"] == ["body", "valid_from"]
    assert negative.status_code == 422
    assert negative.json()["detail"][0]["loc"] == ["body", "items", 0, "price"]
    assert PriceList.objects.count() == 1


def test_an_end_before_the_start_is_refused_on_the_end_date(login, finance):
    client = login(finance)
    form = price_list_post(ProductFactory(), "10", valid_from="2026-05-01", valid_to="2026-04-30")

    response = client.post(reverse("price-list-create"), form)

    assert "valid_to" in response.context["form"].errors
    assert not PriceList.objects.exists()


def test_the_admin_refuses_an_overlapping_list_too(client, user_with):
    PriceListFactory(name="全年零售价", valid_from=dt.date(2026, 1, 1))
    client.force_login(user_with(is_superuser=True, is_staff=True))
    form = {
        "name": "重叠", "kind": "retail", "valid_from": "2026-03-01", "note": "",
        "items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0",
    }  # fmt: skip

    response = client.post("/admin/catalog/pricelist/add/", form)

    assert response.status_code == 200 and "全年零售价" in response.content.decode()
    assert PriceList.objects.count() == 1
