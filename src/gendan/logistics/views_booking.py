"""The clerk's booking pages (O-41, O-42): the orders to book three days ahead and the
bookings in force; one order's booking with the coming days' load against the fleet's
capacity; the count of orders to book on the home page (an htmx part)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.core.decorators import permission
from gendan.core.listing import date_param, list_params, page_of, service_errors_to_form
from gendan.logistics.forms_booking import BookingForm
from gendan.logistics.loads import Load, order_load
from gendan.logistics.models import Booking
from gendan.logistics.selectors_booking import (
    IN_FORCE,
    DayLoad,
    bookings_listed,
    day_loads,
    days_full_with,
    first_day_with_room,
    orders_to_book,
)
from gendan.logistics.services.booking import booking_make, booking_unchanged
from gendan.orders import known
from gendan.orders.models import Order
from gendan.orders.selectors import order_get

VIEW, BOOK = "logistics.view_booking", "logistics.add_booking"
CHART_DAYS = 14
BOOKED = _("Delivery booked: %(when)s, agreed with %(told_to)s.")
NOTHING_CHANGED = _(
    "Nothing changed: the booking in force is already %(when)s, agreed with %(told_to)s."
)
# Shown by booking.js before the form is sent (the service refuses the day too, DAY_FULL).
DAY_FULL_WARNING = _(
    "O-42: %(day)s is full with this order: book a window of 3 to 5 days with a call the day "
    "before, or another day."
)
TABS = ("to_book", "booked")


@permission(VIEW)
def booking_list_view(request: HttpRequest) -> HttpResponse:
    """O-41: the orders to book (delivery in three days or less) and the bookings in force."""
    params = list_params(request, "tab", "q", "city", "day", "o")
    tab = params["tab"] if params["tab"] in TABS else "to_book"
    today = timezone.localdate()
    if tab == "booked":
        rows = bookings_listed(
            user=request.user, search=params["q"], city=params["city"],
            day=date_param(params["day"]), order=params["o"] or "day",
        )  # fmt: skip
    else:
        rows = orders_to_book(
            user=request.user, today=today, search=params["q"], city=params["city"],
            order=params["o"] or "day",
        )  # fmt: skip
    context = {"page": page_of(request, rows), "params": params, "tab": tab, "today": today}
    return render(request, "logistics/booking_list.html", context)


@permission(BOOK)
def booking_order_view(request: HttpRequest, pk: int) -> HttpResponse:
    """O-41, O-42: book one order's delivery: a day, or a window when the day is full."""
    order = order_get(user=request.user, pk=pk)
    load = order_load(order)
    form = BookingForm(request.POST or None, initial=booking_initial(order, load))
    if request.method == "POST" and form.is_valid():
        before = order.delivery_bookings.filter(state=IN_FORCE).first()
        try:
            booking = booking_make(actor=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            said = {"when": booking_when(booking), "told_to": booking.told_to}
            if booking_unchanged(booking, before):
                messages.info(request, NOTHING_CHANGED % said)
            else:
                messages.success(request, BOOKED % said)
            return redirect("logistics-order-book", pk=order.pk)
    context = booking_context(order, form, load)
    return render(request, "logistics/booking_order.html", context)


def booking_initial(order: Order, load: Load) -> dict[str, object]:
    """The form starts from the booking in force, else from the first day with room for the
    order from the day agreed (today if that is past), the installation allowing (O-42)."""
    booking = order.delivery_bookings.filter(state=IN_FORCE).first()
    if booking is not None:
        fields = ("first_day", "window_start", "window_end", "told_to", "call_promised",
                  "with_installers", "note")  # fmt: skip
        initial = {name: getattr(booking, name) for name in fields}
        return initial | ({"last_day": booking.last_day} if booking.is_window else {})
    day, today = known.delivery_agreed(order), timezone.localdate()
    start = max(day, today) if day else today
    room = first_day_with_room(load, start, CHART_DAYS, exclude_order=order.pk)
    install_on = known.install_agreed(order) if order.needs_installation else None
    if room is not None and (install_on is None or room <= install_on):
        start = room
    return {"first_day": start, "told_to": known.booked_with(order)}


def booking_context(order: Order, form: BookingForm, load: Load) -> dict[str, object]:
    today = timezone.localdate()
    days = day_loads(today, CHART_DAYS)
    with_order = days_full_with(load, today, CHART_DAYS, exclude_order=order.pk)
    return {
        "order": order, "form": form, "load": load, "days": days,
        "chart": days_chart(days) | {
            # booking.js warns before sending a single day the order would fill.
            "full_with_order": [f"{row.day:%Y-%m-%d}" for row in with_order if row.full],
            "full_warning": str(DAY_FULL_WARNING),
        },
        "delivery_on": known.delivery_agreed(order),
        "install_on": known.install_agreed(order) if order.needs_installation else None,
        "bookings": order.delivery_bookings.select_related("booked_by").order_by("-booked_at"),
    }  # fmt: skip


def booking_when(booking: Booking) -> str:
    if booking.is_window:
        return f"{booking.first_day:%Y-%m-%d} – {booking.last_day:%Y-%m-%d}"
    return f"{booking.first_day:%Y-%m-%d}"


def days_chart(days: list[DayLoad]) -> dict[str, object]:
    """The ECharts data (logistics/booking.js): per day the share of the capacity booked."""
    return {
        "days": [f"{row.day:%m-%d}" for row in days],
        "m2": [row.percent_m2 for row in days],
        "kg": [row.percent_kg for row in days],
        "full": [row.full for row in days],
        "labels": {
            "m2": str(_("Area (m²)")), "kg": str(_("Weight (kg)")),
            "capacity": str(_("The fleet's capacity")),
        },
    }  # fmt: skip


@permission(BOOK)
def booking_count_view(request: HttpRequest) -> HttpResponse:
    """The home page's part: how many orders wait to be booked (O-41)."""
    waiting = orders_to_book(user=request.user, today=timezone.localdate()).count()
    return render(request, "logistics/booking_count.html", {"waiting": waiting})
