"""The outside carriers' records the access table asks about (config/tests/test_access.py)."""

from __future__ import annotations

from gendan.logistics.tests.factories import CarrierFactory, CarrierShipmentFactory
from gendan.orders.models import Order


def carriers_world_ids(order: Order) -> dict[str, int]:
    """A carrier, and a shipment of the order booked with it."""
    carrier = CarrierFactory(name="访问物流")
    shipment = CarrierShipmentFactory(order=order, carrier=carrier, waybill="ACCESS-1")
    return {"carrier": carrier.pk, "shipment": shipment.pk}
