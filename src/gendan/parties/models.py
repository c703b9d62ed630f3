"""Customers of every channel, their stores, contacts, addresses and contracts."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.parties.phones import validate_landline, validate_mobile


class CustomerKind(models.TextChoices):
    SUPERMARKET = "supermarket", _("Building-materials supermarket")
    DEALER = "dealer", _("Dealer")
    DECORATOR = "decorator", _("Decoration firm")
    PROJECT = "project", _("Project client")
    HOMEOWNER = "homeowner", _("Homeowner")
    RETAIL = "retail", _("Walk-in retail")
    ONLINE = "online", _("Online customer")
    GROUP_BUY = "group_buy", _("Group buy")


# Customers through whom homeowners come, and to whom partner users belong.
PARTNER_KINDS = (CustomerKind.SUPERMARKET, CustomerKind.DEALER)


VIA_ONLY_HOMEOWNERS = _("Only a homeowner comes through a dealer or supermarket.")
STORE_NOT_VIA = _("The store must belong to the dealer or supermarket the customer came through.")
PLATFORM_MISSING = _("Choose the platform the id belongs to.")
CONTRACT_WRONG_CUSTOMER = _("Contracts are made with project clients and decoration firms.")
PLATFORM_ID_TAKEN = _("Another customer already has this platform id.")
PHONE_MISSING = _("A homeowner needs a mobile or landline number for delivery.")


class Region(models.TextChoices):
    """Sales regions; O-4 gives South-China supermarkets to the key-account manager."""

    SOUTH_CHINA = "south_china", _("South China")
    DONGGUAN = "dongguan", _("Dongguan")
    OTHER = "other", _("Other region")


class Platform(models.TextChoices):
    TMALL = "tmall", _("Tmall")
    TAOBAO = "taobao", _("Taobao")
    JD = "jd", _("JD.com")
    DOUYIN = "douyin", _("Douyin")
    PINDUODUO = "pinduoduo", _("Pinduoduo")
    WECHAT = "wechat", _("WeChat shop")


class AddressFields(models.Model):
    """A mainland address down to the floor; the coordinates are optional (for routing)."""

    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=30)
    district = models.CharField(_("district"), max_length=30, blank=True)
    street = models.CharField(_("street and number"), max_length=120)
    building = models.CharField(_("estate, building, unit"), max_length=120, blank=True)
    floor = models.SmallIntegerField(
        _("floor"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-9, message=_("A floor is between -9 and 200.")),
            MaxValueValidator(200, message=_("A floor is between -9 and 200.")),
        ],
        help_text=_("Negative for basements."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("3"), message=_("Latitude must lie in China (3 to 54).")),
            MaxValueValidator(Decimal("54"), message=_("Latitude must lie in China (3 to 54).")),
        ],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("73"), message=_("Longitude must lie in China (73 to 136).")),
            MaxValueValidator(
                Decimal("136"), message=_("Longitude must lie in China (73 to 136).")
            ),
        ],
    )

    class Meta:
        abstract = True

    @property
    def full_address(self) -> str:
        floor = _("floor %(floor)s") % {"floor": self.floor} if self.floor is not None else ""
        parts = [self.province, self.city, self.district, self.street, self.building, str(floor)]
        return " ".join(part for part in parts if part)


class Gender(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")


class Customer(models.Model):
    """Anyone the company sells to, in any channel."""

    kind = models.CharField(_("channel"), max_length=20, choices=CustomerKind.choices)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, validators=[validate_mobile])
    landline = models.CharField(
        _("landline"), max_length=20, blank=True, validators=[validate_landline]
    )
    # O-43: where there is one, the day-before message is e-mailed as well as told by phone.
    email = models.EmailField(_("e-mail"), blank=True)
    # A homeowner who came through a dealer or a supermarket; that partner's users see them.
    via = models.ForeignKey(
        "self",
        verbose_name=_("came through"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="end_customers",
        limit_choices_to={"kind__in": PARTNER_KINDS},
    )
    via_store = models.ForeignKey(
        "Store",
        verbose_name=_("store"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="end_customers",
    )
    region = models.CharField(
        _("sales region"), max_length=20, choices=Region.choices, default=Region.SOUTH_CHINA
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, blank=True)
    platform_id = models.CharField(_("platform id"), max_length=64, blank=True)
    nickname = models.CharField(_("nickname"), max_length=64, blank=True)
    # What an online platform tells about the person, for the CRM's profiles (E-7).
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    province = models.CharField(_("province"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Set when this customer turned out to be the same person as another (merged by hand).
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="merged", editable=False,
    )  # fmt: skip
    # The sales rep who looks after this customer (a dealer's payment questions go to them, O-6).
    sales_rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sales rep"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="customers_looked_after",
        limit_choices_to={"groups__name": "sales_rep"},
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["kind", "name"]), models.Index(fields=["mobile"])]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "platform_id"],
                condition=~models.Q(platform_id=""),
                name="one_customer_per_platform_id",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.via_id and self.kind != CustomerKind.HOMEOWNER:
            errors["via"] = VIA_ONLY_HOMEOWNERS
        if self.via_store_id and self.via_store.customer_id != self.via_id:
            errors["via_store"] = STORE_NOT_VIA
        if self.platform_id and not self.platform:
            errors["platform"] = PLATFORM_MISSING
        elif self.platform_id and self.platform_id_taken():
            errors["platform_id"] = PLATFORM_ID_TAKEN
        if self.kind == CustomerKind.HOMEOWNER and not (self.mobile or self.landline):
            errors["mobile"] = PHONE_MISSING
        if errors:
            raise ValidationError(errors)

    def platform_id_taken(self) -> bool:
        others = Customer.objects.exclude(pk=self.pk)
        return others.filter(platform=self.platform, platform_id=self.platform_id).exists()

    @property
    def phone(self) -> str:
        return self.mobile or self.landline

    @property
    def is_partner(self) -> bool:
        return self.kind in PARTNER_KINDS


class Store(AddressFields):
    """A supermarket's or a dealer's shop."""

    customer = models.ForeignKey(
        Customer,
        verbose_name=_("belongs to"),
        on_delete=models.CASCADE,
        related_name="stores",
        limit_choices_to={"kind__in": PARTNER_KINDS},
    )
    name = models.CharField(_("store name"), max_length=100)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, validators=[validate_mobile])
    landline = models.CharField(
        _("landline"), max_length=20, blank=True, validators=[validate_landline]
    )

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["customer__name", "name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=60)
    title = models.CharField(_("position"), max_length=60, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True, validators=[validate_mobile])
    landline = models.CharField(
        _("landline"), max_length=20, blank=True, validators=[validate_landline]
    )
    is_primary = models.BooleanField(_("main contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class Address(AddressFields):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="addresses"
    )
    label = models.CharField(_("label"), max_length=40, blank=True)
    is_default = models.BooleanField(_("default address"), default=False)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["-is_default", "pk"]

    def __str__(self) -> str:
        return self.full_address


class Contract(models.Model):
    """A project client's (or decoration firm's) contract, paid in stages (O-48)."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="contracts"
    )
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=120)
    signed_on = models.DateField(_("signed on"))
    amount = models.DecimalField(
        _("contract amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"), message=_("Must not be negative."))],
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def payment_schedule(self) -> list[tuple[PaymentStage, Decimal]]:
        """Each stage with its amount; the last takes the remainder, so the cents add up."""
        stages = list(self.stages.all())
        amounts = [stage.share_of(self.amount) for stage in stages[:-1]]
        if stages:
            amounts.append(self.amount - sum(amounts, Decimal("0")))
        return list(zip(stages, amounts, strict=True))

    def clean(self) -> None:
        kinds = (CustomerKind.PROJECT, CustomerKind.DECORATOR)
        if self.customer_id and self.customer.kind not in kinds:
            raise ValidationError({"customer": CONTRACT_WRONG_CUSTOMER})


class PaymentStage(models.Model):
    """One stage of a contract's payment plan, as a share of the contract amount."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="stages"
    )
    sequence = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("stage"), max_length=60)
    percent = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("A share is between 0.01 and 100.")),
            MaxValueValidator(Decimal("100"), message=_("A share is between 0.01 and 100.")),
        ],
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    is_retention = models.BooleanField(_("warranty retention"), default=False)

    class Meta:
        verbose_name = _("payment stage")
        verbose_name_plural = _("payment stages")
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="one_stage_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.name}"

    def share_of(self, total: Decimal) -> Decimal:
        return (total * self.percent / 100).quantize(Decimal("0.01"))
