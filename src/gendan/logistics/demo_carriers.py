"""The demo's outside carriers (O-23): orders beyond the trucks' reach (outside Guangdong) go
with a carrier, booked by logistics with a waybill and the freight; one already shipped has
its papers coming back, so the freight list has one to pay and one waiting."""

from __future__ import annotations

from decimal import Decimal

from gendan.accounts.models import User
from gendan.logistics.models import Carrier, CarrierShipment
from gendan.logistics.services.carriers import carrier_create, shipment_book
from gendan.orders.models import Order
from gendan.orders.routes import FINISHED

TRUCKS_REACH = "广东省"  # the trucks serve the province of the warehouse
CARRIERS = [("德邦物流", "95353"), ("顺丰快运", "95338")]
STEPS = ("finance_review", "ship", "deliver")


def demo_far_orders() -> list[Order]:
    """The orders from the finance review to the delivery that the trucks do not reach."""
    orders = Order.objects.filter(step__in=STEPS).exclude(step__in=FINISHED)
    return list(orders.exclude(self_pickup=True).exclude(province=TRUCKS_REACH).order_by("pk"))


def demo_carriers(logistics: User) -> list[CarrierShipment]:
    carriers = [
        Carrier.objects.filter(name=name).first()
        or carrier_create(actor=logistics, name=name, phone=phone)
        for name, phone in CARRIERS
    ]
    return [
        shipment_book(
            actor=logistics,
            order=order,
            carrier=carriers[index % len(carriers)],
            waybill=f"DB{order.number.replace('-', '')}",
            freight=Decimal("380.00"),
        )
        for index, order in enumerate(demo_far_orders())
    ]
