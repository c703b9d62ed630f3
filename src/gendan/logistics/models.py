"""Deliveries (O-41 to O-45, O-21 to O-23): trucks and their drivers, the zones of each city,
the customer's booked day or window, the day's route plan with a route per truck and a drop per
booked order, and what happened at each drop.

A plan is made for one day (the evening before, or on demand), changed by moving or pinning
drops and planning again, then published: the warehouse's pick list follows the published plan
and the drivers' phones show their routes. The steps of the order (ship, deliver) stay the one
place an order moves; a drop's delivery signs the deliver step through the transition service.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gendan.logistics.planning.departure import RULE_LATE_SHIFT
from gendan.logistics.planning.texts import text_is, text_shown

NOT_NEGATIVE = MinValueValidator(Decimal("0"), message=_("Must not be negative."))
POSITIVE = MinValueValidator(Decimal("0.001"), message=_("Must be greater than zero."))


def coordinate_field(verbose_name: object) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=9, decimal_places=6, null=True, blank=True)


class ZoneKind(models.TextChoices):
    # O-45: a truck with a drop outside the inner city or out of town leaves by 07:00.
    INNER_CITY = "inner", _("Inner city")
    OUTER = "outer", _("Outside the inner city")
    OUT_OF_TOWN = "out_of_town", _("Out of town")


class DistrictZone(models.Model):
    """One district of a city and its zone. A district of a listed city that is not listed is
    outside the inner city; a city with no district listed is out of town."""

    city = models.CharField(_("city"), max_length=30)
    district = models.CharField(_("district"), max_length=30)
    kind = models.CharField(_("zone"), max_length=12, choices=ZoneKind.choices)

    class Meta:
        verbose_name = _("district zone")
        verbose_name_plural = _("district zones")
        ordering = ["city", "kind", "district"]
        constraints = [
            models.UniqueConstraint(fields=["city", "district"], name="one_zone_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.city}{self.district}"


class Driver(models.Model):
    """A driver (a user with the driver role) and the hours they work."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
        related_name="driver",
    )  # fmt: skip
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    shift_start = models.TimeField(_("works from"), default="07:00")
    shift_end = models.TimeField(_("works until"), default="18:00")
    is_active = models.BooleanField(_("working"), default=True)

    class Meta:
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shift_end__gt=F("shift_start")), name="driver_shift_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.user.display_name


