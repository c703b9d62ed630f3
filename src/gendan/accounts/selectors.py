from __future__ import annotations

from django.db.models import QuerySet

from gendan.accounts.models import ApiToken, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, the newest first, revoked ones included (they say when)."""
    return ApiToken.objects.filter(user=user)
