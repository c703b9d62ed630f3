"""Users change their own password and make and revoke their own API tokens."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from gendan.accounts.audit_events import API_TOKEN_CREATED, API_TOKEN_REVOKED, PASSWORD_CHANGED
from gendan.accounts.models import ApiToken
from gendan.accounts.roles import Role
from gendan.accounts.services import api_token_create
from gendan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # the factories' password
NEW_PASSWORD = "bamboo floor 1987"
SECRET = re.compile(r'<code class="token-secret">(gdn_[\w-]+)</code>')


@pytest.mark.parametrize("name", ["password-change", "api-token-list"])
def test_the_own_account_pages_ask_for_a_login(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302 and reverse("login") in response.url


def test_a_user_changes_their_own_password_and_the_old_one_no_longer_works(
    client, login, user_with
):
    # given
    clerk = user_with(Role.CLERK)
    login(clerk)
    form = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    # when
    page = client.get(reverse("password-change"))
    changed = client.post(reverse("password-change"), form)

    # then
    assert page.status_code == 200 and "修改我的密码" in page.content.decode()
    assert changed.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # this session stays logged in
    client.logout()
    assert not client.login(username=clerk.username, password=PASSWORD)
    assert client.login(username=clerk.username, password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=PASSWORD_CHANGED, actor=clerk).count() == 1


def test_a_wrong_old_password_changes_nothing(client, login, user_with):
    clerk = user_with(Role.CLERK)
    login(clerk)
    form = {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = client.post(reverse("password-change"), form)

    assert response.status_code == 200
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action=PASSWORD_CHANGED).exists()


def test_a_new_token_is_shown_once_and_stored_hashed(client, login, user_with):
    # given
    clerk = user_with(Role.CLERK)
    login(clerk)

    # when
    made = client.post(
        reverse("api-token-list"), {"name": "shop script"}, follow=True
    ).content.decode()
    listed = client.get(reverse("api-token-list")).content.decode()

    # then
    secret = SECRET.search(made).group(1)
    token = ApiToken.objects.get(user=clerk)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert secret not in listed and token.prefix in listed and "shop script" in listed
    assert AuditEvent.objects.filter(action=API_TOKEN_CREATED, actor=clerk).exists()


def test_reloading_the_page_after_making_a_token_makes_no_second_one(client, login, user_with):
    # given a clerk who has just made a token
    clerk = user_with(Role.CLERK)
    login(clerk)
    made = client.post(reverse("api-token-list"), {"name": "shop script"})
    # when the page the browser was sent to is loaded again
    shown = client.get(made["Location"]).content.decode()
    reloaded = client.get(made["Location"]).content.decode()
    # then the token was shown once, and there is still only one
    assert made.status_code == 302
    assert SECRET.search(shown) and not SECRET.search(reloaded)
    assert ApiToken.objects.filter(user=clerk).count() == 1


def test_a_user_revokes_their_own_token_and_the_api_refuses_it(client, login, user_with):
    # given
    clerk = user_with(Role.CLERK)
    login(clerk)
    made = client.post(
        reverse("api-token-list"), {"name": "shop script"}, follow=True
    ).content.decode()
    secret = SECRET.search(made).group(1)
    token = ApiToken.objects.get()

    # when
    revoked = client.post(reverse("api-token-revoke", args=[token.pk]))

    # then
    assert revoked.status_code == 302
    client.logout()
    answer = client.get("/api/customers", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 401
    assert AuditEvent.objects.filter(action=API_TOKEN_REVOKED, actor=clerk).count() == 1


def test_nobody_sees_or_revokes_another_users_tokens(client, login, user_with):
    # given
    owner, other = user_with(Role.CLERK), user_with(Role.CLERK)
    login(owner)
    client.post(reverse("api-token-list"), {"name": "the owner script"})
    token = ApiToken.objects.get()

    # when
    login(other)
    listed = client.get(reverse("api-token-list")).content.decode()
    revoked = client.post(reverse("api-token-revoke", args=[token.pk]))

    # then
    assert "the owner script" not in listed
    assert revoked.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_an_admin_revokes_a_leaked_token_in_the_admin(client, login, user_with):
    # given
    clerk = user_with(Role.CLERK)
    admin = user_with(is_staff=True, is_superuser=True)
    token, _secret = api_token_create(user=clerk, name="leaked script")
    login(admin)

    # when
    listed = client.get(reverse("admin:accounts_apitoken_changelist"))
    action = {"action": "revoke", "_selected_action": [token.pk]}
    client.post(reverse("admin:accounts_apitoken_changelist"), action)

    # then
    assert listed.status_code == 200 and token.prefix in listed.content.decode()
    token.refresh_from_db()
    assert not token.is_active
    assert AuditEvent.objects.get(action=API_TOKEN_REVOKED).actor == admin