class Truck(models.Model):
    """A truck of the company's fleet, loaded at its home warehouse."""

    plate = models.CharField(_("number plate"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=40, blank=True)
    capacity_m2 = models.DecimalField(
        _("capacity (m² of boards)"), max_digits=8, decimal_places=2, validators=[POSITIVE]
    )
    capacity_kg = models.DecimalField(
        _("capacity (kg)"), max_digits=8, decimal_places=1, validators=[POSITIVE]
    )
    warehouse = models.ForeignKey(
        "warehouse.Warehouse", verbose_name=_("home warehouse"), on_delete=models.PROTECT,
        related_name="trucks",
    )  # fmt: skip
    driver = models.ForeignKey(
        Driver, verbose_name=_("driver"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="trucks",
    )  # fmt: skip
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("truck")
        verbose_name_plural = _("trucks")
        ordering = ["plate"]

    def __str__(self) -> str:
        return f"{self.plate} {self.name}".strip()


class Booking(models.Model):
    """A delivery booked with the customer (O-41): a day, or a window of 3 to 5 days when the
    coming days are full (O-42), with whom it was agreed and whether a call the day before was
    promised. An order has at most one booking in force; a rebooking replaces it."""

    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")  # in force: planned on its day, or in its window
        REPLACED = "replaced", _("Replaced")  # rebooked (a failed drop, another day agreed)
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT,
        related_name="delivery_bookings",
    )  # fmt: skip
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    # O-42: a small order may go with the installers instead of a truck.
    with_installers = models.BooleanField(_("goes with the installers"), default=False)
    # When someone is there to sign and pay (O-43); empty: all day.
    window_start = models.TimeField(_("someone there from"), null=True, blank=True)
    window_end = models.TimeField(_("someone there until"), null=True, blank=True)
    told_to = models.CharField(_("agreed with"), max_length=60)
    call_promised = models.BooleanField(_("call the day before promised"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery booking")
        verbose_name_plural = _("delivery bookings")
        ordering = ["first_day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="booking_window_in_order"
            ),
            models.UniqueConstraint(
                fields=["order"], condition=Q(state="booked"), name="one_booking_in_force"
            ),
        ]
        indexes = [models.Index(fields=["state", "first_day", "last_day"])]

    def __str__(self) -> str:
        if self.first_day == self.last_day:
            return f"{self.order} {self.first_day}"
        return f"{self.order} {self.first_day}–{self.last_day}"

    @property
    def is_window(self) -> bool:
        return self.last_day > self.first_day


class RoutePlan(models.Model):
    """The routes of one day: drafted, changed and planned again, then published."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    day = models.DateField(_("day"), unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Which solver made the routes ("pyvrp", or "fallback" with why in ``message``).
    solver = models.CharField(_("planned by"), max_length=20, blank=True)
    # The planner's notes as texts translated when shown (logistics/planning/texts.py).
    notes = models.JSONField(_("planner's note"), default=list, blank=True)
    seconds = models.DecimalField(
        _("planning time (s)"), max_digits=7, decimal_places=2, default=Decimal("0")
    )
    distance_m = models.PositiveIntegerField(_("distance (m)"), default=0)
    planned_at = models.DateTimeField(_("planned at"), null=True, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("planned by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("route plan")
        verbose_name_plural = _("route plans")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)

    @property
    def message(self) -> str:
        """The planner's notes in the active language."""
        return text_shown(self.notes)


class TruckRoute(models.Model):
    """One truck's route in a plan: its drops in order (``Drop.sequence``)."""

    plan = models.ForeignKey(
        RoutePlan, verbose_name=_("route plan"), on_delete=models.CASCADE, related_name="routes"
    )
    truck = models.ForeignKey(
        Truck, verbose_name=_("truck"), on_delete=models.PROTECT, related_name="routes"
    )
    driver = models.ForeignKey(
        Driver, verbose_name=_("driver"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="routes",
    )  # fmt: skip
    # O-45: by 08:30; by 07:00 with more than three drops or a drop outside the inner city.
    departs_at = models.TimeField(_("departs at"), null=True, blank=True)
    # The rule as a text translated when shown (logistics/planning/texts.py).
    departure_why = models.JSONField(_("why then"), default=dict, blank=True)
    returns_at = models.TimeField(_("back at"), null=True, blank=True)
    load_m2 = models.DecimalField(
        _("load (m²)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    load_kg = models.DecimalField(
        _("load (kg)"), max_digits=9, decimal_places=1, default=Decimal("0")
    )
    distance_m = models.PositiveIntegerField(_("distance (m)"), default=0)

    class Meta:
        verbose_name = _("truck route")
        verbose_name_plural = _("truck routes")
        ordering = ["plan", "truck__plate"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "truck"], name="one_route_per_truck_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.plan.day} {self.truck.plate}"

    @property
    def departure_rule(self) -> str:
        """O-45's rule for the route in the active language."""
        return text_shown(self.departure_why)

    @departure_rule.setter
    def departure_rule(self, value: str) -> None:
        self.departure_why = value

    @property
    def departs_late(self) -> bool:
        """O-45: it leaves after its rule's time (its driver starts later): shown in red."""
        return text_is(self.departure_why, RULE_LATE_SHIFT)


# O-42: why a booking with a window of days is off today's trucks (the plan page lists it apart).
NOT_TODAY = gettext_noop("O-42: its window runs to %(last)s: left for a later day of it.")


class Drop(models.Model):
    """One booked order on a day's plan: on a route at its place in the order, or unplanned
    with the reason (never silently left out). What the driver does there is kept here."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ARRIVED = "arrived", _("Arrived")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    class CoordinatesFrom(models.TextChoices):
        ADDRESS = "address", _("The address")
        DISTRICT = "district", _("The district's centre")
        NONE = "none", _("Unknown")

    plan = models.ForeignKey(
        RoutePlan, verbose_name=_("route plan"), on_delete=models.CASCADE, related_name="drops"
    )
    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.PROTECT, related_name="drops"
    )
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="drops"
    )
    route = models.ForeignKey(
        TruckRoute, verbose_name=_("route"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="drops",
    )  # fmt: skip
    sequence = models.PositiveSmallIntegerField(_("stop"), default=0)
    # Kept on its truck when the plan is made again (moved there by hand, or pinned).
    pinned = models.BooleanField(_("pinned to its truck"), default=False)
    # Why it is on no truck, as a text translated when shown (logistics/planning/texts.py).
    unplanned_why = models.JSONField(_("why not planned"), default=dict, blank=True)
    arrives_at = models.DateTimeField(_("planned arrival"), null=True, blank=True)
    window_start = models.TimeField(_("someone there from"), null=True, blank=True)
    window_end = models.TimeField(_("someone there until"), null=True, blank=True)
    service_minutes = models.PositiveSmallIntegerField(_("time on site (min)"), default=15)
    load_m2 = models.DecimalField(
        _("load (m²)"), max_digits=9, decimal_places=2, default=Decimal("0")
    )
    load_kg = models.DecimalField(
        _("load (kg)"), max_digits=9, decimal_places=1, default=Decimal("0")
    )
    latitude = coordinate_field(_("latitude"))
    longitude = coordinate_field(_("longitude"))
    coordinates_from = models.CharField(
        _("coordinates from"), max_length=10, choices=CoordinatesFrom.choices,
        default=CoordinatesFrom.NONE,
    )  # fmt: skip
    zone = models.CharField(_("zone"), max_length=12, choices=ZoneKind.choices, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    done_at = models.DateTimeField(_("delivered or failed at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    received_by = models.CharField(_("received by"), max_length=60, blank=True)
    signature = models.FileField(
        _("customer's signature"), upload_to="logistics/signatures/%Y/%m/", blank=True
    )
    photo = models.FileField(_("photo"), upload_to="logistics/photos/%Y/%m/", blank=True)
    receiving_document = models.CharField(
        _("supermarket's receiving document"), max_length=60, blank=True
    )
    collected = models.DecimalField(
        _("collected (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[NOT_NEGATIVE],
    )  # fmt: skip
    # O-22: what was to collect when it was delivered (the driver's sheet compares the cash
    # with it; the order's outstanding changes once finance receives the cash).
    to_collect = models.DecimalField(
        _("to collect (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # O-43: the call the day before: the approximate arrival, the amount due, who told whom.
    told_at = models.DateTimeField(_("told at"), null=True, blank=True)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("told by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    told_to = models.CharField(_("told"), max_length=60, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("drop")
        verbose_name_plural = _("drops")
        ordering = ["plan", "route", "sequence", "pk"]
        # O-43: the clerk tells the customers the day before, without planning the routes.
        permissions = [("tell_customer", _("Can mark customers told the day before"))]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="one_drop_per_order_a_day"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=3, latitude__lte=54, longitude__gte=73, longitude__lte=136),
                name="drop_coordinates_in_china",
            ),
        ]
        indexes = [models.Index(fields=["route", "sequence"])]

    def __str__(self) -> str:
        return f"{self.plan.day} {self.order}"

    @property
    def unplanned_reason(self) -> str:
        """Why it is on no truck, in the active language."""
        return text_shown(self.unplanned_why)

    @unplanned_reason.setter
    def unplanned_reason(self, value: str) -> None:
        self.unplanned_why = value

    @property
    def held(self) -> bool:
        """O-42: off the trucks for a later day of its window (not for want of room)."""
        return text_is(self.unplanned_why, NOT_TODAY)


SHARE_AT_LEAST_HALF = [
    MinValueValidator(Decimal("0.5"), message=_("O-44: the side at fault pays at least 50%.")),
    MaxValueValidator(Decimal("1"), message=_("A share is at most 100%.")),
]


class Fault(models.TextChoices):
    # O-44: whose fault a failed delivery was; that side pays at least half the redelivery.
    CUSTOMER = "customer", _("The customer")
    DEALER = "dealer", _("The dealer")
    COMPANY = "company", _("The company")


class FailedDelivery(models.Model):
    """A drop the driver could not deliver (O-44), reported from the road, and what followed:
    the goods back in stock, the customer told at once, the drop rebooked, the redelivery's
    freight charged at least half to the side at fault."""

    class Reason(models.TextChoices):
        NOBODY_THERE = "nobody_there", _("Nobody there to receive")
        REFUSED = "refused", _("The customer refused the goods")
        NOT_PAID = "not_paid", _("The customer could not pay")
        SITE_NOT_READY = "site_not_ready", _("The site was not ready")
        WRONG_GOODS = "wrong_goods", _("Wrong or damaged goods")
        NO_ACCESS = "no_access", _("No access for the truck")
        TRUCK = "truck", _("The truck broke down or ran late")
        OTHER = "other", _("Other")

    drop = models.OneToOneField(
        Drop, verbose_name=_("drop"), on_delete=models.PROTECT, related_name="failure"
    )
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT,
        related_name="failed_deliveries",
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.CharField(_("what happened"), max_length=300, blank=True)
    fault = models.CharField(_("whose fault"), max_length=10, choices=Fault.choices)
    photo = models.FileField(_("photo"), upload_to="logistics/failures/%Y/%m/", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)
    # The goods back in the warehouse, into the batches they left from.
    goods_back_at = models.DateTimeField(_("goods back at"), null=True, blank=True)
    goods_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked back in by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # The customer told at once.
    customer_told_at = models.DateTimeField(_("customer told at"), null=True, blank=True)
    customer_told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("customer told by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    customer_told_to = models.CharField(_("told to"), max_length=60, blank=True)
    rebooking = models.ForeignKey(
        Booking, verbose_name=_("rebooked as"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    # The redelivery's freight and the share the side at fault pays (at least half).
    freight = models.DecimalField(
        _("redelivery freight (CNY)"), max_digits=10, decimal_places=2, null=True, blank=True,
        validators=[NOT_NEGATIVE],
    )  # fmt: skip
    fault_share = models.DecimalField(
        _("share paid by the side at fault"), max_digits=4, decimal_places=2, null=True,
        blank=True, validators=SHARE_AT_LEAST_HALF,
    )  # fmt: skip
    charged_at = models.DateTimeField(_("freight charged at"), null=True, blank=True)
    charged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("freight charged by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    charge_reference = models.CharField(_("charged as"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("failed delivery")
        verbose_name_plural = _("failed deliveries")
        ordering = ["-reported_at"]
        # O-44: finance charges the redelivery's freight to the side at fault.
        permissions = [("charge_freight", _("Can charge a failed delivery's redelivery freight"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(fault_share__isnull=True) | Q(fault_share__gte=Decimal("0.5")),
                name="fault_pays_at_least_half",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.reported_at:%Y-%m-%d}"


class Carrier(models.Model):
    """An outside carrier (物流公司) logistics books where the company's trucks do not go (O-23)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    contact = models.CharField(_("contact"), max_length=60, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CarrierStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")  # the carrier is booked; the goods are still with us
    PICKED_UP = "picked_up", _("Picked up")  # the carrier has the goods
    IN_TRANSIT = "in_transit", _("In transit")
    # The carrier says so; what counts is the customer's signed original (O-21).
    DELIVERED = "delivered", _("Delivered")
    PROBLEM = "problem", _("Problem")  # late, damaged, refused: the note says what


THREE_PAPERS_IN = Q(
    signed_original_at__isnull=False, our_note_at__isnull=False, carrier_waybill_at__isnull=False
)


class CarrierShipment(models.Model):
    """One order sent with an outside carrier (O-23): booked by logistics, followed through its
    status changes, and the three papers that come back (the customer-signed original, our
    delivery note, the carrier's waybill), against which finance pays the freight."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT,
        related_name="carrier_shipments",
    )  # fmt: skip
    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="shipments"
    )
    waybill = models.CharField(_("waybill number"), max_length=40)
    freight = models.DecimalField(
        _("freight (CNY)"), max_digits=10, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CarrierStatus.choices, default=CarrierStatus.BOOKED
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)
    # The three papers the carrier brings back (O-23), each with who took it in and when.
    signed_original_at = models.DateTimeField(
        _("signed original received at"), null=True, blank=True
    )
    signed_original_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed original received by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # O-21: who signed the original, and a supermarket's own receiving document.
    original_signed_by = models.CharField(_("received and signed by"), max_length=60, blank=True)
    receiving_document = models.CharField(
        _("supermarket's receiving document"), max_length=60, blank=True
    )
    our_note_at = models.DateTimeField(_("our delivery note received at"), null=True, blank=True)
    our_note_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("our delivery note received by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    carrier_waybill_at = models.DateTimeField(
        _("carrier's waybill received at"), null=True, blank=True
    )
    carrier_waybill_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("carrier's waybill received by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    freight_paid_at = models.DateTimeField(_("freight paid at"), null=True, blank=True)
    freight_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("freight paid by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    freight_reference = models.CharField(_("paid as"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("carrier shipment")
        verbose_name_plural = _("carrier shipments")
        ordering = ["-booked_at", "-pk"]
        permissions = [("pay_freight", _("Can pay a carrier's freight"))]
        constraints = [
            models.UniqueConstraint(fields=["carrier", "waybill"], name="one_waybill_per_carrier"),
            # An order is with one carrier at a time; after a problem it may be booked again.
            models.UniqueConstraint(
                fields=["order"],
                condition=~Q(status="problem"),
                name="one_carrier_shipment_per_order",
            ),
            # O-23: no freight paid without the three papers.
            models.CheckConstraint(
                condition=Q(freight_paid_at__isnull=True) | THREE_PAPERS_IN,
                name="freight_paid_against_three_papers",
            ),
        ]
        indexes = [models.Index(fields=["status", "freight_paid_at"])]

    def __str__(self) -> str:
        return f"{self.carrier} {self.waybill}"


class CarrierStatusChange(models.Model):
    """One change of a carrier shipment's status: who, when, what they were told. Never
    changed or deleted: the shipment's history."""

    shipment = models.ForeignKey(
        CarrierShipment, verbose_name=_("carrier shipment"), on_delete=models.PROTECT,
        related_name="changes",
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=12, choices=CarrierStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("carrier status change")
        verbose_name_plural = _("carrier status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.shipment} {self.status}"
