"""The fleet and the zones (issue 14 point 1): trucks (capacity in m² of boards and kg, home
warehouse, driver), drivers (a user with the driver role, the hours they work) and the zone of
each listed district of a city (O-45). One transaction each, signed in the audit log; a truck
is taken out of use, never deleted (its routes keep naming it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.audit.services import model_changes, model_snapshot
from gendan.logistics.audit_events import (
    driver_saved_event,
    truck_saved_event,
    zone_removed_event,
    zone_set_event,
)
from gendan.logistics.locks import driver_lock, truck_lock, zone_lock
from gendan.logistics.models import DistrictZone, Driver, Truck, ZoneKind

TRUCK_FIELDS = ["plate", "name", "capacity_m2", "capacity_kg", "warehouse", "driver", "is_active"]
DRIVER_FIELDS = ["user", "phone", "shift_start", "shift_end", "is_active"]

PLATE_REQUIRED = _("Enter the truck's number plate.")
PLATE_INVALID = _(
    "“%(plate)s” is not a number plate: a province, a letter, then 5 or 6 letters and digits "
    "(粤B·12345)."
)
NOT_A_DRIVER = _("%(user)s does not hold the driver role: give the user that role first.")
SHIFT_ENDS_BEFORE_START = _("The working day must end after it starts.")
DRIVER_NOT_WORKING = _("%(driver)s is not working: choose a driver who works.")
DRIVER_HAS_A_TRUCK = _(
    "%(driver)s already drives %(plate)s: a driver drives one truck a day; take them off that "
    "truck first."
)
CITY_REQUIRED = _("Enter the city, e.g. 深圳市.")
DISTRICT_REQUIRED = _("Enter the district, e.g. 福田区.")
ZONE_UNKNOWN = _("Choose the zone: inner city, outside the inner city or out of town.")
ZONE_SAVED_MEANWHILE = _("Someone listed this district at the same moment: look again.")

# Loose on purpose: a province's character (or two, 使/领 plates), a letter, an optional dot
# or space, then 5 or 6 letters and digits, maybe a closing character (学, 警, 挂).
PLATE = re.compile(r"^[\u4e00-\u9fff]{1,2}[A-Z]·?[A-Z0-9]{5,6}[\u4e00-\u9fff]?$")


def plate_normal(text: str) -> str:
    """A plate as it is kept: upper case, no spaces, the dot as "·" (粤b 12345 → 粤B12345)."""
    text = re.sub(r"\s+", "", text or "").upper()
    return re.sub(r"[.．•・\-]", "·", text)


def truck_check(truck: Truck) -> None:
    truck.plate = plate_normal(truck.plate)
    if not truck.plate:
        raise ValidationError({"plate": PLATE_REQUIRED})
    if not PLATE.match(truck.plate):
        raise ValidationError({"plate": PLATE_INVALID % {"plate": truck.plate}})
    if truck.driver is not None and not truck.driver.is_active and truck.is_active:
        raise ValidationError({"driver": DRIVER_NOT_WORKING % {"driver": truck.driver}})
    driver_one_truck_check(truck)


def driver_one_truck_check(truck: Truck) -> None:
    """A route plan gives each truck in use a route: its driver can be on only one of them."""
    if truck.driver is None or not truck.is_active:
        return
    other = Truck.objects.filter(driver=truck.driver, is_active=True).exclude(pk=truck.pk).first()
    if other is not None:
        message = DRIVER_HAS_A_TRUCK % {"driver": truck.driver, "plate": other.plate}
        raise ValidationError({"driver": message})


def record_save(
    *, record: Any, fields: dict[str, Any], names: list[str], check: Callable, sign: Callable
) -> Any:
    """Sets the fields, checks and saves the record, and signs a new one's values or the
    changed ones as [before, after] (a change that changes nothing is not signed)."""
    before = model_snapshot(record, list(fields)) if record.pk else None
    for name, value in fields.items():
        setattr(record, name, value)
    check(record)
    record.full_clean()
    record.save()
    if before is None:
        sign(record, model_snapshot(record, names))
    elif changes := model_changes(before, model_snapshot(record, list(fields))):
        sign(record, changes)
    return record


def truck_signer(actor: User) -> Callable:
    return lambda truck, changes: truck_saved_event(actor=actor, truck=truck, changes=changes)


@transaction.atomic
def truck_create(*, actor: User, fields: dict[str, Any]) -> Truck:
    return record_save(
        record=Truck(), fields=fields, names=TRUCK_FIELDS, check=truck_check,
        sign=truck_signer(actor),
    )  # fmt: skip


@transaction.atomic
def truck_update(*, actor: User, truck: Truck, fields: dict[str, Any]) -> Truck:
    """Changes the fields given; ``{"is_active": False}`` takes the truck out of use."""
    return record_save(
        record=truck_lock(truck.pk), fields=fields, names=TRUCK_FIELDS, check=truck_check,
        sign=truck_signer(actor),
    )  # fmt: skip


def driver_check(driver: Driver) -> None:
    user = driver.user if driver.user_id else None
    if user is not None and not user.has_role(Role.DRIVER):
        raise ValidationError({"user": NOT_A_DRIVER % {"user": user.display_name}})
    if driver.shift_start and driver.shift_end and driver.shift_end <= driver.shift_start:
        raise ValidationError({"shift_end": SHIFT_ENDS_BEFORE_START})


def driver_signer(actor: User) -> Callable:
    return lambda driver, changes: driver_saved_event(actor=actor, driver=driver, changes=changes)


@transaction.atomic
def driver_create(*, actor: User, fields: dict[str, Any]) -> Driver:
    return record_save(
        record=Driver(), fields=fields, names=DRIVER_FIELDS, check=driver_check,
        sign=driver_signer(actor),
    )  # fmt: skip


@transaction.atomic
def driver_update(*, actor: User, driver: Driver, fields: dict[str, Any]) -> Driver:
    return record_save(
        record=driver_lock(driver.pk), fields=fields, names=DRIVER_FIELDS, check=driver_check,
        sign=driver_signer(actor),
    )  # fmt: skip


def zone_input_check(city: str, district: str, kind: str) -> None:
    errors = {}
    if not city:
        errors["city"] = CITY_REQUIRED
    if not district:
        errors["district"] = DISTRICT_REQUIRED
    if kind not in ZoneKind.values:
        errors["kind"] = ZONE_UNKNOWN
    if errors:
        raise ValidationError(errors)


def zone_set(*, actor: User, city: str, district: str, kind: str) -> DistrictZone:
    """O-45: list a district of a city in a zone, or move it to another zone."""
    city, district = city.strip(), district.strip()
    zone_input_check(city, district, kind)
    try:
        return zone_save(actor=actor, city=city, district=district, kind=kind)
    except IntegrityError:  # another editor inserted the same district between our read and write
        raise ValidationError(ZONE_SAVED_MEANWHILE) from None


@transaction.atomic
def zone_save(*, actor: User, city: str, district: str, kind: str) -> DistrictZone:
    zone = zone_lock(city, district) or DistrictZone(city=city, district=district)
    before = zone.kind if zone.pk else ""
    if before == kind:
        return zone
    zone.kind = kind
    zone.full_clean(validate_unique=False, validate_constraints=False)
    zone.save()
    zone_set_event(actor=actor, zone=zone, before=before)
    return zone


@transaction.atomic
def zone_remove(*, actor: User, zone: DistrictZone) -> None:
    """Takes the district off the list: it then counts as outside the inner city, or, if it
    was its city's last listed district, as out of town (geo.zone_of)."""
    zone = zone_lock(zone.city, zone.district)
    if zone is None:  # removed meanwhile: nothing left to do
        return
    zone_removed_event(actor=actor, zone=zone)
    zone.delete()
