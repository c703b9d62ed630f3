"""The failed deliveries' records the access table asks about (O-44): a drop failed on the
driver's route, reported by the driver, nothing followed up yet."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from gendan.logistics.models import Drop
from gendan.logistics.tests.driver_helpers import signature_png
from gendan.logistics.tests.factories import DropFactory, FailedDeliveryFactory
from gendan.orders.tests.helpers import scenario


def failures_world_ids() -> dict[str, int]:
    """After driver_world_ids: a failed drop on the driver's route and its report, with the
    driver's photo."""
    driven = Drop.objects.filter(route__driver__isnull=False).select_related("route").first()
    drop = DropFactory(
        order=scenario("retail"), route=driven.route, state=Drop.State.FAILED,
        done_at=timezone.now(),
    )  # fmt: skip
    failure = FailedDeliveryFactory(drop=drop)
    failure.photo.save("failed.png", ContentFile(signature_png()))
    return {"failure": failure.pk}
