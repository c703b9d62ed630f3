"""With DEBUG off, errors show gendan's own pages in the user's language, never Django's
technical pages with the URL patterns and settings."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import get_resolver
from django.utils import translation

TECHNICAL = ("URLconf", "urlpatterns", "Traceback", "DEBUG = True", "SECRET_KEY")


def assert_not_technical(content: str) -> None:
    for word in TECHNICAL:
        assert word not in content


@pytest.mark.django_db
def test_an_unknown_address_shows_the_page_not_found_in_chinese(client, settings):
    # given
    settings.DEBUG = False

    # when
    response = client.get("/orders/no-such-page/")

    # then
    content = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in content
    assert "/orders/no-such-page/" in content
    assert_not_technical(content)


@pytest.mark.django_db
def test_an_unknown_address_in_the_english_pages_speaks_english(client, settings):
    # given
    settings.DEBUG = False

    # when
    response = client.get("/en/no-such-page/")

    # then
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_page_beyond_the_role_shows_not_allowed(client, login, user_with, settings):
    # given: a user with no role opens the receivables
    settings.DEBUG = False
    client = login(user_with())

    # when
    response = client.get("/orders/receivables/")

    # then
    content = response.content.decode()
    assert response.status_code == 403
    assert "无权访问" in content
    assert_not_technical(content)


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_shows_bad_request(client, settings):
    # given
    settings.DEBUG = False

    # when
    response = client.get("/", HTTP_HOST="attacker.example")

    # then
    content = response.content.decode()
    assert response.status_code == 400
    assert "请求无效" in content
    assert_not_technical(content)


@pytest.mark.parametrize(("language", "title"), [("zh-hans", "服务器出错"), ("en", "Server error")])
def test_the_server_error_page_needs_no_database(language, title):
    """No django_db mark: any query would fail the test, as it would when the database is down."""
    # given
    handler = get_resolver().resolve_error_handler(500)
    request = RequestFactory().get("/orders/")

    # when
    with translation.override(language):
        response = handler(request)

    # then
    content = response.content.decode()
    assert response.status_code == 500
    assert title in content
    assert_not_technical(content)


@pytest.mark.django_db
def test_a_form_sent_without_its_csrf_token_shows_form_expired_in_chinese(settings):
    # given: a browser that enforces the CSRF check, as every real one does
    settings.DEBUG = False
    browser = Client(enforce_csrf_checks=True)

    # when
    response = browser.post("/login/", {"username": "a", "password": "b"})

    # then
    content = response.content.decode()
    assert response.status_code == 403
    assert "表单已过期" in content
    assert_not_technical(content)


@pytest.mark.django_db
def test_a_buttons_address_opened_as_a_link_shows_a_page_in_chinese(client, settings, user_with):
    # given a signed-in user, with DEBUG off
    settings.DEBUG = False
    client.force_login(user_with())

    # when they open the address of a button (logging out takes a POST)
    response = client.get("/logout/")

    # then gendan's page says to use the button, in their language
    content = response.content.decode()
    assert response.status_code == 405
    assert "请回到页面，使用页面上的按钮" in content
    assert_not_technical(content)
