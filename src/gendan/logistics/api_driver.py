"""The driver's phone in the API (issue 14 point 6): the day's route, a stop's arrived,
delivered (multipart: the signature PNG, a photo, the fields; O-21, O-22) and failed (O-44),
and every driver's sheet of a day for finance. A driver reaches only their own drops (another's
is 404); a refusal by a rule answers 422, the deliver step's own refusal 409. Mounted by
logistics/api.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from gendan.core.api_helpers import RecordId, form_data_cleaned, permission_require
from gendan.logistics.forms_driver import FailForm
from gendan.logistics.selectors_driver import (
    FOLLOW,
    DriverSheet,
    Stop,
    day_sheets,
    driver_day,
    driver_drop_get,
    driver_shown,
    note_signed,
    sheets_readable,
)
from gendan.logistics.services.driver import drop_arrive, drop_deliver, drop_fail

router = Router(tags=["logistics"])
SEE = "logistics.view_drop"


class DriverLineOut(Schema):
    product: str
    sku: str
    colour_code: str
    quantity: Decimal
    unit: str
    batches: list[str]  # "batch (quantity unit)" reserved and shipped for the line
    boxes: list[str]  # the labels of the boxes picked


class DriverStopOut(Schema):
    drop_id: int
    stop: int
    order_id: int
    number: str
    receiver: str
    contact: str
    phone: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    geo_link: str
    amap_link: str
    window_start: dt.time | None
    window_end: dt.time | None
    arrives_at: dt.datetime | None
    state: str
    receiving_document_needed: bool  # O-21: a supermarket's route
    to_collect: Decimal  # O-22: the cash to collect (the desk's amount)
    collected: Decimal | None
    lines: list[DriverLineOut]

    @staticmethod
    def from_stop(stop: Stop) -> DriverStopOut:
        drop = stop.drop
        return DriverStopOut(
            drop_id=drop.pk, stop=stop.number, order_id=stop.order.pk, number=stop.order.number,
            receiver=stop.receiver, contact=stop.contact, phone=stop.phone, address=stop.address,
            latitude=drop.latitude, longitude=drop.longitude, geo_link=stop.geo_link,
            amap_link=stop.amap_link, window_start=drop.window_start, window_end=drop.window_end,
            arrives_at=drop.arrives_at, state=drop.state,
            receiving_document_needed=stop.is_supermarket, to_collect=stop.to_collect,
            collected=drop.collected, lines=[DriverLineOut(**vars(line)) for line in stop.lines],
        )  # fmt: skip


class DriverRouteOut(Schema):
    driver_id: int
    driver: str
    day: dt.date
    trucks: list[str]
    departs_at: dt.time | None
    to_collect: Decimal
    stops: list[DriverStopOut]


class DriverDropOut(Schema):
    drop_id: int
    order_id: int
    state: str
    arrived_at: dt.datetime | None
    done_at: dt.datetime | None
    received_by: str
    receiving_document: str
    collected: Decimal | None
    order_step: str


class DriverFailIn(Schema):
    reason: str
    fault: str
    detail: str = ""


class DriverSheetStopOut(Schema):
    stop: int
    drop_id: int
    number: str
    receiver: str
    state: str
    note_signed: bool  # O-21: the customer's signature and the deliver step
    to_collect: Decimal
    collected: Decimal | None


class DriverSheetOut(Schema):
    driver_id: int
    driver: str
    day: dt.date
    stops: list[DriverSheetStopOut]
    signed: int
    failed: int
    not_done: int
    to_collect: Decimal
    collected: Decimal
    short: Decimal  # to collect at the delivered stops less collected there

    @staticmethod
    def from_sheet(sheet: DriverSheet) -> DriverSheetOut:
        return DriverSheetOut(
            driver_id=sheet.driver.pk, driver=str(sheet.driver), day=sheet.day,
            stops=[sheet_stop_out(stop) for stop in sheet.stops], signed=sheet.signed,
            failed=sheet.failed, not_done=sheet.open, to_collect=sheet.to_collect,
            collected=sheet.collected, short=sheet.short,
        )  # fmt: skip


def sheet_stop_out(stop: Stop) -> DriverSheetStopOut:
    return DriverSheetStopOut(
        stop=stop.number, drop_id=stop.drop.pk, number=stop.order.number,
        receiver=stop.receiver, state=stop.drop.state, note_signed=note_signed(stop),
        to_collect=stop.to_collect, collected=stop.drop.collected,
    )  # fmt: skip


def drop_out(drop) -> DriverDropOut:
    return DriverDropOut(
        drop_id=drop.pk, order_id=drop.order_id, state=drop.state, arrived_at=drop.arrived_at,
        done_at=drop.done_at, received_by=drop.received_by,
        receiving_document=drop.receiving_document, collected=drop.collected,
        order_step=drop.order.step,
    )  # fmt: skip


@router.get("/driver/route", response=DriverRouteOut)
def driver_route_get(
    request: HttpRequest, day: dt.date | None = None, driver_id: RecordId | None = None
):
    """The signed-in driver's route of a day (default today) on the published plan, stops in
    order; ``driver_id``: another driver's, read only, for those who follow deliveries."""
    permission_require(request, SEE)
    driver, _own = driver_shown(request.user, driver_id)
    if driver is None:
        raise Http404
    found = driver_day(driver=driver, day=day or timezone.localdate())
    return DriverRouteOut(
        driver_id=driver.pk, driver=str(driver), day=found.day,
        trucks=[route.truck.plate for route in found.routes], departs_at=found.departs_at,
        to_collect=found.total_to_collect,
        stops=[DriverStopOut.from_stop(stop) for stop in found.stops],
    )  # fmt: skip


