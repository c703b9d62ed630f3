"""An authentication backend for the test settings only."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class AxesUnlessTestClientBackend(AxesStandaloneBackend):
    """django-axes' check, except for ``Client.login()``, which authenticates with no request."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
