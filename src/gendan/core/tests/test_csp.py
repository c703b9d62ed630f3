"""Every page carries a Content-Security-Policy that runs scripts from our static files only,
and no template needs more: no inline script, no inline event handler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import gendan
from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory

TEMPLATES = sorted(Path(gendan.__file__).parent.rglob("templates/**/*.html"))
# The PDF documents are laid out by WeasyPrint on the server, never opened by a browser.
SERVER_ONLY = {"documents/pdf/document.html"}
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
DATA_TYPE = re.compile(r"""type=["']application/json["']""")


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def browser_templates() -> list[Path]:
    return [path for path in TEMPLATES if not str(path).endswith(tuple(SERVER_ONLY))]


def test_no_template_has_an_inline_script_or_event_handler():
    # given every template a browser gets
    texts = {path.name: path.read_text(encoding="utf-8") for path in browser_templates()}

    # when the scripts and handlers that would run inline are looked for
    inline = [
        f"{name}: {tag}"
        for name, text in texts.items()
        for tag in SCRIPT_TAG.findall(text)
        if "src=" not in tag and not DATA_TYPE.search(tag)
    ]
    handlers = [
        f"{name}: {match.group().strip()}"
        for name, text in texts.items()
        for match in EVENT_HANDLER.finditer(text)
    ]

    # then there are none: the policy would block them (data for scripts is JSON)
    assert inline == [] and handlers == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["home", "order-log", "crm-dashboard", "admin:index"])
def test_every_page_allows_scripts_only_from_our_own_files(client, roles, url):
    # given someone who may see the page
    client.force_login(UserFactory(is_superuser=True, is_staff=True, roles=[Role.CLERK]))

    # when it is opened
    response = client.get(reverse(url))

    # then scripts come from the site only, never inline or evaluated, and nothing frames it
    policy = directives(response)
    assert response.status_code == 200
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"]


def test_the_api_schema_page_is_covered_too(client):
    response = client.get("/api/openapi.json")

    assert "script-src 'self'" in response["Content-Security-Policy"]
