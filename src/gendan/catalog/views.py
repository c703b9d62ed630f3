from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.audit.selectors import audit_events_for
from gendan.catalog.forms import PriceItemFormSet, PriceListForm, ProductForm
from gendan.catalog.models import BoardClass, Category, PriceKind, PriceList
from gendan.catalog.selectors import (
    PriceNotFound,
    price_for,
    price_list_get,
    price_list_list,
    price_list_visible,
    product_get,
    product_list,
)
from gendan.catalog.services import (
    price_list_create,
    price_list_update,
    product_create,
    product_update,
)
from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of, service_errors_to_form
from gendan.parties.selectors import customer_get

NO_SUCH_CUSTOMER = gettext_lazy("No customer of yours has that number.")


@permission("catalog.view_product")
def product_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "q", "category", "board_class", "active", "o")
    products = product_list(
        search=params["q"],
        category=params["category"],
        board_class=params["board_class"],
        active=params["active"],
        order=params["o"] or "sku",
    )
    context = {
        "page": page_of(request, products),
        "params": params,
        "categories": Category.choices,
        "board_classes": BoardClass.choices,
    }
    return render(request, "catalog/product_list.html", context)


@permission("catalog.view_product")
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_get(pk=pk)
    context = {"product": product, "events": audit_events_for(product)[:50]}
    return render(request, "catalog/product_detail.html", context)


@permission("catalog.view_pricelist")
def product_price(request: HttpRequest, pk: int) -> HttpResponse:
    """The price of a product for a customer on a day (an htmx fragment)."""
    product = product_get(pk=pk)
    context: dict[str, object] = {"product": product}
    try:
        customer = customer_get(user=request.user, pk=int(request.GET.get("customer", "")))
        on = dt.date.fromisoformat(request.GET.get("on") or timezone.localdate().isoformat())
        context["price"] = price_for(product=product, customer=customer, on=on)
    except ValueError:
        context["error"] = _("Enter a customer number and a date.")
    except Http404:
        context["error"] = NO_SUCH_CUSTOMER
    except PriceNotFound as error:
        context["error"] = str(error)
    return render(request, "catalog/product_price.html", context)


@permission("catalog.add_product")
def product_create_view(request: HttpRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = product_create(actor=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Product saved."))
            return redirect("product-detail", pk=product.pk)
    return render(request, "catalog/product_form.html", {"form": form})


@permission("catalog.change_product")
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = product_get(pk=pk)
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            product_update(actor=request.user, product=product, fields=form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("Product saved."))
            return redirect("product-detail", pk=product.pk)
    return render(request, "catalog/product_form.html", {"form": form, "product": product})


@permission("catalog.view_pricelist")
def price_list_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "q", "kind", "on", "o")
    try:
        on = dt.date.fromisoformat(params["on"]) if params["on"] else None
    except ValueError:
        on = None
    lists = price_list_list(
        user=request.user, search=params["q"], kind=params["kind"], on=on, order=params["o"]
    )
    context = {"page": page_of(request, lists), "params": params, "kinds": PriceKind.choices}
    return render(request, "catalog/price_list_list.html", context)


@permission("catalog.view_pricelist")
def price_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    price_list = price_list_get(user=request.user, pk=pk)
    context = {
        "price_list": price_list,
        "items": price_list.items.select_related("product"),
        "events": audit_events_for(price_list)[:50],
    }
    return render(request, "catalog/price_list_detail.html", context)


@permission("catalog.add_pricelist")
def price_list_create_view(request: HttpRequest) -> HttpResponse:
    return price_list_form(request, PriceList())


@permission("catalog.change_pricelist")
def price_list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return price_list_form(request, price_list_get(user=request.user, pk=pk))


def price_list_form(request: HttpRequest, price_list: PriceList) -> HttpResponse:
    form = PriceListForm(request.POST or None, instance=price_list)
    items = PriceItemFormSet(request.POST or None, instance=price_list, prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        saved = price_list_save(request, form, items, price_list)
        if saved is not None:
            messages.success(request, _("Price list saved."))
            return redirect("price-list-detail", pk=saved.pk)
    context = {"form": form, "items": items, "price_list": price_list}
    return render(request, "catalog/price_list_form.html", context)


def price_list_save(
    request: HttpRequest, form: PriceListForm, items: PriceItemFormSet, price_list: PriceList
) -> PriceList | None:
    try:
        if price_list.pk is None:
            return price_list_create(
                actor=request.user, fields=form.cleaned_data, items=items.items()
            )
        return price_list_update(
            actor=request.user, price_list=price_list, fields=form.cleaned_data, items=items.items()
        )
    except ValidationError as error:
        service_errors_to_form(form, error)
        return None


@permission("catalog.view_pricelist")
def customer_price_lists(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer page's contract prices, as a partial the page loads (parties knows no
    catalog)."""
    customer = customer_get(user=request.user, pk=pk)
    price_lists = price_list_visible(request.user).filter(customer=customer)
    return render(request, "catalog/customer_price_lists.html", {"price_lists": price_lists})
