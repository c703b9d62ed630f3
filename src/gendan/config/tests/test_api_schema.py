"""Schemathesis against the API's own schema, as each role, through the WSGI application.

No input may give a server error, and every answer must match the schema it declares.
The figures per role (operations, examples, errors) are written at the end of the module.
"""

from __future__ import annotations

import base64
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.orders.tests.helpers import scenario

PASSWORD = "correct horse battery"
ROLES = ("admin", "clerk", "finance", "dealer")
# Examples per operation and role: the whole run stays within about three minutes on SQLite.
# A deeper sweep: GENDAN_SCHEMATHESIS_EXAMPLES=500.
EXAMPLES = int(os.environ.get("GENDAN_SCHEMATHESIS_EXAMPLES", "20"))
CHECKS = [not_a_server_error, response_schema_conformance]
FIGURES: dict[str, Counter] = {role: Counter() for role in ROLES}
OPERATIONS: dict[str, set[str]] = {role: set() for role in ROLES}
STATUSES: dict[str, Counter] = {role: Counter() for role in ROLES}
# The records the test made (an order, its dealer, its product): half the examples ask for them.
SEEDED: dict[str, int] = {}


# pytest-django has set Django up before it collects this module; the schema is read once.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.hook
def flatmap_path_parameters(context: schemathesis.HookContext, path_parameters: Any) -> Any:
    """Random numbers almost never name a record; these name the test's own."""
    known = {name: SEEDED[name] for name in path_parameters or {} if name in SEEDED}
    if not known:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, **known}])


@pytest.fixture(autouse=True)
def connection_kept() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request; the test's
    transaction lives on it. Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def headers(role: str, roles: None) -> dict[str, str]:
    """A user of the role, and the Basic header that logs in as it (cheap with the MD5 hasher);
    a dealer's order beside it, so that some ids the examples try exist."""
    order = scenario("dealer")
    dealer = order.customer
    SEEDED.update(order_id=order.pk, customer_id=dealer.pk, product_id=order.lines.get().product_id)
    username = f"schema-{role}"
    if role == "admin":
        UserFactory(username=username, is_superuser=True, is_staff=True)
    elif role == "dealer":
        UserFactory(username=username, roles=[Role.DEALER], partner=dealer)
    else:
        UserFactory(username=username, roles=[Role(role)])
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@pytest.fixture(scope="module", autouse=True)
def figures(request: pytest.FixtureRequest) -> Iterator[None]:
    """The figures per role, written past the output capture when the module is done."""
    yield
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print()
        for role, counts in FIGURES.items():
            if not counts["examples"]:
                continue  # not selected in this run
            print(
                f"schemathesis as {role}: {counts['operations']} operations, "
                f"{counts['examples']} examples, {counts['errors']} errors; answers "
                + ", ".join(f"{n} {code // 100}xx" for code, n in sorted(STATUSES[role].items()))
            )


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_input_without_server_error(
    case: schemathesis.Case, role: str, headers: dict[str, str]
) -> None:
    """Whatever a client sends, the answer is no 5xx and matches the schema declared for it."""
    figures = FIGURES[role]
    figures["examples"] += 1
    OPERATIONS[role].add(case.operation.label)
    figures["operations"] = len(OPERATIONS[role])
    try:
        response = case.call(headers=headers)
        STATUSES[role][response.status_code // 100 * 100] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)
    except Exception:
        figures["errors"] += 1
        raise
