"""A language chosen once stays for URLs without /en/ (issue 12): Chinese has no prefix, so
without this an address typed or bookmarked without /en/ fell back to Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db


def test_english_chosen_once_stays_for_a_plain_url(client, roles):
    # given a clerk who chose English on one page
    client.force_login(staff(Role.CLERK))
    client.post(reverse("set_language"), {"language": "en", "next": "/customers/"})

    # when the clerk opens another page by its address without /en/
    answer = client.get("/orders/?q=A1", follow=True)

    # then it opens in English at its /en/ address, the query kept
    assert answer.redirect_chain == [("/en/orders/?q=A1", 302)]
    assert answer["Content-Language"] == "en"


def test_chinese_chosen_again_stays_too(client, roles):
    # given a clerk who chose English, then Chinese again
    client.force_login(staff(Role.CLERK))
    client.post(reverse("set_language"), {"language": "en", "next": "/customers/"})
    back = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/en/customers/"})

    # when the clerk opens a page without /en/
    answer = client.get("/orders/")

    # then it is Chinese, where it was asked for
    assert back.url == "/customers/"
    assert answer.status_code == 200 and answer["Content-Language"] == "zh-hans"


def test_a_form_posted_to_a_plain_url_is_not_redirected(client, roles):
    # given a clerk who chose English
    client.force_login(staff(Role.CLERK))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    # when a form is posted to an address without /en/ (the logout button's)
    answer = client.post("/logout/")

    # then it is handled there, not sent elsewhere to be lost
    assert answer.status_code == 302 and not answer.url.startswith("/en/logout")


def test_without_a_choice_a_plain_url_is_chinese(client, roles):
    # given a clerk who never chose a language, whose browser prefers English
    client.force_login(staff(Role.CLERK))

    # when the clerk opens a page without /en/
    answer = client.get("/orders/", HTTP_ACCEPT_LANGUAGE="en")

    # then it is Chinese, the default
    assert answer.status_code == 200 and answer["Content-Language"] == "zh-hans"
