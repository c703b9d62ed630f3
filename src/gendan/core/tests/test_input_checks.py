"""Input no view could store is refused with a 4xx that says why, and changes nothing."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from django.test import override_settings
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.core.input_checks import BODY_TOO_BIG, NUL_REFUSED, SURROGATE_REFUSED
from gendan.parties.models import Customer

pytestmark = pytest.mark.django_db
JSON = "application/json"
LISTS = ["order-log", "customer-list", "product-list", "crm-customers", "audit-list"]
PAGED = [
    *LISTS, "price-list-list", "receivables", "delivery-schedule", "crm-rfm-people",
    "crm-items", "crm-loyal",
]  # fmt: skip
API_LISTS = ["/api/orders", "/api/customers", "/api/catalog/products", "/api/catalog/price-lists"]


@pytest.fixture
def admin(login, user_with):
    return login(user_with(Role.CLERK, is_superuser=True))


def new_customer(**changes: str) -> dict[str, str]:
    return {"kind": "retail", "name": "王先生", "mobile": "13800000000"} | changes


@pytest.mark.parametrize("name", LISTS)
def test_a_search_with_a_nul_character_is_refused_on_every_list_page(admin, name):
    # when
    response = admin.get(reverse(name), {"q": "王\x00"})
    # then
    assert response.status_code == 400
    assert str(NUL_REFUSED) in response.content.decode()


@pytest.mark.parametrize("path", API_LISTS)
def test_a_search_with_a_nul_character_is_refused_by_every_api_list(admin, path):
    # when
    response = admin.get(path, {"q": "王\x00"})
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": str(NUL_REFUSED)}


def test_a_path_with_a_nul_character_is_refused(admin):
    # when
    response = admin.get("/api/documents/1/\x00.pdf")
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": str(NUL_REFUSED)}


def test_a_search_with_a_nul_character_is_refused_whatever_the_body(admin):
    # when: a body that is not JSON beside the search
    response = admin.generic("GET", "/api/orders?q=%00", "not json", content_type="text/plain")
    # then
    assert response.status_code == 400


def test_a_json_body_nested_deeper_than_python_recurses_is_no_server_error(admin):
    # when
    response = admin.post("/api/customers", "[" * 100_000 + "]" * 100_000, content_type=JSON)
    # then
    assert response.status_code == 400


def test_a_form_with_a_nul_character_is_refused_and_records_nothing(admin):
    # when
    response = admin.post(reverse("customer-create"), new_customer(name="王\x00先生"))
    # then
    assert response.status_code == 400
    assert str(NUL_REFUSED) in response.content.decode()
    assert not Customer.objects.exists()


def test_an_api_body_with_a_nul_character_is_refused_and_records_nothing(admin):
    # when
    response = admin.post("/api/customers", new_customer(name="王\x00先生"), content_type=JSON)
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": str(NUL_REFUSED)}
    assert not Customer.objects.exists()


def test_an_api_body_with_a_lone_surrogate_is_refused_and_records_nothing(admin):
    # given: "\ud800" as JSON writes it, a half of a pair that no UTF-8 can hold
    body = json.dumps(new_customer(name="王\ud800"))
    # when
    response = admin.post("/api/customers", body, content_type=JSON)
    # then
    assert response.status_code == 400
    assert response.json() == {"detail": str(SURROGATE_REFUSED)}
    assert not Customer.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_an_api_body_over_the_limit_is_refused_with_413_and_says_the_limit(admin):
    # when
    body = new_customer(name="王" * 2000)
    response = admin.post("/api/customers", body, content_type=JSON)
    # then
    assert response.status_code == 413
    assert response.json() == {"detail": str(BODY_TOO_BIG % {"limit": 1000})}
    assert not Customer.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_form_over_the_limit_is_refused_with_413_and_says_the_limit(admin):
    # when
    body = urlencode(new_customer(name="王" * 2000))
    form = "application/x-www-form-urlencoded"
    response = admin.post(reverse("customer-create"), body, content_type=form)
    # then
    assert response.status_code == 413
    assert str(BODY_TOO_BIG % {"limit": 1000}) in response.content.decode()
    assert not Customer.objects.exists()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_multipart_form_whose_fields_are_over_the_limit_is_refused_with_413(admin):
    # when: the client's default body is multipart
    response = admin.post(reverse("customer-create"), new_customer(note="王" * 2000))
    # then
    assert response.status_code == 413
    assert not Customer.objects.exists()


@pytest.mark.parametrize("name", PAGED)
def test_a_page_number_beyond_any_integer_shows_the_last_page(admin, name):
    # when
    response = admin.get(reverse(name), {"page": "99999999999999999999"})
    # then
    assert response.status_code == 200


@pytest.mark.parametrize("path", API_LISTS)
def test_a_page_number_beyond_any_integer_is_refused_by_every_api_list(admin, path):
    # when
    response = admin.get(path, {"page": "99999999999999999999"})
    # then
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "page"


def test_a_refusal_speaks_the_users_language(admin):
    # when
    response = admin.get("/api/orders", {"q": "\x00"}, headers={"accept-language": "en"})
    # then
    assert response.json() == {
        "detail": "The input contains a NUL character (code 0), which cannot be stored."
    }
