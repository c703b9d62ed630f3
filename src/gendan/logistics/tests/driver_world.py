"""The driver's phone's records the access table asks about: the driver role's user drives
the published route of the call list's drop (the API's ``{drop_id}`` names that drop for every
operation), and a delivered drop on it with the customer's signature."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.logistics.models import Driver, Drop, TruckRoute
from gendan.logistics.tests.calls_helpers import CALL_DAY
from gendan.logistics.tests.driver_helpers import signature_png
from gendan.logistics.tests.factories import DropFactory
from gendan.orders.tests.helpers import scenario, staff


def driver_world_ids() -> dict[str, int]:
    """After calls_world_ids: its drop, on the published plan of CALL_DAY."""
    driver, _made = Driver.objects.get_or_create(user=staff(Role.DRIVER))
    drop = Drop.objects.select_related("route").get(plan__day=CALL_DAY, route__isnull=False)
    TruckRoute.objects.filter(pk=drop.route_id).update(driver=driver)
    signed = DropFactory(
        order=scenario("retail"), route=drop.route, state=Drop.State.DELIVERED,
        received_by="王女士", done_at=timezone.now(),
    )  # fmt: skip
    signed.signature.save("signature.png", ContentFile(signature_png()))
    return {"driver_drop": drop.pk, "signed_drop": signed.pk, "route_driver": driver.pk}
