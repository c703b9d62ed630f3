"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from django.utils import translation
from django.test import Client

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
