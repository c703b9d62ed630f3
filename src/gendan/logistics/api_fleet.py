"""The fleet in the API: trucks (listed, added, changed), drivers (listed, added) and the zones
of each city's districts (O-45: listed, set, removed). Mounted by logistics/api.py. Input is
checked by the pages' forms and services: a refusal is 422 with their message."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from gendan.core.api_helpers import RecordId, form_cleaned, form_data_cleaned, permission_require
from gendan.core.listing import PageNumbers
from gendan.logistics.forms_fleet import DriverForm, TruckForm, ZoneForm
from gendan.logistics.models import DistrictZone
from gendan.logistics.selectors_fleet import driver_list, truck_get, truck_list, zone_get
from gendan.logistics.services.fleet import (
    driver_create,
    truck_create,
    truck_update,
    zone_remove,
    zone_set,
)

router = Router(tags=["logistics"])


class FleetTruckOut(Schema):
    id: int
    plate: str
    name: str
    capacity_m2: Decimal
    capacity_kg: Decimal
    warehouse_id: int
    driver_id: int | None
    is_active: bool


class FleetTruckIn(Schema):
    plate: str | None = None
    name: str | None = None
    capacity_m2: Decimal | None = None
    capacity_kg: Decimal | None = None
    warehouse_id: int | None = None
    driver_id: int | None = None
    is_active: bool | None = None


class FleetDriverOut(Schema):
    id: int
    user_id: int
    name: str
    phone: str
    shift_start: str
    shift_end: str
    is_active: bool

    @staticmethod
    def resolve_name(driver) -> str:
        return str(driver)

    @staticmethod
    def resolve_shift_start(driver) -> str:
        return driver.shift_start.strftime("%H:%M")

    @staticmethod
    def resolve_shift_end(driver) -> str:
        return driver.shift_end.strftime("%H:%M")


class FleetDriverIn(Schema):
    user_id: int | None = None
    phone: str | None = None
    shift_start: str | None = None  # "07:00"
    shift_end: str | None = None
    is_active: bool | None = None


class FleetZoneOut(Schema):
    id: int
    city: str
    district: str
    kind: str  # inner, outer, out_of_town


class FleetZoneIn(Schema):
    city: str
    district: str
    kind: str


def ids_as_fields(payload: dict, *names: str) -> dict:
    """``warehouse_id`` → ``warehouse``, as the forms name them."""
    return {name.removesuffix("_id") if name in names else name: v for name, v in payload.items()}


@router.get("/trucks", response=list[FleetTruckOut])
@paginate(PageNumbers)
def trucks(
    request: HttpRequest, q: str = "", warehouse_id: int | None = None, active: str = "",
    order: str = "plate",
):  # fmt: skip
    """The trucks; ``active``: "yes" in use, "no" out of use."""
    permission_require(request, "logistics.view_truck")
    return truck_list(search=q, warehouse=str(warehouse_id or ""), active=active, order=order)


@router.post("/trucks", response={201: FleetTruckOut})
def truck_add(request: HttpRequest, payload: FleetTruckIn):
    permission_require(request, "logistics.add_truck")
    data = ids_as_fields(payload.dict(exclude_unset=True), "warehouse_id", "driver_id")
    fields = form_cleaned(TruckForm, data)
    return Status(201, truck_create(actor=request.user, fields=fields))


@router.put("/trucks/{truck_id}", response=FleetTruckOut)
def truck_change(request: HttpRequest, truck_id: RecordId, payload: FleetTruckIn):
    """Changes the fields sent; ``{"is_active": false}`` takes the truck out of use."""
    permission_require(request, "logistics.change_truck")
    truck = truck_get(truck_id)
    data = ids_as_fields(payload.dict(exclude_unset=True), "warehouse_id", "driver_id")
    fields = form_cleaned(TruckForm, data, instance=truck)
    return truck_update(actor=request.user, truck=truck, fields=fields)


@router.get("/drivers", response=list[FleetDriverOut])
@paginate(PageNumbers)
def drivers(request: HttpRequest, q: str = "", active: str = "", order: str = "name"):
    permission_require(request, "logistics.view_driver")
    return driver_list(search=q, active=active, order=order)


@router.post("/drivers", response={201: FleetDriverOut})
def driver_add(request: HttpRequest, payload: FleetDriverIn):
    """A user holding the driver role; another user is refused (422)."""
    permission_require(request, "logistics.add_driver")
    fields = form_cleaned(DriverForm, ids_as_fields(payload.dict(exclude_unset=True), "user_id"))
    return Status(201, driver_create(actor=request.user, fields=fields))


@router.get("/zones", response=list[FleetZoneOut])
def zones(request: HttpRequest, city: str = ""):
    """The listed districts. Another district of a listed city is outside the inner city; a
    city with none listed is out of town (O-45)."""
    permission_require(request, "logistics.view_districtzone")
    listed = DistrictZone.objects.order_by("city", "district")
    return listed.filter(city=city) if city else listed


@router.post("/zones", response={201: FleetZoneOut})
def zone_add(request: HttpRequest, payload: FleetZoneIn):
    """Lists a district in a zone, or moves a listed one to another zone."""
    permission_require(request, "logistics.add_districtzone")
    fields = form_data_cleaned(ZoneForm, payload.dict())
    return Status(201, zone_set(actor=request.user, **fields))


@router.delete("/zones/{zone_id}", response={204: None})
def zone_delete(request: HttpRequest, zone_id: RecordId):
    permission_require(request, "logistics.delete_districtzone")
    zone_remove(actor=request.user, zone=zone_get(zone_id))
    return Status(204, None)
