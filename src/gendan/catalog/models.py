"""Standard product records (S-1) and the price lists of O-9."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DATES_REVERSED = _("The end date cannot be before the start date.")
NON_NEGATIVE = MinValueValidator(Decimal("0"), message=_("Must not be negative."))


class Category(models.TextChoices):
    FLOORING = "flooring", _("Flooring")
    SKIRTING = "skirting", _("Skirting")
    EDGE_TRIM = "edge_trim", _("Edge trim")
    CLIP = "clip", _("Clip")
    FOAM = "foam", _("Moisture-proof foam")
    PLYWOOD_STRIP = "plywood_strip", _("Plywood strip")
    INSECT_POWDER = "insect_powder", _("Insect powder")
    OTHER = "other", _("Other accessory")


class BoardClass(models.TextChoices):
    WIDE = "wide", _("Wide board")
    NARROW = "narrow", _("Narrow board")
    OTHER = "other", _("Other")


class Grade(models.TextChoices):
    # The grades of the national standard for bamboo flooring.
    PREMIUM = "premium", _("Premium grade")
    FIRST = "first", _("First grade")
    QUALIFIED = "qualified", _("Qualified grade")


class Unit(models.TextChoices):
    SQUARE_METRE = "m2", _("m²")
    PIECE = "piece", _("piece")
    BOX = "box", _("box")
    ROLL = "roll", _("roll")
    BAG = "bag", _("bag")
    METRE = "metre", _("metre")


class Product(models.Model):
    """A standard product record: what buyers buy and what the factory makes (S-1)."""

    sku = models.CharField(_("item number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    variety = models.CharField(_("variety"), max_length=60, blank=True)
    colour_code = models.CharField(_("colour code"), max_length=20, blank=True)
    length_mm = models.PositiveIntegerField(_("length (mm)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    thickness_mm = models.DecimalField(
        _("thickness (mm)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    board_class = models.CharField(
        _("board class"), max_length=10, choices=BoardClass.choices, default=BoardClass.OTHER
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    # How many units one pack holds, e.g. 2.36 (m² a box) or 50 (pieces a bag).
    pack_size = models.DecimalField(
        _("pack size"),
        max_digits=8,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001"), message=_("Must be greater than zero."))],
    )
    # A delivery's load (O-43): the weight of one unit, and the floor area one unit covers
    # when the unit is not m² (a box of boards); empty: the default weight of a board.
    weight_kg = models.DecimalField(
        _("weight per unit (kg)"), max_digits=8, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"), message=_("Must not be negative."))],
    )  # fmt: skip
    area_m2 = models.DecimalField(
        _("area per unit (m²)"), max_digits=8, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"), message=_("Must not be negative."))],
    )  # fmt: skip
    after_sales_terms = models.TextField(_("after-sales terms"), blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)
    # O-58: kept in the warehouse by production batch: reserved when the delivery note is made,
    # picked box by box, shipped as stock moves. Off for goods the warehouse does not keep
    # (made to order, or bought in for one job).
    stocked = models.BooleanField(_("kept in stock by batch"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    @property
    def size(self) -> str:
        """The size as the trade writes it: 960×123×17 mm."""
        parts = [self.length_mm, self.width_mm, self.thickness_mm]
        if not any(parts):
            return ""
        return "×".join(format_dimension(part) for part in parts if part) + " mm"

    @property
    def is_accessory(self) -> bool:
        return self.category != Category.FLOORING


def format_dimension(value: int | Decimal) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if isinstance(value, Decimal) else str(value)


class PriceKind(models.TextChoices):
    """The price kinds of O-9: which price a delivery note carries for which customer."""

    SUPERMARKET_SETTLEMENT = "supermarket_settlement", _("Supermarket settlement price")
    SUPERMARKET_SHELF = "supermarket_shelf", _("Supermarket shelf price")
    DEALER_SETTLEMENT = "dealer_settlement", _("Dealer settlement price")
    DECORATOR_CONTRACT = "decorator_contract", _("Decorator contract price")
    PROJECT = "project", _("Project price")
    GROUP_BUY = "group_buy", _("Group-buy price")
    RETAIL = "retail", _("Retail price")


class PriceList(models.Model):
    """Prices of one kind for a period; for one customer where a contract sets its own."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("price kind"), max_length=30, choices=PriceKind.choices)
    customer = models.ForeignKey(
        "parties.Customer",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="price_lists",
        help_text=_("Leave empty for the general list of this kind."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Leave empty for open-ended.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="price_list_valid_to_after_from",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": DATES_REVERSED})


class PriceListItem(models.Model):
    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="prices"
    )
    price = models.DecimalField(
        _("price (CNY)"), max_digits=12, decimal_places=2, validators=[NON_NEGATIVE]
    )

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        ordering = ["product__sku"]
        constraints = [
            models.UniqueConstraint(fields=["price_list", "product"], name="one_price_per_list"),
            models.CheckConstraint(condition=models.Q(price__gte=0), name="price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product.sku}: {self.price}"
