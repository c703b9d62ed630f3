import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, ModelSchema, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from gendan.catalog.forms import PriceListForm, PriceListItemForm, ProductForm
from gendan.catalog.models import PriceList, Product
from gendan.catalog.selectors import (
    PriceNotFound,
    price_for,
    price_list_get,
    price_list_list,
    product_get,
    product_list,
)
from gendan.catalog.services import (
    price_list_create,
    price_list_update,
    product_create,
    product_update,
)
from gendan.core.api_helpers import form_cleaned, permission_require
from gendan.core.listing import PageNumbers
from gendan.parties.selectors import customer_get

router = Router(tags=["catalog"])


class ProductOut(ModelSchema):
    size: str

    class Meta:
        model = Product
        fields = [
            "id", "sku", "name", "category", "variety", "colour_code", "length_mm", "width_mm",
            "thickness_mm", "board_class", "grade", "unit", "pack_size", "after_sales_terms",
            "is_active",
        ]  # fmt: skip


class ProductIn(Schema):
    sku: str | None = None
    name: str | None = None
    category: str | None = None
    variety: str | None = None
    colour_code: str | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    thickness_mm: Decimal | None = None
    board_class: str | None = None
    grade: str | None = None
    unit: str | None = None
    pack_size: Decimal | None = None
    after_sales_terms: str | None = None
    is_active: bool | None = None


class PriceOut(Schema):
    product_id: int
    customer_id: int
    on: dt.date
    amount: Decimal
    kind: str
    price_list_id: int


class PriceListItemIO(Schema):
    product_id: int
    price: Decimal


class PriceListOut(ModelSchema):
    customer_id: int | None = Field(None, alias="customer_id")
    items: list[PriceListItemIO] = []

    class Meta:
        model = PriceList
        fields = ["id", "name", "kind", "valid_from", "valid_to", "note"]

    @staticmethod
    def resolve_items(obj: PriceList) -> list[dict[str, object]]:
        return [{"product_id": i.product_id, "price": i.price} for i in obj.items.all()]


class PriceListIn(Schema):
    name: str | None = None
    kind: str | None = None
    customer_id: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    note: str | None = None
    items: list[PriceListItemIO] | None = None


@router.get("/products", response=list[ProductOut])
@paginate(PageNumbers)
def products(request: HttpRequest, q: str = "", category: str = "", order: str = "sku"):
    permission_require(request, "catalog.view_product")
    return product_list(search=q, category=category, order=order)


@router.get("/products/{product_id}", response=ProductOut)
def product(request: HttpRequest, product_id: int):
    permission_require(request, "catalog.view_product")
    return product_get(pk=product_id)


@router.post("/products", response={201: ProductOut})
def product_add(request: HttpRequest, payload: ProductIn):
    permission_require(request, "catalog.add_product")
    fields = form_cleaned(ProductForm, payload.dict(exclude_unset=True))
    return Status(201, product_create(actor=request.user, fields=fields))


@router.patch("/products/{product_id}", response=ProductOut)
def product_change(request: HttpRequest, product_id: int, payload: ProductIn):
    permission_require(request, "catalog.change_product")
    product = product_get(pk=product_id)
    fields = form_cleaned(ProductForm, payload.dict(exclude_unset=True), instance=product)
    return product_update(actor=request.user, product=product, fields=fields)


@router.get("/price", response=PriceOut)
def price(request: HttpRequest, product_id: int, customer_id: int, on: dt.date | None = None):
    """The price of a product for a customer on a day (O-9), today when no day is given."""
    permission_require(request, "catalog.view_pricelist")
    product = product_get(pk=product_id)
    customer = customer_get(user=request.user, pk=customer_id)
    day = on or dt.date.today()
    try:
        found = price_for(product=product, customer=customer, on=day)
    except PriceNotFound as error:
        raise HttpError(404, str(error)) from error
    return {
        "product_id": product.pk,
        "customer_id": customer.pk,
        "on": day,
        "amount": found.amount,
        "kind": found.kind.value,
        "price_list_id": found.price_list.pk,
    }


@router.get("/price-lists", response=list[PriceListOut])
@paginate(PageNumbers)
def price_lists(request: HttpRequest, q: str = "", kind: str = "", on: dt.date | None = None):
    permission_require(request, "catalog.view_pricelist")
    return price_list_list(user=request.user, search=q, kind=kind, on=on).prefetch_related("items")


@router.get("/price-lists/{price_list_id}", response=PriceListOut)
def price_list(request: HttpRequest, price_list_id: int):
    permission_require(request, "catalog.view_pricelist")
    return price_list_get(user=request.user, pk=price_list_id)


def price_list_input(
    payload: PriceListIn, instance: PriceList | None = None
) -> tuple[dict, list | None]:
    data = payload.dict(exclude_unset=True, exclude={"items"})
    if "customer_id" in data:
        data["customer"] = data.pop("customer_id")
    fields = form_cleaned(PriceListForm, data, instance=instance)
    if payload.items is None:
        return fields, None
    rows = [{"product": item.product_id, "price": item.price} for item in payload.items]
    cleaned = [
        form_cleaned(PriceListItemForm, row, prefix=f"items.{i}") for i, row in enumerate(rows)
    ]
    return fields, [(row["product"], row["price"]) for row in cleaned]


@router.post("/price-lists", response={201: PriceListOut})
def price_list_add(request: HttpRequest, payload: PriceListIn):
    permission_require(request, "catalog.add_pricelist")
    fields, items = price_list_input(payload)
    return Status(201, price_list_create(actor=request.user, fields=fields, items=items or []))


@router.patch("/price-lists/{price_list_id}", response=PriceListOut)
def price_list_change(request: HttpRequest, price_list_id: int, payload: PriceListIn):
    permission_require(request, "catalog.change_pricelist")
    current = price_list_get(user=request.user, pk=price_list_id)
    fields, items = price_list_input(payload, current)
    return price_list_update(actor=request.user, price_list=current, fields=fields, items=items)
