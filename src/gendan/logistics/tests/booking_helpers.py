"""Orders to book, made through the real services, with days counted from today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gendan.orders.models import Order
from gendan.orders.tests.helpers import scenario


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def order_to_book(
    *, channel: str = "dealer", install: bool = False, m2: str = "10", delivery_in: int = 3,
    install_in: int = 6, **fields: object,
) -> Order:  # fmt: skip
    """An order of ``m2`` square metres of boards (15 kg each), to deliver in ``delivery_in``
    days and to install in ``install_in`` days (when ``install``)."""
    return scenario(
        channel, install=install, quantity=m2, expected_delivery_on=in_days(delivery_in),
        expected_install_on=in_days(install_in), **fields,
    )  # fmt: skip
