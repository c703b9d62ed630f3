"""The planner's messages kept language-free: the message id and its values, translated only
when shown, so a plan made on a Chinese page reads in English on /en/ and the other way round.

A stored text is ``{"message": msgid, "params": {name: value}}``; a value may itself be a
stored text (a reason inside "could not fit it: …"). The msgids are module constants declared
with ``gettext_noop`` where they are used; tests assert on those constants.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

Text = dict[str, Any]


def text(message: str, **params: object) -> Text:
    """A message to show later: ``message`` is an msgid, ``params`` its values (kept as JSON:
    a date as its ISO text, a nested text as it is)."""
    kept = {
        name: value if isinstance(value, (dict, int, float, str)) else str(value)
        for name, value in params.items()
    }
    return {"message": str(message), "params": kept}


def text_shown(stored: Text | list | str | None) -> str:
    """The text in the active language (a list of texts: one after the other)."""
    if not stored:
        return ""
    if isinstance(stored, str):  # written as text already (a reason typed by hand)
        return stored
    if isinstance(stored, list):
        return " ".join(filter(None, (text_shown(one) for one in stored)))
    message = gettext(stored["message"])
    params = {
        name: text_shown(value) if isinstance(value, dict) else value
        for name, value in stored.get("params", {}).items()
    }
    return message % params if params else message


def text_is(stored: Text | list | str | None, message: str) -> bool:
    """The stored text is (or, in a list, holds) ``message``."""
    if isinstance(stored, list):
        return any(text_is(one, message) for one in stored)
    return isinstance(stored, dict) and stored.get("message") == message
