"""Outside carriers' pages (O-23, O-21): the carriers; the shipments with their status, the
papers in and whether the freight is payable; one shipment's history, papers, the deliver step
signed from the original and the freight paid (confirmed); the freight to pay, with totals and
as .xlsx."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.core.listing import date_param, list_params, page_of
from gendan.logistics.exports_carriers import freight_xlsx
from gendan.logistics.forms_carriers import (
    CarrierForm,
    FreightPayForm,
    PaperForm,
    ShipmentBookForm,
    ShipmentStatusForm,
)
from gendan.logistics.models import Carrier, CarrierShipment, CarrierStatus
from gendan.logistics.selectors_carriers import (
    PAPERS,
    carrier_list,
    freight_refusals,
    freight_to_pay,
    freight_totals,
    shipment_list,
)
from gendan.logistics.services.carriers import (
    PAY,
    STATUS_MOVES,
    TRACK,
    carrier_create,
    carrier_update,
    permission_check,
    shipment_book,
    shipment_deliver_sign,
    shipment_document_received,
    shipment_freight_pay,
    shipment_status,
)
from gendan.orders.import_views import workbook_response
from gendan.orders.routes import DELIVER, ROUTES
from gendan.warehouse.views_counts import form_errors, refused

VIEW_CARRIERS, VIEW_SHIPMENTS = "logistics.view_carrier", "logistics.view_carriershipment"
CARRIER_SAVED = _("Carrier %(name)s saved.")
BOOKED = _("Carrier booked: %(carrier)s, waybill %(waybill)s.")
STATUS_SAVED = _("Status changed to “%(status)s”.")
PAPER_SAVED = _("%(paper)s taken in.")
PAID = _("Freight of %(freight)s CNY paid.")
DELIVER_SIGNED = _("The deliver step is signed with the customer's signature on the original.")


@permission(VIEW_CARRIERS)
def carrier_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "q", "active")
    carriers = carrier_list(search=params["q"], active=params["active"])
    context = {"page": page_of(request, carriers), "params": params, "form": CarrierForm()}
    return render(request, "logistics/carriers_list.html", context)


@permission("logistics.add_carrier")
@require_POST
def carrier_create_view(request: HttpRequest) -> HttpResponse:
    form = CarrierForm(request.POST)
    if not form.is_valid():
        return refused(request, "logistics-carriers", form_errors(form))
    carrier = carrier_create(actor=request.user, **form.cleaned_data)
    messages.success(request, CARRIER_SAVED % {"name": carrier.name})
    return redirect("logistics-carriers")


@permission("logistics.change_carrier")
def carrier_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    carrier = get_object_or_404(Carrier, pk=pk)
    form = CarrierForm(request.POST or None, instance=Carrier.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        carrier_update(actor=request.user, carrier=carrier, **form.cleaned_data)
        messages.success(request, CARRIER_SAVED % {"name": form.cleaned_data["name"]})
        return redirect("logistics-carriers")
    return render(request, "logistics/carriers_edit.html", {"carrier": carrier, "form": form})


@permission(VIEW_SHIPMENTS)
def shipment_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "q", "status", "carrier", "freight", "o")
    shipments = shipment_list(
        search=params["q"], status=params["status"], carrier=params["carrier"],
        freight=params["freight"], order=params["o"] or "-booked_at",
    )  # fmt: skip
    page = page_of(request, shipments)
    rows = [(shipment, freight_refusals(shipment)) for shipment in page]
    context = {
        "page": page, "rows": rows, "params": params, "statuses": CarrierStatus.choices,
        "carriers": Carrier.objects.order_by("name"),
        "form": ShipmentBookForm(initial={"order": request.GET.get("order", "")}),
    }  # fmt: skip
    return render(request, "logistics/carriers_shipments.html", context)


@permission("logistics.add_carriershipment")
@require_POST
def shipment_book_view(request: HttpRequest) -> HttpResponse:
    form = ShipmentBookForm(request.POST)
    if not form.is_valid():
        return refused(request, "logistics-shipments", form_errors(form))
    try:
        shipment = shipment_book(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, "logistics-shipments", error.messages)
    messages.success(request, BOOKED % {"carrier": shipment.carrier, "waybill": shipment.waybill})
    return redirect("logistics-shipment", pk=shipment.pk)


@permission(VIEW_SHIPMENTS)
def shipment_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    shipment = get_object_or_404(
        CarrierShipment.objects.select_related("order__customer", "carrier", "booked_by"), pk=pk
    )
    context = shipment_context(request, shipment) | {
        "status_form": ShipmentStatusForm(), "paper_form": PaperForm(),
        "pay_form": FreightPayForm(),
    }  # fmt: skip
    return render(request, "logistics/carriers_shipment.html", context)


def shipment_context(request: HttpRequest, shipment: CarrierShipment) -> dict:
    order = shipment.order
    route = ROUTES[order.route]
    deliver_role = route.step(DELIVER.code).role if route.has(DELIVER.code) else None
    may_sign = request.user.is_superuser or (deliver_role and request.user.has_role(deliver_role))
    papers = [
        (code, label, getattr(shipment, f"{code}_at"), getattr(shipment, f"{code}_by"))
        for code, label in PAPERS.items()
    ]  # fmt: skip
    return {
        "shipment": shipment, "order": order, "papers": papers,
        "changes": shipment.changes.select_related("changed_by"),
        "moves": [CarrierStatus(code) for code in STATUS_MOVES[shipment.status]],
        "refusals": freight_refusals(shipment), "deliver_role": deliver_role,
        "deliver_waiting": order.step == DELIVER.code and shipment.signed_original_at,
        "may_sign_deliver": may_sign,
        "papers_missing": any(at is None for _code, _label, at, _by in papers),
    }  # fmt: skip


@permission("logistics.change_carriershipment")
@require_POST
def shipment_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    shipment = get_object_or_404(CarrierShipment, pk=pk)
    form = ShipmentStatusForm(request.POST)
    if not form.is_valid():
        return refused(request, "logistics-shipment", form_errors(form), pk=pk)
    try:
        shipment = shipment_status(actor=request.user, shipment=shipment, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, "logistics-shipment", error.messages, pk=pk)
    messages.success(request, STATUS_SAVED % {"status": shipment.get_status_display()})
    return redirect("logistics-shipment", pk=pk)


@permission(VIEW_SHIPMENTS)
@require_POST
def shipment_paper_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Logistics or finance takes in a paper."""
    permission_check(request.user, TRACK, PAY)
    shipment = get_object_or_404(CarrierShipment, pk=pk)
    form = PaperForm(request.POST)
    if not form.is_valid():
        return refused(request, "logistics-shipment", form_errors(form), pk=pk)
    try:
        shipment_document_received(actor=request.user, shipment=shipment, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, "logistics-shipment", error.messages, pk=pk)
    paper = str(PAPERS[form.cleaned_data["paper"]])
    messages.success(request, PAPER_SAVED % {"paper": paper[:1].upper() + paper[1:]})
    return redirect("logistics-shipment", pk=pk)


