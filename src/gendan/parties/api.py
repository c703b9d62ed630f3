from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import ModelSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from gendan.core.api_helpers import form_cleaned, permission_require
from gendan.core.listing import PageNumbers
from gendan.parties.forms import CustomerForm, customer_new_for
from gendan.parties.models import Address, Contact, Customer, CustomerKind
from gendan.parties.selectors import (
    customer_editable,
    customer_get,
    customer_list,
    customer_search,
)
from gendan.parties.services import customer_create, customer_update

router = Router(tags=["customers"])
# Whom an order is placed for: anyone but a homeowner (who is the order's end customer).
ORDERING_KINDS = tuple(kind for kind in CustomerKind.values if kind != CustomerKind.HOMEOWNER)


class ContactOut(ModelSchema):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "mobile", "landline", "is_primary"]


class AddressOut(ModelSchema):
    full_address: str

    class Meta:
        model = Address
        fields = [
            "id", "label", "province", "city", "district", "street", "building", "floor",
            "latitude", "longitude", "is_default",
        ]  # fmt: skip


class CustomerOut(ModelSchema):
    via_id: int | None = None

    class Meta:
        model = Customer
        fields = [
            "id", "kind", "name", "mobile", "landline", "email", "platform", "platform_id",
            "nickname", "note", "is_active", "created_at",
        ]  # fmt: skip


class CustomerDetailOut(CustomerOut):
    contacts: list[ContactOut]
    addresses: list[AddressOut]

    @staticmethod
    def resolve_contacts(obj: Customer) -> list[Contact]:
        return list(obj.contacts.all())

    @staticmethod
    def resolve_addresses(obj: Customer) -> list[Address]:
        return list(obj.addresses.all())


class CustomerIn(Schema):
    kind: str | None = None
    name: str | None = None
    mobile: str | None = None
    landline: str | None = None
    email: str | None = None
    via_id: int | None = None
    via_store_id: int | None = None
    platform: str | None = None
    platform_id: str | None = None
    nickname: str | None = None
    note: str | None = None
    is_active: bool | None = None


def customer_input(request: HttpRequest, payload: CustomerIn, instance: Customer) -> dict:
    data = payload.dict(exclude_unset=True)
    for name in ("via", "via_store"):
        if f"{name}_id" in data:
            data[name] = data.pop(f"{name}_id")
    return form_cleaned(CustomerForm, data, instance=instance, user=request.user)


@router.get("", response=list[CustomerOut])
@paginate(PageNumbers)
def customers(request: HttpRequest, q: str = "", kind: str = "", order: str = "name"):
    permission_require(request, "parties.view_customer")
    return customer_list(user=request.user, search=q, kind=kind, order=order)


class CustomerHitOut(Schema):
    """One answer of the search, with what tells same-named customers apart."""

    id: int
    name: str
    kind: str
    kind_label: str
    city: str
    phone_tail: str
    via_name: str

    @staticmethod
    def resolve_kind_label(obj: Customer) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_phone_tail(obj: Customer) -> str:
        return obj.phone[-4:]

    @staticmethod
    def resolve_via_name(obj: Customer) -> str:
        return obj.via.name if obj.via_id else ""


@router.get("/search", response=list[CustomerHitOut])
def customers_search(
    request: HttpRequest,
    q: str = "",
    homeowners: bool = False,
    via: int | None = Query(None, ge=1, le=2**63 - 1),
):
    """As the user types: part of a name, a phone in any writing or its last digits, a number.
    Homeowners (of one dealer or supermarket, ``via``) or the customers orders are placed for."""
    permission_require(request, "parties.view_customer")
    kinds = (CustomerKind.HOMEOWNER,) if homeowners else ORDERING_KINDS
    return customer_search(user=request.user, q=q, kinds=kinds, via=via)


@router.get("/{customer_id}", response=CustomerDetailOut)
def customer(request: HttpRequest, customer_id: int):
    permission_require(request, "parties.view_customer")
    return customer_get(user=request.user, pk=customer_id)


@router.post("", response={201: CustomerDetailOut})
def customer_add(request: HttpRequest, payload: CustomerIn):
    permission_require(request, "parties.add_customer")
    fields = customer_input(request, payload, customer_new_for(request.user))
    return Status(201, customer_create(actor=request.user, fields=fields))


@router.patch("/{customer_id}", response=CustomerDetailOut)
def customer_change(request: HttpRequest, customer_id: int, payload: CustomerIn):
    permission_require(request, "parties.change_customer")
    current = customer_get(user=request.user, pk=customer_id)
    if not customer_editable(user=request.user, customer=current):
        raise PermissionDenied
    fields = customer_input(request, payload, current)
    return customer_update(actor=request.user, customer=current, fields=fields)
