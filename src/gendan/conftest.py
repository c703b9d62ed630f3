"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.accounts.services import role_groups_sync
from gendan.accounts.tests.factories import UserFactory


@pytest.fixture
def roles(db: None) -> None:
    """The role groups (post_migrate creates them; a flushed test database may not have them)."""
    role_groups_sync()


@pytest.fixture
def user_with(roles: None) -> Callable[..., User]:
    def make(*held: Role, **fields: object) -> User:
        return UserFactory(roles=held, **fields)

    return make


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def as_user(user: User) -> Client:
        client.force_login(user)
        return client

    return as_user


@pytest.fixture(autouse=True)
def default_language() -> None:
    """Each test starts in the default language (a request may have switched the thread's)."""
    translation.activate(settings.LANGUAGE_CODE)


CHROMIUM = Path(os.environ.get("GENDAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Missing: a skip, but a failure under CI."""
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (make test installs it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make around it are still ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()
