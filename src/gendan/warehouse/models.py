"""Stock by production batch (O-58): warehouses and their locations, batches, the stock ledger
(moves that are only ever added) with the figures it keeps, reservations, labelled packages,
picking, stock counts.

The figures are kept by the move services in the move's own transaction: a batch's sellable
``on_hand`` and ``reserved`` (available = on_hand − reserved, never below zero: a constraint
holds it), and each location's ``on_hand`` of each batch. ``manage.py stock_recount`` counts
them again from the moves and the reservations.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Grade

POSITIVE = MinValueValidator(Decimal("0.001"), message=_("Must be greater than zero."))
ZERO = Decimal("0")


def quantity_field(verbose_name: object, **kwargs: object) -> models.DecimalField:
    """A quantity in the product's own unit (m², pieces, rolls ...), to three decimals."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=3, **kwargs)


class Warehouse(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Where its trucks leave from (the route planner's depot).
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place in a warehouse (a rack, a bay). Only sellable places count towards what can be
    reserved; returned goods graded second or damaged on inspection are kept apart."""

    class Kind(models.TextChoices):
        SELLABLE = "sellable", _("Sellable")
        SECONDS = "seconds", _("Second grade")
        DAMAGED = "damaged", _("Damaged")

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="locations"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SELLABLE)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["warehouse", "code"]
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "code"], name="one_location_code")
        ]

    def __str__(self) -> str:
        return f"{self.warehouse.code}/{self.code}"


class Batch(models.Model):
    """One production batch of one product: one shade (O-58). A batch announced by production
    and not yet received has nothing on hand and the day it is due."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT,
        related_name="batches",
    )  # fmt: skip
    # The production batch, which is also the shade: one batch, one colour on the floor.
    number = models.CharField(_("batch number"), max_length=40)
    produced_on = models.DateField(_("produced on"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Kept in the transaction of each move and reservation (services): sellable stock over
    # all locations, and how much of it open orders hold.
    on_hand = quantity_field(_("on hand"), default=ZERO, editable=False)
    reserved = quantity_field(_("reserved"), default=ZERO, editable=False)
    first_received_at = models.DateTimeField(
        _("first received"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        ordering = ["product", "produced_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "number"], name="one_batch_number"),
            # Available = on hand - reserved, never below zero; nothing below zero.
            models.CheckConstraint(
                condition=Q(reserved__gte=0) & Q(on_hand__gte=F("reserved")),
                name="batch_never_over_reserved",
            ),
        ]
        indexes = [
            models.Index(fields=["product", "produced_on"]),
            # A product's availability over its hundreds of batches from the index alone
            # (PostgreSQL), not a page of the table per batch (bench/warehouse_reserve.py).
            models.Index(
                fields=["product"], include=["on_hand", "reserved"], name="batch_product_stock"
            ),
            # O-58: a product's batches in the order a whole line chooses one (the least
            # available that covers it, the oldest, the first made), so the choice for each
            # line of an order reads one entry (services/reservations_fast.py).
            models.Index(
                F("product"),
                F("on_hand") - F("reserved"),
                F("produced_on"),
                F("id"),
                name="batch_product_available",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku} {self.number}"

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


class StockLevel(models.Model):
    """What one location holds of one batch, kept with each move."""

    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="levels"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="levels"
    )
    on_hand = quantity_field(_("on hand"), default=ZERO)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["batch", "location"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "location"], name="one_level_per_place"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="level_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} @ {self.location}: {self.on_hand}"


class GoodsReceipt(models.Model):
    """Goods received from production or a supplier, by batch: the warehouse receipt."""

    class Source(models.TextChoices):
        PRODUCTION = "production", _("From production")
        PURCHASE = "purchase", _("From a supplier")

    number = models.CharField(_("receipt number"), max_length=30, unique=True, editable=False)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    supplier = models.CharField(_("supplier"), max_length=100, blank=True)
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="receipts"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class GoodsReceiptLine(models.Model):
    receipt = models.ForeignKey(
        GoodsReceipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="receipt_lines"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = quantity_field(_("quantity"), validators=[POSITIVE])
    # How many boxes, rolls or bags it came in; one label is printed for each.
    packages = models.PositiveIntegerField(_("boxes or rolls"))

    class Meta:
        verbose_name = _("goods receipt line")
        verbose_name_plural = _("goods receipt lines")
        ordering = ["receipt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "position"], name="one_receipt_position")
        ]

    def __str__(self) -> str:
        return f"{self.receipt} {self.position}"


class Package(models.Model):
    """One labelled box, roll or bag of one batch: its label carries ``code`` as a barcode and
    a QR code. A roll of moisture-proof foam carries its length (O-59)."""

    code = models.CharField(_("label code"), max_length=30, unique=True, editable=False)
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="packages"
    )
    receipt_line = models.ForeignKey(
        GoodsReceiptLine, verbose_name=_("received on"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="package_set",
    )  # fmt: skip
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="packages"
    )
    quantity = quantity_field(_("quantity"), validators=[POSITIVE])
    length_m = models.DecimalField(
        _("length (m)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    # Empty while in stock; set when it left (shipped) or was written off.
    gone_at = models.DateTimeField(_("left at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Reservation(models.Model):
    """What of one batch an order holds for one product (O-58: one customer's goods of one
    product from one batch; a second batch only with the customer's agreement)."""

    class State(models.TextChoices):
        # Held for the order: counted in the batch's ``reserved``.
        ACTIVE = "active", _("Reserved")
        # Left with the goods (the ship step signed): no longer held, on hand is less.
        SHIPPED = "shipped", _("Shipped")
        # Let go: the order was cancelled or changed, or its reservation moved.
        RELEASED = "released", _("Released")

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT,
        related_name="reservations",
    )  # fmt: skip
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="reservations"
    )
    quantity = quantity_field(_("quantity"), validators=[POSITIVE])
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    reserved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reserved by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reserved_at = models.DateTimeField(_("reserved at"), default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ended by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(_("why ended"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["order", "product", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "product", "batch"], condition=Q(state="active"),
                name="one_active_reservation_per_batch",
            ),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["batch", "state"]),
            # O-58: what a customer's orders received, found from the orders (one entry an
            # order), not from every shipment of the product (services/reservations_fast.py).
            models.Index(
                fields=["order"], condition=Q(state="shipped"), name="reservation_shipped"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.batch} × {self.quantity}"


class SplitAgreement(models.Model):
    """O-58: the customer agreed that one product of the order may come from more than one
    batch (no single batch had enough); who agreed and when."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT,
        related_name="split_agreements",
    )  # fmt: skip
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    agreed_by = models.CharField(_("agreed by (customer)"), max_length=60)
    agreed_at = models.DateTimeField(_("agreed at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("split agreement")
        verbose_name_plural = _("split agreements")
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="one_split_per_product")
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.product}"


class Substitution(models.Model):
    """O-61: stock short for an urgent self-pickup; the customer chose another product for a
    line (same board class, size and grade in another colour, or the same colour in another
    grade)."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT,
        related_name="substitutions",
    )  # fmt: skip
    original = models.ForeignKey(
        "catalog.Product", verbose_name=_("product asked for"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    substitute = models.ForeignKey(
        "catalog.Product", verbose_name=_("product taken instead"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    chosen_by = models.CharField(_("chosen by (customer)"), max_length=60)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("substitution")
        verbose_name_plural = _("substitutions")
        ordering = ["order", "recorded_at"]

    def __str__(self) -> str:
        return f"{self.order}: {self.original} → {self.substitute}"


class StockCount(models.Model):
    """A stock count of a warehouse (or one location): counted quantities; the differences
    are booked, each with a reason, once a second person approves."""

    class State(models.TextChoices):
        OPEN = "open", _("Counting")
        SUBMITTED = "submitted", _("Waiting for approval")
        BOOKED = "booked", _("Differences booked")
        REJECTED = "rejected", _("Rejected")

    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.PROTECT, related_name="counts"
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    # Who said the counting was done: with the counters of the lines, never the approver.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved or rejected by"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    decision_note = models.CharField(_("why rejected"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.started_at:%Y-%m-%d}"


class StockCountLine(models.Model):
    count = models.ForeignKey(
        StockCount, verbose_name=_("stock count"), on_delete=models.CASCADE, related_name="lines"
    )
    batch = models.ForeignKey(Batch, verbose_name=_("batch"), on_delete=models.PROTECT)
    location = models.ForeignKey(Location, verbose_name=_("location"), on_delete=models.PROTECT)
    expected = quantity_field(_("in the books"))
    counted = quantity_field(_("counted"), null=True, blank=True)
    reason = models.CharField(_("reason for the difference"), max_length=200, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("counted by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        ordering = ["count", "location", "batch"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "batch", "location"], name="one_count_line_per_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.batch}"


class StockMove(models.Model):
    """One movement of goods of one batch, never changed or deleted: the stock ledger.

    Goods come in (``to_location``), go out (``from_location``) or move between the two. Each
    move says who, when, why, and the document behind it.
    """

    class Kind(models.TextChoices):
        RECEIVED_PRODUCTION = "received_production", _("Received from production")
        RECEIVED_PURCHASE = "received_purchase", _("Received from a supplier")
        SHIPPED = "shipped", _("Shipped")
        RETURNED = "returned", _("Returned")
        MOVED = "moved", _("Moved")
        COUNTED = "counted", _("Stock count difference")
        WRITTEN_OFF = "written_off", _("Written off")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    batch = models.ForeignKey(
        Batch, verbose_name=_("batch"), on_delete=models.PROTECT, related_name="moves"
    )
    from_location = models.ForeignKey(
        Location, verbose_name=_("from"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="moves_out",
    )  # fmt: skip
    to_location = models.ForeignKey(
        Location, verbose_name=_("to"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="moves_in",
    )  # fmt: skip
    quantity = quantity_field(_("quantity"), validators=[POSITIVE])
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.CharField(_("why"), max_length=200, blank=True)
    # The paper behind the move, by its number (delivery note, warehouse receipt, return note).
    document = models.CharField(_("document"), max_length=40, blank=True)
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="stock_moves",
    )  # fmt: skip
    goods_return = models.ForeignKey(
        "orders.GoodsReturn", verbose_name=_("return"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="stock_moves",
    )  # fmt: skip
    receipt = models.ForeignKey(
        GoodsReceipt, verbose_name=_("goods receipt"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="moves",
    )  # fmt: skip
    count = models.ForeignKey(
        StockCount, verbose_name=_("stock count"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="moves",
    )  # fmt: skip

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_location__isnull=False) | Q(to_location__isnull=False),
                name="move_has_a_place",
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="move_quantity_positive"),
        ]
        indexes = [
            models.Index(fields=["batch", "at"]),
            models.Index(fields=["order"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.batch} × {self.quantity}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError("stock moves are only ever added, never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("stock moves are only ever added, never deleted")


class Pick(models.Model):
    """One package taken for an order's reservation while preparing it (O-18, O-58)."""

    reservation = models.ForeignKey(
        Reservation, verbose_name=_("reservation"), on_delete=models.PROTECT,
        related_name="picks",
    )  # fmt: skip
    package = models.ForeignKey(
        Package, verbose_name=_("package"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="picks",
    )  # fmt: skip
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = quantity_field(_("quantity"), validators=[POSITIVE])
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("picked by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    picked_at = models.DateTimeField(_("picked at"), default=timezone.now)

    class Meta:
        verbose_name = _("pick")
        verbose_name_plural = _("picks")
        ordering = ["reservation", "picked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.reservation} {self.quantity}"


class PickCheck(models.Model):
    """O-58: the checks of one product of an order before it leaves: a box opened and the
    colour compared, quality, colour code and size."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT,
        related_name="pick_checks",
    )  # fmt: skip
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    colour_compared = models.BooleanField(_("box opened, colour compared"))
    quality_ok = models.BooleanField(_("quality checked"))
    colour_code_ok = models.BooleanField(_("colour code checked"))
    size_ok = models.BooleanField(_("size checked"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("pick check")
        verbose_name_plural = _("pick checks")
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="one_check_per_product")
        ]

    def __str__(self) -> str:
        return f"{self.order} {self.product}"


class LoadingRun(models.Model):
    """One truck's loading for a day, as the published route plan sets it (O-43): the
    warehouse prepares the day's orders truck by truck, at least a day ahead. Written by
    ``services/loading.py`` from whoever plans the routes; the warehouse knows only labels."""

    day = models.DateField(_("day"), db_index=True)
    label = models.CharField(_("truck"), max_length=80)  # e.g. "粤B12345 张三"
    departs_at = models.TimeField(_("departs at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    made_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("loading run")
        verbose_name_plural = _("loading runs")
        ordering = ["day", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.day} {self.label}"


class LoadingRunOrder(models.Model):
    """An order on a truck's loading run, in loading order: the last drop is loaded first."""

    run = models.ForeignKey(
        LoadingRun, verbose_name=_("loading run"), on_delete=models.CASCADE, related_name="orders"
    )
    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT, related_name="+"
    )
    sequence = models.PositiveSmallIntegerField(_("loaded as"))

    class Meta:
        verbose_name = _("order on a loading run")
        verbose_name_plural = _("orders on loading runs")
        ordering = ["run", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["run", "order"], name="one_order_per_loading_run")
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.sequence}"
