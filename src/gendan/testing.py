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
