"""Bad customer input gets a field-level message in the user's language and saves nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.parties.models import PHONE_MISSING, Customer
from gendan.parties.phones import (
    LANDLINE_INVALID,
    MOBILE_INVALID,
    landline_normalize,
    mobile_normalize,
)
from gendan.parties.tests.factories import DealerFactory, HomeownerFactory
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db

EMPTY_FORMSETS = {
    "contacts-TOTAL_FORMS": "0",
    "contacts-INITIAL_FORMS": "0",
    "addresses-TOTAL_FORMS": "0",
    "addresses-INITIAL_FORMS": "0",
}


@pytest.mark.parametrize(
    "wrong",
    ["12345678901", "1381234567", "138123456789", "23812345678", "138-abcd-5678", "020-12345678"],
)
def test_wrong_mobile_numbers_are_refused(wrong):
    with pytest.raises(ValidationError) as refused:
        mobile_normalize(wrong)
    assert refused.value.code == "mobile"


@pytest.mark.parametrize("wrong", ["12345678", "13812345678", "020-123", "0000-12345678", "电话"])
def test_wrong_landline_numbers_are_refused(wrong):
    with pytest.raises(ValidationError) as refused:
        landline_normalize(wrong)
    assert refused.value.code == "landline"


@given(st.sampled_from("356789"), st.integers(min_value=0, max_value=99_999_999))
def test_mobile_numbers_are_kept_in_one_form(second, rest):
    number = f"13{second}{rest:08d}"[:11] if second != "3" else f"13{rest:09d}"[:11]
    spaced = f"{number[:3]} {number[3:7]} {number[7:]}"

    assert mobile_normalize(spaced) == mobile_normalize(f"+86{number}") == number


def test_landlines_are_kept_as_area_code_dash_number():
    assert landline_normalize("02012345678") == "020-12345678"
    assert landline_normalize("0592 512 3456") == "0592-5123456"


def customer_post(**fields):
    return {
        "kind": "homeowner",
        "name": "李业主",
        "is_active": "on",
        "region": "south_china",
        **EMPTY_FORMSETS,
        **fields,
    }


def test_wrong_mobile_in_the_page_is_shown_on_the_field_in_chinese(login, user_with):
    client = login(user_with(Role.CLERK))

    response = client.post(reverse("customer-create"), customer_post(mobile="1381234"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_mobile_error"' in page and in_chinese(MOBILE_INVALID) in page
    assert not Customer.objects.exists()


def test_wrong_landline_in_the_page_is_shown_in_english(login, user_with):
    client = login(user_with(Role.CLERK))

    response = client.post(
        "/en" + reverse("customer-create"), customer_post(mobile="13812345678", landline="123")
    )

    assert str(LANDLINE_INVALID) in response.content.decode()
    assert not Customer.objects.exists()


def test_wrong_contact_phone_saves_neither_customer_nor_contact(login, user_with):
    client = login(user_with(Role.CLERK))
    form = customer_post(mobile="13812345678")
    form |= {
        "contacts-TOTAL_FORMS": "1",
        "contacts-0-name": "王工",
        "contacts-0-mobile": "99999",
    }

    response = client.post(reverse("customer-create"), form)

    assert response.status_code == 200
    assert in_chinese(MOBILE_INVALID) in response.content.decode()
    assert not Customer.objects.exists()
    assert not AuditEvent.objects.exists()


def test_wrong_phone_in_the_api_gets_a_field_message_in_the_callers_language(login, user_with):
    client = login(user_with(Role.CLERK))
    body = {"kind": "homeowner", "name": "李业主", "mobile": "12345"}

    chinese = client.post(
        "/api/customers", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    english = client.post(
        "/api/customers", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert chinese.status_code == english.status_code == 422
    assert chinese.json()["detail"] == [
        {"loc": ["body", "mobile"], "msg": in_chinese(MOBILE_INVALID), "type": "value_error"}
    ]
    assert english.json()["detail"][0]["msg"] == str(MOBILE_INVALID)
    assert not Customer.objects.exists()


def test_a_wrong_type_in_the_api_is_answered_in_chinese(login, user_with):
    client = login(user_with(Role.CLERK))

    response = client.post(
        "/api/customers",
        {"name": "李业主", "via_id": "not a number"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == in_chinese("Enter a whole number.")


def test_homeowner_without_any_phone_is_refused_on_the_mobile_field(login, user_with):
    client = login(user_with(Role.CLERK))

    response = client.post(reverse("customer-create"), customer_post())

    assert response.context["form"].errors["mobile"] == [in_chinese(PHONE_MISSING)]
    assert not Customer.objects.exists()


def test_a_good_customer_with_contact_and_address_is_saved_and_signed(login, user_with):
    clerk = user_with(Role.CLERK)
    client = login(clerk)
    form = customer_post(mobile="138 1234 5678", landline="020 8888 1234", via=DealerFactory().pk)
    form |= {
        "contacts-TOTAL_FORMS": "1",
        "contacts-0-name": "李太太",
        "contacts-0-mobile": "13900001111",
        "addresses-TOTAL_FORMS": "1",
        "addresses-0-province": "广东省",
        "addresses-0-city": "广州市",
        "addresses-0-street": "天河路1号",
        "addresses-0-floor": "18",
    }

    response = client.post(reverse("customer-create"), form)

    customer = Customer.objects.get(kind="homeowner")
    assert response.status_code == 302
    assert (customer.mobile, customer.landline) == ("13812345678", "020-88881234")
    assert customer.contacts.get().name == "李太太"
    assert customer.addresses.get().floor == 18
    actions = AuditEvent.objects.filter(actor=clerk).values_list("action", flat=True)
    assert sorted(actions) == ["address.create", "contact.create", "customer.create"]


@pytest.mark.parametrize("typed", ["1381234", "138 1234", "138-1234-5678", "5678"])
def test_search_finds_a_customer_by_any_way_of_writing_the_phone(login, user_with, typed):
    HomeownerFactory(name="张三", mobile="13812345678")
    HomeownerFactory(name="李四", mobile="13900000000")
    client = login(user_with(Role.CLERK))

    found = client.get(reverse("customer-list"), {"q": typed}).context["page"]

    assert [customer.name for customer in found] == ["张三"]


def test_a_duplicate_platform_id_is_refused_on_its_field(login, user_with):
    HomeownerFactory(kind="online", platform="tmall", platform_id="tb_8848")
    client = login(user_with(Role.CLERK))

    response = client.post(
        "/api/customers",
        {"kind": "online", "name": "网购客", "platform": "tmall", "platform_id": "tb_8848"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "platform_id"]


def test_a_busy_partners_channel_cannot_change(login, user_with):
    dealer = DealerFactory()
    HomeownerFactory(via=dealer)
    client = login(user_with(Role.CLERK))

    response = client.patch(
        f"/api/customers/{dealer.pk}", {"kind": "retail"}, content_type="application/json"
    )

    dealer.refresh_from_db()
    assert response.status_code == 422 and dealer.kind == "dealer"
    assert response.json()["detail"][0]["loc"] == ["body", "kind"]
