"""Orders sent with an outside carrier, for the carriers' tests (O-23, O-21)."""

from __future__ import annotations

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.logistics.models import CarrierShipment
from gendan.logistics.selectors_carriers import PAPERS
from gendan.logistics.services.carriers import shipment_document_received
from gendan.logistics.tests.factories import CarrierShipmentFactory
from gendan.orders.models import Order, PaymentTerms
from gendan.orders.routes import DELIVER
from gendan.orders.tests.helpers import scenario, staff


def order_shipped(channel: str = "retail") -> Order:
    """An order of the channel, shipped: waiting at its deliver step."""
    terms = PaymentTerms.CONTRACT if channel == "supermarket" else PaymentTerms.PREPAY
    return walked_to(scenario(channel, terms=terms), DELIVER.code)


def shipment_shipped(channel: str = "retail", **fields: object) -> CarrierShipment:
    """A shipment booked for an order that has left the warehouse."""
    return CarrierShipmentFactory(order=order_shipped(channel), **fields)


def papers_in(shipment: CarrierShipment, *papers: str) -> CarrierShipment:
    """The papers named (all three if none) taken in by logistics."""
    clerk = staff(Role.LOGISTICS)
    for paper in papers or tuple(PAPERS):
        shipment = shipment_document_received(
            actor=clerk, shipment=shipment, paper=paper, signed_by="王先生",
            receiving_document="SH-001" if shipment.order.channel == "supermarket" else "",
        )  # fmt: skip
    return shipment
