"""The demo's bookings (O-41, O-42), made by the clerk through ``booking_make`` so they keep
the rules: the orders already shipped are booked for today (the driver's day), those at the
delivery note up to the ship step for tomorrow; one small order goes with the installers, one
is booked in a window of three days with the call promised. A day that is full takes a window.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from gendan.accounts.models import User
from gendan.logistics.demo_carriers import TRUCKS_REACH
from gendan.logistics.loads import order_load
from gendan.logistics.models import Booking
from gendan.logistics.services.booking import booking_make
from gendan.orders import known
from gendan.orders.models import Order
from gendan.orders.routes import DELIVER, FINISHED

# From the delivery note (O-18, three days ahead, O-41) to the goods leaving.
BEFORE_SHIPPING = (
    "delivery_note", "send_profit_note", "dealer_approve", "supervisor_review", "vp_approve",
    "receive_payment", "finance_review", "ship",
)  # fmt: skip
WINDOW = dt.timedelta(days=2)  # a window of three days (O-42)


def demo_bookings(clerk: User) -> list[Booking]:
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    booked = [demo_book(clerk, order, today) for order in demo_to_book(DELIVER.code)]
    later = list(demo_to_book(*BEFORE_SHIPPING))
    small = next((order for order in later if demo_small(order)), None)
    if small is not None:
        later.remove(small)
        booked.append(demo_book(clerk, small, tomorrow, with_installers=True))
    if later:
        booked.append(demo_book(clerk, later.pop(0), tomorrow, window=True))
    booked += [demo_book(clerk, order, tomorrow) for order in later]
    return [booking for booking in booked if booking is not None]


def demo_to_book(*steps: str) -> QuerySet[Order]:
    return (
        Order.objects.filter(step__in=steps)
        .exclude(step__in=FINISHED)
        .exclude(self_pickup=True)
        .exclude(delivery_bookings__state=Booking.State.BOOKED)
        .filter(province=TRUCKS_REACH)  # the others go with a carrier (demo_carriers.py)
        .order_by("pk")
    )


def demo_small(order: Order) -> bool:
    """O-42: an order that is installed and small enough to go with the installers."""
    return order.needs_installation and order_load(order).m2 <= settings.GENDAN_SMALL_ORDER_M2


def demo_book(
    clerk: User, order: Order, day: dt.date, *, window: bool = False, with_installers: bool = False
) -> Booking | None:
    """The day; a window of three days when asked or when the day is full; None when the
    rules refuse both (an installation before the day)."""
    told_to = known.booked_with(order)
    if not window:
        try:
            return booking_make(
                actor=clerk, order=order, first_day=day, told_to=told_to,
                with_installers=with_installers, call_promised=with_installers,
            )  # fmt: skip
        except ValidationError:
            pass  # the day is full: a window, as the clerk would offer (O-42)
    try:
        return booking_make(
            actor=clerk, order=order, first_day=day, last_day=day + WINDOW, told_to=told_to,
            call_promised=True, note="送货前一天电话通知",
        )  # fmt: skip
    except ValidationError:
        return None
