from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required


def permission(name: str) -> Callable:
    """Anonymous visitors go to the login page; signed-in users without the permission get 403."""

    def decorate(view: Callable) -> Callable:
        return login_required(permission_required(name, raise_exception=True)(view))

    return decorate