@permission(VIEW_SHIPMENTS)
@require_POST
def shipment_deliver_view(request: HttpRequest, pk: int) -> HttpResponse:
    """O-21: the deliver step signed from the original (the route says who may sign it)."""
    shipment = get_object_or_404(CarrierShipment, pk=pk)
    try:
        shipment_deliver_sign(actor=request.user, shipment=shipment)
    except ValidationError as error:
        return refused(request, "logistics-shipment", error.messages, pk=pk)
    messages.success(request, DELIVER_SIGNED)
    return redirect("logistics-shipment", pk=pk)


@permission("logistics.pay_freight")
@require_POST
def shipment_pay_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Asked first: the freight, the carrier and the reference, then paid on confirmation."""
    shipment = get_object_or_404(CarrierShipment.objects.select_related("carrier"), pk=pk)
    form = FreightPayForm(request.POST)
    if not form.is_valid():
        return refused(request, "logistics-shipment", form_errors(form), pk=pk)
    if request.POST.get("confirmed") != "yes":
        context = {"shipment": shipment, "reference": form.cleaned_data["reference"]}
        return render(request, "logistics/carriers_pay_confirm.html", context)
    try:
        shipment_freight_pay(actor=request.user, shipment=shipment, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, "logistics-shipment", error.messages, pk=pk)
    messages.success(request, PAID % {"freight": shipment.freight})
    return redirect("logistics-shipment", pk=pk)


@permission(VIEW_SHIPMENTS)
def freight_list_view(request: HttpRequest) -> HttpResponse:
    """O-23: the freight finance may pay now, oldest first, with its totals; .xlsx alike."""
    params = list_params(request, "carrier", "start", "end")
    shipments = freight_to_pay(
        carrier=params["carrier"], start=date_param(params["start"]),
        end=date_param(params["end"]),
    )  # fmt: skip
    if request.GET.get("format") == "xlsx":
        return workbook_response(freight_xlsx(shipments), "freight-to-pay.xlsx")
    context = {
        "page": page_of(request, shipments), "params": params, "totals": freight_totals(shipments),
        "carriers": Carrier.objects.order_by("name"),
    }  # fmt: skip
    return render(request, "logistics/carriers_freight.html", context)
