"""Reads of the fleet and the zones: trucks and drivers as lists (search, filter, sort), the
users who may drive, and each city's listed districts by zone."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.logistics.geo import district_centres
from gendan.logistics.models import DistrictZone, Driver, Truck, ZoneKind

TRUCK_ORDERINGS = {
    "plate": "plate", "-plate": "-plate", "name": "name", "-name": "-name",
    "capacity_m2": "capacity_m2", "-capacity_m2": "-capacity_m2",
    "capacity_kg": "capacity_kg", "-capacity_kg": "-capacity_kg",
    "warehouse": "warehouse__name", "-warehouse": "-warehouse__name",
}  # fmt: skip
DRIVER_ORDERINGS = {
    "name": "user__name", "-name": "-user__name", "shift_start": "shift_start",
    "-shift_start": "-shift_start", "shift_end": "shift_end", "-shift_end": "-shift_end",
}  # fmt: skip


def truck_list(
    *, search: str = "", warehouse: str = "", active: str = "", order: str = "plate"
) -> QuerySet[Truck]:
    """``active``: "yes" the trucks in use, "no" those taken out of use, else all."""
    trucks = Truck.objects.select_related("warehouse", "driver__user")
    if search:
        trucks = trucks.filter(
            Q(plate__icontains=search) | Q(name__icontains=search)
            | Q(driver__user__name__icontains=search)
            | Q(driver__user__username__icontains=search)
        )  # fmt: skip
    if warehouse.isdigit():
        trucks = trucks.filter(warehouse_id=int(warehouse))
    if active in ("yes", "no"):
        trucks = trucks.filter(is_active=active == "yes")
    return trucks.order_by(TRUCK_ORDERINGS.get(order, "plate"), "pk")


def driver_list(*, search: str = "", active: str = "", order: str = "name") -> QuerySet[Driver]:
    drivers = Driver.objects.select_related("user").prefetch_related("trucks")
    if search:
        drivers = drivers.filter(
            Q(user__name__icontains=search) | Q(user__username__icontains=search)
            | Q(phone__icontains=search)
        )  # fmt: skip
    if active in ("yes", "no"):
        drivers = drivers.filter(is_active=active == "yes")
    return drivers.order_by(DRIVER_ORDERINGS.get(order, "user__name"), "pk")


def truck_get(pk: int) -> Truck:
    return get_object_or_404(Truck.objects.select_related("warehouse", "driver__user"), pk=pk)


def driver_get(pk: int) -> Driver:
    return get_object_or_404(Driver.objects.select_related("user"), pk=pk)


def zone_get(pk: int) -> DistrictZone:
    return get_object_or_404(DistrictZone, pk=pk)


def driver_users(*, keep: User | None = None) -> QuerySet[User]:
    """The active users holding the driver role who are no driver yet (and ``keep``)."""
    users = User.objects.filter(is_active=True, groups__name=Role.DRIVER.value)
    free = users.filter(driver__isnull=True)
    if keep is not None:
        free = users.filter(Q(driver__isnull=True) | Q(pk=keep.pk))
    return free.distinct().order_by("name", "username")


@dataclass
class CityZones:
    """One city's listed districts by zone, and the known districts not listed (outer)."""

    city: str
    by_kind: dict[str, list[DistrictZone]] = field(default_factory=dict)
    unlisted: list[str] = field(default_factory=list)

    def groups(self) -> list[tuple[str, str, list[DistrictZone]]]:
        return [(kind, label, self.by_kind.get(kind, [])) for kind, label in ZoneKind.choices]


def zones_by_city(*, city: str = "") -> list[CityZones]:
    """Each city with a listed district: its districts by zone, and the districts the centre
    table knows that are not listed (they count as outside the inner city)."""
    zones = DistrictZone.objects.order_by("city", "district")
    if city:
        zones = zones.filter(city__icontains=city)
    cities: dict[str, CityZones] = {}
    for zone in zones:
        city_zones = cities.setdefault(zone.city, CityZones(zone.city))
        city_zones.by_kind.setdefault(zone.kind, []).append(zone)
    listed = {(zone.city, zone.district) for zone in zones}
    for name, district in district_centres():
        if name in cities and (name, district) not in listed:
            cities[name].unlisted.append(district)
    return list(cities.values())


def known_places() -> tuple[list[str], list[str]]:
    """The cities and districts of the centre table, for the zone form's suggestions."""
    places = district_centres()
    return sorted({city for city, _d in places}), sorted({district for _c, district in places})
