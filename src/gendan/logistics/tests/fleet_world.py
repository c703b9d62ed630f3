"""The fleet's records the access table asks about: a truck with its driver, a listed
district, and a user holding the driver role who is no driver yet."""

from __future__ import annotations

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.logistics.models import DistrictZone, ZoneKind
from gendan.logistics.tests.factories import TruckFactory


def fleet_world_ids() -> dict[str, int]:
    truck = TruckFactory()
    zone = DistrictZone.objects.create(city="深圳市", district="福田区", kind=ZoneKind.INNER_CITY)
    free = UserFactory(roles=[Role.DRIVER])
    return {"truck": truck.pk, "driver": truck.driver.pk, "zone": zone.pk, "driver_user": free.pk}
