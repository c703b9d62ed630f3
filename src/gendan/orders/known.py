"""What an order already knows, to start a step's record from: nothing is typed twice.

Each function is a ``RecordField.initial`` (routes.py): given the order, the value its form
starts from, or None when nothing is known. The signer may change it before signing.
"""

from __future__ import annotations

import datetime as dt

from gendan.orders.models import Order


def day_of(value: object) -> dt.date | None:
    """A day as a step record keeps it (ISO text) or as the order does (a date)."""
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, dt.date) else None


def delivery_expected(order: Order) -> dt.date | None:
    """O-41: the expected delivery on the order, agreed again at measurement."""
    return order.expected_delivery_on


def delivery_booking(order: Order) -> object | None:
    """O-41: the delivery booked with the customer and in force, if the deliveries app is
    installed (its bookings are ``order.delivery_bookings``; orders does not import it)."""
    if order.pk is None or not hasattr(order, "delivery_bookings"):
        return None
    return order.delivery_bookings.filter(state="booked").first()


def delivery_agreed(order: Order) -> dt.date | None:
    """O-41: the day booked with the customer (a window's first day), else the one agreed at
    measurement, else the one expected on the order."""
    booking = delivery_booking(order)
    if booking is not None:
        return booking.first_day
    agreed = day_of(order.signed.get("measure", {}).get("delivery_on"))
    return agreed or order.expected_delivery_on


def install_expected(order: Order) -> dt.date | None:
    """O-41: the expected installation on the order, agreed again with the customer."""
    return order.expected_install_on


def install_agreed(order: Order) -> dt.date | None:
    """The installation day agreed with the customer, else the one expected on the order."""
    agreed = day_of(order.signed.get("agree_install", {}).get("install_on"))
    return agreed or order.expected_install_on


def contact_name(order: Order) -> str:
    """Who receives the goods: the order's contact, else the homeowner or the customer."""
    if order.contact_name:
        return order.contact_name
    return (order.end_customer or order.customer).name


def booked_with(order: Order) -> str:
    """O-41: whom the delivery was agreed with (the booking in force), else who receives."""
    booking = delivery_booking(order)
    return booking.told_to if booking is not None else contact_name(order)


def carrier_booked(order: Order) -> str | None:
    """O-23: the outside carrier booked for the order and its waybill number, if the
    deliveries app is installed (``order.carrier_shipments``; orders does not import it)."""
    if order.pk is None or not hasattr(order, "carrier_shipments"):
        return None
    shipment = order.carrier_shipments.exclude(status="problem").select_related("carrier").first()
    return f"{shipment.carrier.name} {shipment.waybill}" if shipment is not None else None
