"""Programs call the API with a token or a password, without CSRF; browsers keep CSRF."""

from __future__ import annotations

import base64
import importlib
import sys

import pytest
from django.test import Client, override_settings

from gendan.accounts.authentication import HTTPS_REQUIRED, NOT_AUTHENTICATED
from gendan.accounts.models import ApiToken
from gendan.accounts.roles import Role
from gendan.accounts.services import api_token_create, api_token_revoke
from gendan.accounts.throttle import LOCKED_OUT
from gendan.audit.models import AuditEvent
from gendan.config import base
from gendan.parties.models import Customer
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db
JSON = "application/json"
PASSWORD = "correct horse battery"  # the factories' password
HOMEOWNER = {"kind": "homeowner", "name": "李业主", "mobile": "13800000001"}


@pytest.fixture
def program() -> Client:
    """A program, not a browser: it has no CSRF cookie, and the check is not skipped."""
    return Client(enforce_csrf_checks=True)


def basic(username: str, password: str) -> dict[str, str]:
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {credentials}"}


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def add_homeowner(client: Client, **auth: str):
    return client.post("/api/customers", HOMEOWNER, content_type=JSON, **auth)


def test_a_program_writes_with_basic_auth_and_no_csrf_token(program, user_with):
    # given
    clerk = user_with(Role.CLERK)

    # when
    response = add_homeowner(program, **basic(clerk.username, PASSWORD))

    # then
    assert response.status_code == 201, response.content
    assert Customer.objects.get().name == "李业主"


def test_a_program_writes_with_its_bearer_token_and_the_write_is_audited_as_its_user(
    program, user_with
):
    # given
    clerk = user_with(Role.CLERK)
    token, secret = api_token_create(user=clerk, name="shop script")

    # when
    response = add_homeowner(program, **bearer(secret))

    # then
    assert response.status_code == 201, response.content
    customer = Customer.objects.get()
    audited = AuditEvent.objects.get(target_id=str(customer.pk), action__startswith="customer")
    assert audited.actor == clerk
    token.refresh_from_db()
    assert token.last_used_at is not None


def revoked_token(user) -> str:
    token, secret = api_token_create(user=user, name="old script")
    api_token_revoke(actor=user, token=token)
    return secret


@pytest.mark.parametrize(
    "credentials",
    [
        pytest.param(lambda user: bearer(revoked_token(user)), id="revoked token"),
        pytest.param(lambda user: bearer("gdn_" + "x" * 43), id="unknown token"),
        pytest.param(lambda user: basic(user.username, "wrong password"), id="wrong password"),
        pytest.param(lambda user: {}, id="nothing"),
        pytest.param(lambda user: basic("a\x00b", PASSWORD), id="NUL in the user name"),
        pytest.param(lambda user: bearer("gdn_\x00"), id="NUL in the token"),
    ],
)
def test_a_call_that_is_not_authenticated_is_a_401_that_never_asks_a_browser_for_a_password(
    program, user_with, credentials
):
    clerk = user_with(Role.CLERK)

    response = add_homeowner(program, **credentials(clerk))

    assert response.status_code == 401
    # Bearer only: a Basic challenge would have a browser ask for a password and then send it
    # with cross-site requests too (Basic writes need no CSRF token).
    assert response["WWW-Authenticate"] == 'Bearer realm="gendan"'
    assert response.json() == {"detail": in_chinese(NOT_AUTHENTICATED)}
    assert not Customer.objects.exists()


def test_the_token_of_a_deactivated_user_is_refused(program, user_with):
    clerk = user_with(Role.CLERK)
    _token, secret = api_token_create(user=clerk, name="shop script")
    clerk.is_active = False
    clerk.save()

    assert program.get("/api/customers", **bearer(secret)).status_code == 401


def test_a_browser_session_still_needs_its_csrf_token_to_write(program, user_with):
    program.force_login(user_with(Role.CLERK))

    response = add_homeowner(program)

    assert response.status_code == 403
    assert not Customer.objects.exists()


def test_basic_auth_on_the_api_locks_out_after_five_failures(program, user_with):
    # given
    clerk = user_with(Role.CLERK)
    for _attempt in range(5):
        add_homeowner(program, **basic(clerk.username, "wrong password"))

    # when
    response = add_homeowner(program, **basic(clerk.username, PASSWORD))

    # then
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 14 * 60
    retry = in_chinese(LOCKED_OUT).split("%(time)s")[0]
    assert response.json()["detail"].startswith(retry)
    assert not Customer.objects.exists()


@pytest.fixture
def production(monkeypatch):
    """The production settings module, read with a secret key long enough to load."""
    monkeypatch.setattr(base, "SECRET_KEY", "s" * 40)
    monkeypatch.delitem(sys.modules, "gendan.config.production", raising=False)
    module = importlib.import_module("gendan.config.production")
    yield module
    sys.modules.pop("gendan.config.production", None)


def test_production_refuses_tokens_and_passwords_over_plain_http(program, user_with, production):
    # given
    clerk = user_with(Role.CLERK)
    _token, secret = api_token_create(user=clerk, name="shop script")
    settings = {
        "GENDAN_API_REQUIRE_HTTPS": production.GENDAN_API_REQUIRE_HTTPS,
        "SECURE_PROXY_SSL_HEADER": production.SECURE_PROXY_SSL_HEADER,
    }

    # when
    with override_settings(**settings):
        by_token = add_homeowner(program, **bearer(secret))
        by_password = add_homeowner(program, **basic(clerk.username, PASSWORD))
        through_the_proxy = add_homeowner(program, **bearer(secret), HTTP_X_FORWARDED_PROTO="https")

    # then
    assert by_token.status_code == by_password.status_code == 403
    assert by_token.json() == {"detail": in_chinese(HTTPS_REQUIRED)}
    assert through_the_proxy.status_code == 201
    assert Customer.objects.count() == 1
    assert ApiToken.objects.get().last_used_at is not None
