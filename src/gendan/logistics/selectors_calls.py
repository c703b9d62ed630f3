"""The call list of a day (O-43, O-42): every drop of the day's plan in route order, with the
person to tell, the approximate arrival window, the amount due and the message to read out or
send; the drops not on a truck; and the bookings promised a call that are not on the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from gendan.core.formatting import money_text
from gendan.logistics.collect import amount_to_collect
from gendan.logistics.models import Booking, Drop, RoutePlan
from gendan.logistics.readiness import drop_readiness, orders_readiness
from gendan.orders.models import Order
from gendan.parties.models import Customer

QUARTER = 15  # minutes: the window told is widened to whole quarter hours
ON_A_TRUCK = Q(route__isnull=False)


@dataclass
class CallRow:
    """One drop as the caller sees it."""

    drop: Drop
    name: str
    phone: str
    email: str
    window: tuple[dt.datetime, dt.datetime] | None  # local times; None: no arrival planned
    amount: Decimal  # O-43: what the driver collects (collect.py), 0 when nothing is due
    driver_phone: str
    promised: bool  # O-42: the booking promised a call the day before
    message: str = ""
    # O-18, O-19: why the goods may not leave yet; promise no time until none is left.
    reasons: list[str] = field(default_factory=list)


def call_plan(day: dt.date) -> RoutePlan | None:
    return RoutePlan.objects.filter(day=day).first()


def call_drops(plan: RoutePlan | None) -> QuerySet[Drop]:
    """The plan's drops, those on a truck first, each truck's in the order it drives them."""
    if plan is None:
        return Drop.objects.none()
    return plan.drops.select_related(
        "order__customer", "order__end_customer", "booking", "told_by",
        "route__truck__driver", "route__driver",
    ).order_by("route__truck__plate", "sequence", "pk")  # fmt: skip


def call_person(order: Order) -> Customer:
    """Who receives the goods: the homeowner of a dealer's or supermarket's order, else the
    customer."""
    return order.end_customer or order.customer


def call_contact(order: Order) -> tuple[str, str]:
    """The name and phone to call: the order's contact, else the person receiving the goods."""
    person = call_person(order)
    return order.contact_name or person.name, order.contact_phone or person.phone


def call_window(arrives_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """O-43's "approximate arrival": from a while before the planned arrival to a while after
    (settings.GENDAN_CALL_WINDOW_MINUTES), widened to the quarter hour."""
    before, after = settings.GENDAN_CALL_WINDOW_MINUTES
    arrival = timezone.localtime(arrives_at).replace(second=0, microsecond=0)
    start = arrival - dt.timedelta(minutes=before)
    start -= dt.timedelta(minutes=start.minute % QUARTER)
    end = arrival + dt.timedelta(minutes=after)
    end += dt.timedelta(minutes=-end.minute % QUARTER)
    return start, end


def call_row(drop: Drop, reasons: list[str] | None = None) -> CallRow:
    """The drop as a call row; ``reasons`` read for many drops at once, else for this one."""
    order, route = drop.order, drop.route
    (name, phone), driver = call_contact(order), route and (route.driver or route.truck.driver)
    row = CallRow(
        drop=drop, name=name, phone=phone, email=call_person(order).email,
        window=call_window(drop.arrives_at) if drop.arrives_at else None,
        amount=amount_to_collect(order), driver_phone=(driver.phone if driver else ""),
        promised=drop.booking.call_promised,
        reasons=drop_readiness(order) if reasons is None else reasons,
    )  # fmt: skip
    row.message = call_message(row, drop.plan.day)
    return row


def call_rows(plan: RoutePlan | None, *, q: str = "", untold: bool = False) -> list[CallRow]:
    """The drops on a truck as call rows; ``q`` finds a name, phone or order number."""
    drops = call_drops(plan).filter(ON_A_TRUCK)
    if untold:
        drops = drops.filter(told_at__isnull=True)
    if q:
        drops = drops.filter(
            Q(order__number__icontains=q) | Q(order__contact_name__icontains=q)
            | Q(order__contact_phone__icontains=q) | Q(order__customer__name__icontains=q)
            | Q(order__end_customer__name__icontains=q)
        )  # fmt: skip
    drops = list(drops)
    reasons = orders_readiness(drop.order for drop in drops)
    return [call_row(drop, reasons[drop.order_id]) for drop in drops]


def call_progress(plan: RoutePlan | None) -> tuple[int, int]:
    """How many of the drops on a truck were told, of how many."""
    drops = call_drops(plan).filter(ON_A_TRUCK)
    return drops.filter(told_at__isnull=False).count(), drops.count()


def call_unplanned(plan: RoutePlan | None) -> list[tuple[Drop, str, str]]:
    """Drops of the day not on a truck, with the name and phone to call: the customer is told
    the new day instead."""
    return [
        (drop, *call_contact(drop.order)) for drop in call_drops(plan).filter(route__isnull=True)
    ]


def call_promised_elsewhere(day: dt.date, plan: RoutePlan | None) -> QuerySet[Booking]:
    """O-42: bookings in force that promised a call the day before, whose day or window covers
    ``day``, but that have no drop on the day's plan (or there is no plan yet). Call them with
    ``call_contact(booking.order)``."""
    bookings = Booking.objects.filter(
        state=Booking.State.BOOKED, call_promised=True, first_day__lte=day, last_day__gte=day
    ).select_related("order__customer", "order__end_customer")
    if plan is not None:
        bookings = bookings.exclude(drops__plan=plan)
    return bookings.order_by("order__number")


def call_message(row: CallRow, day: dt.date) -> str:
    """The message in the customer's language (the documents' language, Chinese): the
    company, the day, the window, the amount or that none is due, the driver's phone."""
    with translation.override(settings.GENDAN_DOCUMENT_LANGUAGE):
        context = {
            "name": row.name, "company": settings.GENDAN_COMPANY["name"],
            "day": date_format(day, "MONTH_DAY_FORMAT"), "weekday": date_format(day, "l"),
            "start": row.window and f"{row.window[0]:%H:%M}",
            "end": row.window and f"{row.window[1]:%H:%M}",
            "amount": money_text(row.amount) if row.amount > 0 else "",
            "driver_phone": row.driver_phone, "company_phone": settings.GENDAN_COMPANY["phone"],
        }  # fmt: skip
        return render_to_string("logistics/call_message.txt", context).strip()
