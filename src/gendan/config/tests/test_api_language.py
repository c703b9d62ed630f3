"""The API answers in the caller's language (Accept-Language), as the README says."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db
REQUIRED = {"en": "This field is required.", "zh-hans": "此项为必填项。"}
REFUSED = {"en": "You do not have permission to do this.", "zh-hans": "您没有执行此操作的权限。"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_api_input_error_is_in_the_callers_language(client, roles, language):
    # given a clerk
    client.force_login(staff(Role.CLERK))
    # when the clerk sends an order without its fields, asking for an answer in a language
    answer = client.post(
        "/api/orders", {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    # then each missing field is named in that language
    assert answer.status_code == 422
    assert {error["msg"] for error in answer.json()["detail"]} == {REQUIRED[language]}
    assert answer["Content-Language"] == language


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_api_refusal_is_in_the_callers_language(client, roles, language):
    # given a driver, who does not read price lists
    client.force_login(staff(Role.DRIVER))
    # when the driver asks for them
    answer = client.get("/api/catalog/price-lists", HTTP_ACCEPT_LANGUAGE=language)
    # then the refusal is in the caller's language
    assert answer.status_code == 403
    assert answer.json() == {"detail": REFUSED[language]}


NOT_FOUND = {"en": "Not found.", "zh-hans": "未找到。"}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_api_not_found_is_in_the_callers_language(client, roles, language):
    # given a clerk
    client.force_login(staff(Role.CLERK))
    # when the clerk asks for an order that does not exist
    answer = client.get("/api/orders/999999", HTTP_ACCEPT_LANGUAGE=language)
    # then the answer says so in the caller's language
    assert answer.status_code == 404
    assert answer.json() == {"detail": NOT_FOUND[language]}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The request body cannot be read (send JSON)."),
        ("zh-hans", "无法读取请求正文（请发送 JSON）。"),
    ],
)
def test_a_body_that_is_not_json_is_refused_in_the_callers_language(
    login, user_with, language, expected
):
    # given a clerk's program
    client = login(user_with(Role.CLERK))

    # when it sends a body that is not JSON
    response = client.post(
        "/api/orders", "{not json", content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )  # fmt: skip

    # then it is told so in its language
    assert response.status_code == 400
    assert response.json() == {"detail": expected}
