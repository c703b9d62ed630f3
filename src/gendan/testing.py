"""Helpers for the test suite (imported only by tests)."""

from __future__ import annotations

from django.utils import translation


def in_chinese(message: object) -> str:
    """A translatable message as a Chinese-speaking user sees it; fails if untranslated."""
    with translation.override("en"):
        english = str(message)
    with translation.override("zh-hans"):
        text = translation.gettext(english)
    assert text != english, f"not translated into Chinese: {english}"
    return text


# The password every user made by the factories has (accounts/tests/factories.py).
FACTORY_PASSWORD = "correct horse battery"


def browser_log_in(page: object, username: str, *, language: str = "") -> None:
    """Sign in through the login page in a Playwright page, as a fresh visitor (no cookies),
    in the pages' default language or ``language`` ("en")."""
    page.context.clear_cookies()
    page.goto(f"/{language}/login/" if language else "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", FACTORY_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
