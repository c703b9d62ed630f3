"""The demo's outside carriers (O-23): orders beyond the trucks' reach (outside Guangdong) go
with a carrier, booked by logistics with a waybill and the freight; one already shipped has
its papers back and the customer's signature, so the freight list has one to pay."""

from __future__ import annotations

from decimal import Decimal

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.logistics.models import Carrier, CarrierShipment, CarrierStatus, Drop
from gendan.logistics.selectors_carriers import PAPERS
from gendan.logistics.services.carriers import (
    carrier_create,
    shipment_book,
    shipment_deliver_sign,
    shipment_document_received,
    shipment_status,
)
from gendan.orders.known import contact_name
from gendan.orders.models import Order
from gendan.orders.routes import DELIVER, FINISHED
from gendan.parties.models import CustomerKind

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


def demo_freight_ready(users: dict[Role, User]) -> CarrierShipment | None:
    """O-23, O-21: one shipment delivered by its carrier with its three papers back, the deliver
    step signed from the original, so finance has one freight to pay. A carrier is booked for
    an order at the deliver step on no truck's open drop when no shipment's order is there."""
    logistics = users[Role.LOGISTICS]
    shipment = (
        CarrierShipment.objects.filter(status=CarrierStatus.BOOKED, order__step=DELIVER.code)
        .order_by("pk")
        .first()
    )
    if shipment is None:
        order = demo_delivering_order()
        if order is None:
            return None
        shipment = shipment_book(
            actor=logistics, order=order, carrier=Carrier.objects.order_by("pk").first(),
            waybill=f"DB{order.number.replace('-', '')}", freight=Decimal("260.00"),
        )  # fmt: skip
    for status in (CarrierStatus.PICKED_UP, CarrierStatus.IN_TRANSIT, CarrierStatus.DELIVERED):
        shipment = shipment_status(actor=logistics, shipment=shipment, status=status)
    demo_papers_in(logistics, shipment)
    shipment_deliver_sign(actor=users[DELIVER.role], shipment=shipment)
    return shipment


def demo_delivering_order() -> Order | None:
    """An order waiting for its delivery on no truck's open drop, the far ones first."""
    orders = (
        Order.objects.filter(step=DELIVER.code, self_pickup=False)
        .exclude(drops__state__in=(Drop.State.PLANNED, Drop.State.ARRIVED))
        .exclude(carrier_shipments__isnull=False)
    )
    far = orders.exclude(province=TRUCKS_REACH).order_by("pk").first()
    return far or orders.order_by("pk").first()


def demo_papers_in(logistics: User, shipment: CarrierShipment) -> CarrierShipment:
    """The carrier's three papers back, the original signed by whoever receives."""
    signer, document = contact_name(shipment.order), ""
    if shipment.order.channel == CustomerKind.SUPERMARKET:
        document = f"SH{shipment.order.number.replace('-', '')}"
    for paper in PAPERS:
        shipment = shipment_document_received(
            actor=logistics, shipment=shipment, paper=paper, signed_by=signer,
            receiving_document=document,
        )  # fmt: skip
    return shipment
