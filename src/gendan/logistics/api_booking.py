"""Bookings in the API (O-41, O-42): an order's delivery booked (the page's form and rules),
the bookings in force, and each day's booked load against the fleet's capacity. Mounted by
logistics/api.py."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from gendan.core.api_helpers import RecordId, form_data_cleaned, permission_require
from gendan.core.listing import PageNumbers
from gendan.logistics.forms_booking import BookingForm
from gendan.logistics.models import Booking
from gendan.logistics.selectors_booking import DayLoad, bookings_listed, day_loads
from gendan.logistics.services.booking import booking_make, booking_unchanged
from gendan.orders.selectors import order_get

router = Router(tags=["logistics"])
VIEW, BOOK = "logistics.view_booking", "logistics.add_booking"
MAX_DAYS = 62
DAYS_OUT_OF_RANGE = _("Ask for 1 to %(limit)s days.")


class BookingIn(Schema):
    first_day: dt.date  # the day, or a window's first day
    last_day: dt.date | None = None  # a window's last (O-42: 3 to 5 days); none: that day
    told_to: str  # with whom it was agreed
    call_promised: bool = False  # O-42: needed for a window
    with_installers: bool = False  # O-42: a small order that goes with the installers
    window_start: dt.time | None = None  # someone there from (O-43)
    window_end: dt.time | None = None
    note: str = ""


class BookingOut(Schema):
    id: int
    order_id: int
    number: str
    first_day: dt.date
    last_day: dt.date
    told_to: str
    call_promised: bool
    with_installers: bool
    window_start: dt.time | None
    window_end: dt.time | None
    note: str
    state: str
    booked_by: str
    booked_at: dt.datetime

    @staticmethod
    def resolve_number(booking: Booking) -> str:
        return booking.order.number

    @staticmethod
    def resolve_booked_by(booking: Booking) -> str:
        return booking.booked_by.display_name


class BookingDayOut(Schema):
    day: dt.date
    bookings: int
    load_m2: Decimal
    load_kg: Decimal
    capacity_m2: Decimal
    capacity_kg: Decimal
    full: bool  # O-42: book a window of 3 to 5 days instead

    @staticmethod
    def of(row: DayLoad) -> "BookingDayOut":
        return BookingDayOut(
            day=row.day, bookings=row.bookings, load_m2=round(row.load.m2, 2),
            load_kg=round(row.load.kg, 1), capacity_m2=row.capacity.m2,
            capacity_kg=row.capacity.kg, full=row.full,
        )  # fmt: skip


@router.post("/orders/{order_id}/booking", response={200: BookingOut, 201: BookingOut})
def booking_create(request: HttpRequest, order_id: RecordId, payload: BookingIn):
    """O-41, O-42: book the order's delivery (201); a booking in force is replaced, or given
    back as it is (200) when nothing changed; a rule's refusal is 422 with its message."""
    permission_require(request, BOOK)
    order = order_get(user=request.user, pk=order_id)
    fields = form_data_cleaned(BookingForm, payload.dict())
    before = order.delivery_bookings.filter(state=Booking.State.BOOKED).first()
    booking = booking_make(actor=request.user, order=order, **fields)
    status = 200 if booking_unchanged(booking, before) else 201
    return Status(status, BookingOut.from_orm(booking))


@router.get("/bookings", response=list[BookingOut])
@paginate(PageNumbers)
def bookings_list(
    request: HttpRequest, q: str = "", city: str = "", day: dt.date | None = None, o: str = "day"
):
    """The bookings in force of the orders the user may see: ``q`` in the order's number,
    customer or phone; ``day``: in force on that day; ``o``: day, number, city or booked_at
    ("-" first: reversed)."""
    permission_require(request, VIEW)
    return bookings_listed(user=request.user, search=q, city=city, day=day, order=o)


@router.get("/booking-days", response=list[BookingDayOut])
def booking_days_list(request: HttpRequest, start: dt.date | None = None, days: int = 14):
    """O-42: each day's booked load on the trucks against the fleet's capacity (a window
    counts its share on each of its days), from ``start`` (today) for ``days`` days."""
    permission_require(request, VIEW)
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(DAYS_OUT_OF_RANGE % {"limit": MAX_DAYS})
    return [BookingDayOut.of(row) for row in day_loads(start or timezone.localdate(), days)]
