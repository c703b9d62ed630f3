"""Outside carriers in the API (O-23, O-21): carriers; shipments booked, followed, their papers
taken in and their freight paid; the freight to pay. Checked by the pages' own forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from gendan.core.api_helpers import RecordId, form_cleaned, form_data_cleaned, permission_require
from gendan.core.listing import PageNumbers
from gendan.logistics.forms_carriers import (
    CarrierForm,
    FreightPayForm,
    PaperForm,
    ShipmentBookForm,
    ShipmentStatusForm,
)
from gendan.logistics.models import Carrier, CarrierShipment
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
    TRACK,
    carrier_create,
    carrier_update,
    permission_check,
    shipment_book,
    shipment_document_received,
    shipment_freight_pay,
    shipment_status,
)

router = Router(tags=["logistics"])
VIEW_CARRIERS, VIEW_SHIPMENTS = "logistics.view_carrier", "logistics.view_carriershipment"


class CarrierIn(Schema):
    name: str
    phone: str = ""
    contact: str = ""
    is_active: bool = True


class CarrierPatchIn(Schema):
    name: str | None = None
    phone: str | None = None
    contact: str | None = None
    is_active: bool | None = None


class CarrierOut(Schema):
    id: int
    name: str
    phone: str
    contact: str
    is_active: bool


class CarrierShipmentIn(Schema):
    order_number: str
    carrier_id: int
    waybill: str
    freight: Decimal
    note: str = ""


class CarrierStatusIn(Schema):
    status: str
    note: str = ""


class CarrierPaperIn(Schema):
    paper: str  # signed_original, our_note or carrier_waybill
    signed_by: str = ""
    receiving_document: str = ""


class FreightPaymentIn(Schema):
    reference: str


class CarrierPaperOut(Schema):
    paper: str
    received_at: dt.datetime | None
    received_by: str | None


class CarrierStatusChangeOut(Schema):
    status: str
    note: str
    changed_by: str
    changed_at: dt.datetime


class CarrierShipmentOut(Schema):
    id: int
    order: str
    carrier: str
    waybill: str
    freight: Decimal
    status: str
    booked_at: dt.datetime
    papers: list[CarrierPaperOut]
    original_signed_by: str
    freight_paid_at: dt.datetime | None
    freight_reference: str
    # O-23, O-21: empty when finance may pay the freight now; else what is missing.
    payable_refusals: list[str]

    @staticmethod
    def resolve_order(shipment: CarrierShipment) -> str:
        return shipment.order.number

    @staticmethod
    def resolve_carrier(shipment: CarrierShipment) -> str:
        return shipment.carrier.name

    @staticmethod
    def resolve_papers(shipment: CarrierShipment) -> list[dict]:
        return [
            {"paper": code, "received_at": getattr(shipment, f"{code}_at"),
             "received_by": getattr(getattr(shipment, f"{code}_by"), "username", None)}
            for code in PAPERS
        ]  # fmt: skip

    @staticmethod
    def resolve_payable_refusals(shipment: CarrierShipment) -> list[str]:
        return freight_refusals(shipment)


class CarrierShipmentDetailOut(CarrierShipmentOut):
    changes: list[CarrierStatusChangeOut]

    @staticmethod
    def resolve_changes(shipment: CarrierShipment) -> list[dict]:
        return [
            {"status": change.status, "note": change.note, "changed_at": change.changed_at,
             "changed_by": change.changed_by.get_username()}
            for change in shipment.changes.select_related("changed_by")
        ]  # fmt: skip


class FreightToPayOut(Schema):
    count: int
    total: Decimal
    shipments: list[CarrierShipmentOut]


def shipment_of(shipment_id: int) -> CarrierShipment:
    shipments = CarrierShipment.objects.select_related(
        "order", "carrier", *(f"{paper}_by" for paper in PAPERS)
    )
    return get_object_or_404(shipments, pk=shipment_id)


@router.get("/carriers", response=list[CarrierOut])
@paginate(PageNumbers)
def carriers(request: HttpRequest, q: str = "", active: str = ""):
    """Outside carriers, those in use first: by name, contact or phone (`q`); `active` yes/no."""
    permission_require(request, VIEW_CARRIERS)
    return carrier_list(search=q, active=active)


@router.post("/carriers", response={201: CarrierOut})
def carrier_add(request: HttpRequest, payload: CarrierIn):
    permission_require(request, "logistics.add_carrier")
    fields = form_cleaned(CarrierForm, payload.dict())
    return Status(201, carrier_create(actor=request.user, **fields))


@router.patch("/carriers/{carrier_id}", response=CarrierOut)
def carrier_change(request: HttpRequest, carrier_id: RecordId, payload: CarrierPatchIn):
    permission_require(request, "logistics.change_carrier")
    carrier = get_object_or_404(Carrier, pk=carrier_id)
    sent = payload.dict(exclude_none=True)
    fields = form_cleaned(CarrierForm, sent, instance=Carrier.objects.get(pk=carrier_id))
    changed = {name: value for name, value in fields.items() if name in sent}
    return carrier_update(actor=request.user, carrier=carrier, **changed)


@router.get("/shipments", response=list[CarrierShipmentOut])
@paginate(PageNumbers)
def carrier_shipments(
    request: HttpRequest, q: str = "", status: str = "", carrier_id: str = "", freight: str = ""
):
    """Carrier shipments, newest first: by order number, waybill or customer (`q`), status,
    carrier, `freight` payable/waiting/paid."""
    permission_require(request, VIEW_SHIPMENTS)
    shipments = shipment_list(search=q, status=status, carrier=carrier_id, freight=freight)
    return shipments


@router.post("/shipments", response={201: CarrierShipmentDetailOut})
def carrier_shipment_book(request: HttpRequest, payload: CarrierShipmentIn):
    """O-23: an outside carrier booked for an order (not a self-pickup, not finished)."""
    permission_require(request, "logistics.add_carriershipment")
    data = payload.dict()
    data |= {"order": data.pop("order_number"), "carrier": data.pop("carrier_id")}
    try:
        fields = form_data_cleaned(ShipmentBookForm, data)
    except ValidationError as error:
        names = {"order": "order_number", "carrier": "carrier_id"}
        raise ValidationError(
            {names.get(name, name): m for name, m in error.message_dict.items()}
        ) from error
    shipment = shipment_book(actor=request.user, **fields)
    return Status(201, shipment_of(shipment.pk))


@router.get("/shipments/{shipment_id}", response=CarrierShipmentDetailOut)
def carrier_shipment(request: HttpRequest, shipment_id: RecordId):
    permission_require(request, VIEW_SHIPMENTS)
    return shipment_of(shipment_id)


@router.post("/shipments/{shipment_id}/status", response=CarrierShipmentDetailOut)
def carrier_shipment_status(request: HttpRequest, shipment_id: RecordId, payload: CarrierStatusIn):
    """The carrier's news: booked → picked up → in transit → delivered, or a problem (noted)."""
    permission_require(request, "logistics.change_carriershipment")
    fields = form_data_cleaned(ShipmentStatusForm, payload.dict())
    shipment = shipment_status(actor=request.user, shipment=shipment_of(shipment_id), **fields)
    return shipment_of(shipment.pk)


