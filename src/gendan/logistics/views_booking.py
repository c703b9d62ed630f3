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
from gendan.logistics.loads import order_load
from gendan.logistics.models import Booking
from gendan.logistics.selectors_booking import (
    IN_FORCE,
    DayLoad,
    bookings_listed,
    day_loads,
    orders_to_book,
)
from gendan.logistics.services.booking import booking_make
from gendan.orders import known
from gendan.orders.models import Order
from gendan.orders.selectors import order_get

VIEW, BOOK = "logistics.view_booking", "logistics.add_booking"
CHART_DAYS = 14
BOOKED = _("Delivery booked: %(when)s, agreed with %(told_to)s.")
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
    form = BookingForm(request.POST or None, initial=booking_initial(order))
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_make(actor=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, BOOKED % {"when": booking_when(booking),
                                                "told_to": booking.told_to})  # fmt: skip
            return redirect("logistics-order-book", pk=order.pk)
    return render(request, "logistics/booking_order.html", booking_context(order, form))


def booking_initial(order: Order) -> dict[str, object]:
    """The form starts from the booking in force, else the day agreed (if not past)."""
    booking = order.delivery_bookings.filter(state=IN_FORCE).first()
    if booking is not None:
        fields = ("first_day", "window_start", "window_end", "told_to", "call_promised",
                  "with_installers", "note")  # fmt: skip
        initial = {name: getattr(booking, name) for name in fields}
        return initial | ({"last_day": booking.last_day} if booking.is_window else {})
    day = known.delivery_agreed(order)
    today = timezone.localdate()
    return {"first_day": day if day and day >= today else None, "told_to": known.booked_with(order)}


def booking_context(order: Order, form: BookingForm) -> dict[str, object]:
    days = day_loads(timezone.localdate(), CHART_DAYS)
    return {
        "order": order, "form": form, "load": order_load(order), "days": days,
        "chart": days_chart(days),
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
