"""Booking deliveries with the customer (O-41, O-42).

Three days before the delivery the clerk agrees a day with the customer; when that day's
trucks are full, a window of 3 to 5 days with a call the day before. A delivery only has to
arrive before the installation, and a small order may go with the installers (no truck).
An order has one booking in force: booking again replaces it, and booking again with nothing
changed leaves it as it is (no new row, no audit entry). The booking ends with the order:
delivered when the deliver step is signed, cancelled when the order is (orders/effects.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.logistics.audit_events import booking_closed_event, delivery_booked_event
from gendan.logistics.loads import Load, order_load
from gendan.logistics.locks import booking_lock
from gendan.logistics.models import Booking, Truck
from gendan.logistics.selectors_booking import IN_FORCE, day_loads
from gendan.orders import known
from gendan.orders.models import Order
from gendan.orders.routes import DELIVER, FINISHED

ORDER_FINISHED = _("O-41: this order is closed or cancelled: there is no delivery to book.")
SELF_PICKUP = _("O-41: the customer collects this order at the warehouse: nothing to book.")
ALREADY_DELIVERED = _("O-41: this order is delivered already.")
DAY_PAST = _("O-41: %(day)s is past: book today or a later day.")
TOLD_TO_MISSING = _("O-41: say with whom the delivery was agreed.")
LAST_BEFORE_FIRST = _("The last day of the window is before its first.")
WINDOW_LENGTH = _("O-42: a window is 3 to 5 days long, not %(days)s.")
WINDOW_NEEDS_CALL = _("O-42: a window needs the promise of a call the day before.")
DAY_FULL = _(
    "O-42: %(day)s is full (%(m2)s of %(capacity_m2)s m², %(kg)s of %(capacity_kg)s kg booked "
    "with this order): book a window of 3 to 5 days and promise a call the day before."
)
NO_FLEET = _(
    "O-42: no truck is in use, so no day has room: book a window of 3 to 5 days, or with the "
    "installers."
)
AFTER_INSTALL = _(
    "O-42: the delivery only has to arrive before the installation on %(day)s: book that day "
    "or earlier."
)
INSTALLERS_NO_INSTALL = _("O-42: only an order that is installed can go with the installers.")
INSTALLERS_TOO_BIG = _(
    "O-42: only a small order (up to %(limit)s m²) goes with the installers; this one has "
    "%(m2)s m²."
)
TIMES_REVERSED = _("The time someone is there until must be after the time from.")
WINDOW_DAYS = range(3, 6)  # O-42


@dataclass(frozen=True)
class BookingInput:
    """What the clerk agreed with the customer."""

    first_day: dt.date
    last_day: dt.date
    told_to: str
    call_promised: bool
    with_installers: bool
    window_start: dt.time | None
    window_end: dt.time | None
    note: str

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def same_as(self, booking: Booking) -> bool:
        """The booking in force already says all of this."""
        return all(getattr(booking, name) == getattr(self, name) for name in BOOKED_FIELDS)


BOOKED_FIELDS = (
    "first_day", "last_day", "told_to", "call_promised", "with_installers", "window_start",
    "window_end", "note",
)  # fmt: skip


def booking_make(
    *,
    actor: User,
    order: Order,
    first_day: dt.date,
    last_day: dt.date | None = None,
    told_to: str,
    call_promised: bool = False,
    with_installers: bool = False,
    window_start: dt.time | None = None,
    window_end: dt.time | None = None,
    note: str = "",
) -> Booking:
    """O-41, O-42: book the order's delivery on a day or in a window; the booking in force,
    if any, is replaced, or returned as it is when nothing changed (``booking_unchanged``).
    Refused (ValidationError, nothing changed) against the rules."""
    wanted = BookingInput(
        first_day, last_day or first_day, told_to.strip(), call_promised, with_installers,
        window_start, window_end, note.strip(),
    )  # fmt: skip
    with transaction.atomic():
        order, trucks = booking_lock(order.pk)
        booking_check(order, wanted)
        current = Booking.objects.filter(order=order, state=IN_FORCE).first()
        if current is not None and wanted.same_as(current):
            return current
        load = order_load(order)
        installers_check(order, wanted, load)
        if not wanted.with_installers and wanted.days == 1:
            capacity_check(order, wanted.first_day, load, trucks)
        return booking_write(actor, order, wanted)


def booking_unchanged(booking: Booking, before: Booking | None) -> bool:
    """``booking_make`` left the booking in force as it was (``before``: that booking)."""
    return before is not None and booking.pk == before.pk


def booking_check(order: Order, wanted: BookingInput) -> None:
    """The order may be booked, and the day or window is one the rules allow."""
    if order.step in FINISHED:
        raise ValidationError(ORDER_FINISHED)
    if order.self_pickup:
        raise ValidationError(SELF_PICKUP)
    if DELIVER.code in order.signed:
        raise ValidationError(ALREADY_DELIVERED)
    if not wanted.told_to:
        raise ValidationError(TOLD_TO_MISSING)
    if wanted.first_day < timezone.localdate():
        raise ValidationError(DAY_PAST % {"day": wanted.first_day})
    window_check(wanted)
    install_on = known.install_agreed(order) if order.needs_installation else None
    if install_on is not None and wanted.last_day > install_on:
        raise ValidationError(AFTER_INSTALL % {"day": install_on})


def window_check(wanted: BookingInput) -> None:
    """O-42: a window of days is 3 to 5 long and comes with a call the day before."""
    if wanted.last_day < wanted.first_day:
        raise ValidationError(LAST_BEFORE_FIRST)
    if wanted.days > 1 and wanted.days not in WINDOW_DAYS:
        raise ValidationError(WINDOW_LENGTH % {"days": wanted.days})
    if wanted.days > 1 and not wanted.call_promised:
        raise ValidationError(WINDOW_NEEDS_CALL)
    times = (wanted.window_start, wanted.window_end)
    if None not in times and wanted.window_end <= wanted.window_start:
        raise ValidationError(TIMES_REVERSED)


def installers_check(order: Order, wanted: BookingInput, load: Load) -> None:
    """O-42: only a small order that is installed goes with the installers."""
    if not wanted.with_installers:
        return
    if not order.needs_installation:
        raise ValidationError(INSTALLERS_NO_INSTALL)
    limit = settings.GENDAN_SMALL_ORDER_M2
    if load.m2 > limit:
        raise ValidationError(INSTALLERS_TOO_BIG % {"limit": limit, "m2": load.m2})


def capacity_check(order: Order, day: dt.date, load: Load, trucks: list[Truck]) -> None:
    """O-42: a single day is booked only while the fleet has room for the order on it (the
    day's bookings in force, windows by their share, selectors_booking.py)."""
    if not trucks:
        raise ValidationError(NO_FLEET)
    (booked,) = day_loads(day, 1, trucks=trucks, exclude_order=order.pk)
    booked = booked.with_added(load)
    if booked.full:
        raise ValidationError(
            DAY_FULL % {
                "day": day, "m2": round(booked.load.m2, 2), "kg": round(booked.load.kg, 1),
                "capacity_m2": booked.capacity.m2, "capacity_kg": booked.capacity.kg,
            }
        )  # fmt: skip


def booking_write(actor: User, order: Order, wanted: BookingInput) -> Booking:
    """The booking in force replaced by the new one, and the audit entry."""
    replaced = Booking.objects.filter(order=order, state=IN_FORCE).first()
    if replaced is not None:
        replaced.state = Booking.State.REPLACED
        replaced.save(update_fields=["state"])
    booking = Booking(
        order=order, first_day=wanted.first_day, last_day=wanted.last_day,
        with_installers=wanted.with_installers, window_start=wanted.window_start,
        window_end=wanted.window_end, told_to=wanted.told_to,
        call_promised=wanted.call_promised, note=wanted.note, booked_by=actor,
    )  # fmt: skip
    booking.full_clean()
    booking.save()
    delivery_booked_event(actor=actor, booking=booking, replaced=replaced)
    return booking


def booking_end(order: Order, actor: User | None, state: str) -> Booking | None:
    """The order's booking in force ends (its order delivered or cancelled)."""
    booking = Booking.objects.filter(order=order, state=IN_FORCE).select_for_update().first()
    if booking is None:
        return None
    booking.state = state
    booking.save(update_fields=["state"])
    booking_closed_event(actor=actor, booking=booking)
    return booking


def booking_cancel(*, order: Order, actor: User | None) -> Booking | None:
    """CANCEL_WORK: a cancelled order's booking is cancelled (nothing to plan any more)."""
    return booking_end(order, actor, Booking.State.CANCELLED)


def booking_delivered(*, order: Order, actor: User | None) -> Booking | None:
    """STEP_WORK of the deliver step: the booking in force is delivered."""
    return booking_end(order, actor, Booking.State.DELIVERED)