@router.post("/shipments/{shipment_id}/papers", response=CarrierShipmentDetailOut)
def carrier_shipment_paper(request: HttpRequest, shipment_id: RecordId, payload: CarrierPaperIn):
    """O-23: one of the three papers taken in (logistics or finance); the signed original
    with who signed it and, for a supermarket, its receiving document (O-21)."""
    permission_check(request.user, TRACK, PAY)
    fields = form_data_cleaned(PaperForm, payload.dict())
    shipment = shipment_document_received(
        actor=request.user, shipment=shipment_of(shipment_id), **fields
    )
    return shipment_of(shipment.pk)


@router.post("/shipments/{shipment_id}/freight-payment", response=CarrierShipmentDetailOut)
def carrier_freight_pay(request: HttpRequest, shipment_id: RecordId, payload: FreightPaymentIn):
    """O-23, O-21: finance pays the freight: only with the three papers in and the deliver
    step signed; a refusal (422) names what is missing."""
    permission_require(request, "logistics.pay_freight")
    fields = form_data_cleaned(FreightPayForm, payload.dict())
    shipment = shipment_freight_pay(actor=request.user, shipment=shipment_of(shipment_id), **fields)
    return shipment_of(shipment.pk)


@router.get("/freight", response=FreightToPayOut)
def freight(
    request: HttpRequest, carrier_id: str = "", start: dt.date | None = None,
    end: dt.date | None = None,
):  # fmt: skip
    """The freight finance may pay now, oldest first, with the count and the total."""
    permission_require(request, VIEW_SHIPMENTS)
    shipments = freight_to_pay(carrier=carrier_id, start=start, end=end)
    totals = freight_totals(shipments)
    return {"count": totals["count"], "total": totals["total"], "shipments": list(shipments)}