@router.post("/drops/{drop_id}/arrive", response=DriverDropOut)
def driver_drop_arrive(request: HttpRequest, drop_id: RecordId):
    """The driver is at the stop (a second call keeps the first time)."""
    permission_require(request, SEE)
    drop = driver_drop_get(user=request.user, pk=drop_id)
    return drop_out(drop_arrive(actor=request.user, drop=drop))


@router.post("/drops/{drop_id}/deliver", response=DriverDropOut)
def driver_drop_deliver(
    request: HttpRequest,
    drop_id: RecordId,
    signature: File[UploadedFile],
    received_by: Form[str],
    photo: File[UploadedFile] | None = None,
    receiving_document: Form[str] = "",
    collected: Form[str] = "",
):
    """O-21: delivered, as multipart: ``signature`` the PNG drawn on the screen (told from its
    content, not blank), ``photo`` of the signed note (JPEG, PNG or WebP), ``received_by``,
    ``receiving_document`` (required on supermarket routes: the deliver step refuses, 409),
    ``collected`` the cash (O-22). Signs the order's deliver step."""
    permission_require(request, SEE)
    drop = driver_drop_get(user=request.user, pk=drop_id)
    drop = drop_deliver(
        actor=request.user, drop=drop, received_by=received_by,
        signature_png=signature.read(), photo=photo, receiving_document=receiving_document,
        collected=collected,
    )  # fmt: skip
    return drop_out(drop)


@router.post("/drops/{drop_id}/fail", response=DriverDropOut)
def driver_drop_fail(
    request: HttpRequest,
    drop_id: RecordId,
    reason: Form[str],
    fault: Form[str],
    detail: Form[str] = "",
    photo: File[UploadedFile] | None = None,
):
    """O-44: the delivery failed (``reason``, ``fault``: the choices of the page's form, and
    what happened), as multipart with an optional ``photo``; logistics follows it up."""
    permission_require(request, SEE)
    drop = driver_drop_get(user=request.user, pk=drop_id)
    payload = {"reason": reason, "fault": fault, "detail": detail, "confirm": True}
    fields = form_data_cleaned(FailForm, payload)
    failure = drop_fail(
        actor=request.user, drop=drop, reason=fields["reason"], detail=fields["detail"],
        fault=fields["fault"], photo=photo,
    )  # fmt: skip
    return drop_out(failure.drop)


@router.get("/sheets/{day}", response=list[DriverSheetOut])
def driver_sheets_get(request: HttpRequest, day: dt.date):
    """O-22: every driver's sheet of the day: each stop's note signed or not, the cash to
    collect and collected, the totals (finance, logistics, the general manager)."""
    permission_require(request, FOLLOW)
    if not sheets_readable(request.user):
        raise PermissionDenied
    return [DriverSheetOut.from_sheet(sheet) for sheet in day_sheets(day=day)]
