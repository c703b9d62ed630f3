"""The demo's failed delivery and freight to pay (O-44, O-23), so /logistics/failures/ and
/logistics/freight/ have one each: on today's published plan the driver finds nobody at the
route's last stop (the customer's fault) and logistics tells the customer; one carrier's
shipment comes back delivered with its three papers (demo_carriers.demo_freight_ready). All
through the services, so the audit log has them."""

from __future__ import annotations

from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.logistics.demo_carriers import demo_freight_ready
from gendan.logistics.models import Drop, FailedDelivery, Fault, RoutePlan
from gendan.logistics.services.driver import drop_arrive, drop_fail
from gendan.logistics.services.failures import failure_customer_told
from gendan.orders import known


def demo_failures(users: dict[Role, User]) -> None:
    demo_failed_drop(users[Role.LOGISTICS])
    demo_freight_ready(users)


def demo_failed_drop(logistics: User) -> FailedDelivery | None:
    """Today's last stop on a driver's route: arrived, nobody there, the customer told."""
    today = Drop.objects.filter(
        plan__day=timezone.localdate(), plan__state=RoutePlan.State.PUBLISHED,
        route__driver__isnull=False, state=Drop.State.PLANNED,
    )  # fmt: skip
    drop = today.select_related("route__driver__user", "order").order_by("route", "-sequence")
    drop = drop.first()
    if drop is None:
        return None
    driver = drop.route.driver.user
    drop = drop_arrive(actor=driver, drop=drop)
    failure = drop_fail(
        actor=driver, drop=drop, reason=FailedDelivery.Reason.NOBODY_THERE,
        detail="敲门、打电话均无人应答", fault=Fault.CUSTOMER,
    )  # fmt: skip
    return failure_customer_told(
        actor=logistics, failure=failure, told_to=known.booked_with(drop.order)
    )
