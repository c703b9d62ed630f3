"""The JSON API (OpenAPI at /api/docs). Errors come back in the caller's language."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from gendan.accounts.authentication import (
    CHALLENGE,
    NOT_AUTHENTICATED,
    BasicAuth,
    SessionAuth,
    TokenAuth,
)
from gendan.catalog.api import router as catalog_router
from gendan.crm.api import router as crm_router
from gendan.documents.api import router as documents_router
from gendan.logistics.api import router as logistics_router
from gendan.orders.api import router as orders_router
from gendan.orders.services.steps import StepRefused
from gendan.parties.api import router as customers_router
from gendan.warehouse.api import router as warehouse_router

# django-ninja's own refusals, which it words in English only.
NINJA_MESSAGES = {
    "Cannot parse request body": gettext_lazy("The request body cannot be read (send JSON)."),
}
# Messages for the input errors pydantic reports, by its error type.
PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This field is required."),
    "decimal_parsing": gettext_lazy("Enter a number."),
    "decimal_type": gettext_lazy("Enter a number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "date_from_datetime_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_parsing": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "date_type": gettext_lazy("Enter a valid date (YYYY-MM-DD)."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "string_type": gettext_lazy("Enter text."),
    "string_too_long": gettext_lazy("This text is too long."),
    "extra_forbidden": gettext_lazy("This field is not known."),
    "less_than_equal": gettext_lazy("This number is too large."),
    "greater_than_equal": gettext_lazy("This number is too small."),
}
INVALID_VALUE = gettext_lazy("Enter a valid value.")


api = NinjaAPI(
    title="gendan API",
    version="1",
    # Header schemes first: a program's write needs no CSRF token; the session keeps its check.
    auth=[TokenAuth(), BasicAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/catalog", catalog_router)
api.add_router("/customers", customers_router)
api.add_router("/orders", orders_router)
api.add_router("/crm", crm_router)
api.add_router("/documents", documents_router)
api.add_router("/warehouse", warehouse_router)
api.add_router("/logistics", logistics_router)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """401 with the schemes a program may use, as HTTP asks of a 401."""
    response = api.create_response(request, {"detail": str(NOT_AUTHENTICATED)}, status=401)
    response["WWW-Authenticate"] = CHALLENGE
    return response


@api.exception_handler(NinjaValidationError)
def input_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    detail = [
        {
            "loc": list(error.get("loc", [])),
            "msg": str(PYDANTIC_MESSAGES.get(error.get("type", ""), INVALID_VALUE)),
            "type": error.get("type", "value_error"),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(DjangoValidationError)
def value_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", *error_location(field)], "msg": str(message), "type": "value_error"}
            for field, errors in exc.message_dict.items()
            for message in errors
        ]
    else:
        detail = [{"loc": ["body"], "msg": str(m), "type": "value_error"} for m in exc.messages]
    return api.create_response(request, {"detail": detail}, status=422)


def error_location(field: str) -> list[str | int]:
    """``items.2.price`` → ["items", 2, "price"], as pydantic reports places in lists."""
    return [int(part) if part.isdigit() else part for part in field.split(".")]


@api.exception_handler(StepRefused)
def step_refused(request: HttpRequest, exc: StepRefused) -> HttpResponse:
    """A step that may not be signed now: 409, with every rule that stands in the way."""
    return api.create_response(request, {"detail": exc.reasons}, status=409)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = _("You do not have permission to do this.")
    return api.create_response(request, {"detail": detail}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """No such record, or none the caller may see: the same answer, in the caller's language."""
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """An error django-ninja raised itself (a body that is not JSON), in the caller's language."""
    message = str(exc)
    detail = next(
        (str(ours) for theirs, ours in NINJA_MESSAGES.items() if message.startswith(theirs)),
        message,
    )
    return api.create_response(request, {"detail": detail}, status=exc.status_code)
