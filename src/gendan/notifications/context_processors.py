"""The bell in the header: the signed-in user's unread notifications, counted only when a
page shows it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from gendan.notifications.selectors import BELL_MOST, notifications_unread_count


def bell(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def label() -> str:
        count = notifications_unread_count(user)
        return "" if not count else f"{BELL_MOST}+" if count > BELL_MOST else str(count)

    return {"notifications_unread": SimpleLazyObject(label)}
