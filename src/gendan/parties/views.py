from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gendan.audit.selectors import audit_events_for
from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of, service_errors_to_form
from gendan.parties.forms import (
    AddressFormSet,
    ContactFormSet,
    CustomerForm,
    customer_new_for,
    formset_changes,
)
from gendan.parties.models import Customer, CustomerKind
from gendan.parties.selectors import customer_editable, customer_get, customer_list
from gendan.parties.services import customer_create, customer_update


@permission("parties.view_customer")
def customer_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "q", "kind", "via", "o")
    customers = customer_list(
        user=request.user,
        search=params["q"],
        kind=params["kind"],
        via=int(params["via"]) if params["via"].isdigit() else None,
        order=params["o"],
    )
    context = {"page": page_of(request, customers), "params": params, "kinds": CustomerKind.choices}
    return render(request, "parties/customer_list.html", context)


@permission("parties.view_customer")
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get(user=request.user, pk=pk)
    context = {
        "customer": customer,
        "contacts": customer.contacts.all(),
        "addresses": customer.addresses.all(),
        "stores": customer.stores.all(),
        "contracts": customer.contracts.prefetch_related("stages"),
        "end_customer_count": customer.end_customers.count(),
        "editable": customer_editable(user=request.user, customer=customer),
        "events": audit_events_for(customer)[:50],
    }
    return render(request, "parties/customer_detail.html", context)


@permission("parties.add_customer")
def customer_create_view(request: HttpRequest) -> HttpResponse:
    return customer_form(request, customer_new_for(request.user))


@permission("parties.change_customer")
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_get(user=request.user, pk=pk)
    if not customer_editable(user=request.user, customer=customer):
        raise PermissionDenied
    return customer_form(request, customer)


def customer_form(request: HttpRequest, customer: Customer) -> HttpResponse:
    data = request.POST or None
    form = CustomerForm(data, instance=customer, user=request.user)
    contacts = ContactFormSet(data, instance=customer, prefix="contacts")
    addresses = AddressFormSet(data, instance=customer, prefix="addresses")
    if request.method == "POST" and all(f.is_valid() for f in (form, contacts, addresses)):
        saved = customer_save(request, form, contacts, addresses, customer)
        if saved is not None:
            messages.success(request, _("Customer saved."))
            return redirect("customer-detail", pk=saved.pk)
    context = {"form": form, "contacts": contacts, "addresses": addresses, "customer": customer}
    return render(request, "parties/customer_form.html", context)


def customer_save(
    request: HttpRequest,
    form: CustomerForm,
    contacts: ContactFormSet,
    addresses: AddressFormSet,
    customer: Customer,
) -> Customer | None:
    changes = {"contacts": formset_changes(contacts), "addresses": formset_changes(addresses)}
    try:
        if customer.pk is None:
            return customer_create(actor=request.user, fields=form.cleaned_data, **changes)
        return customer_update(
            actor=request.user, customer=customer, fields=form.cleaned_data, **changes
        )
    except ValidationError as error:
        service_errors_to_form(form, error)
        return None
