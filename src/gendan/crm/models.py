"""What customers do (events) and the figures kept per customer from them (E-1 to E-3)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    FAVOURITE_SHOP = "favourite_shop", _("Favourited the shop")
    FAVOURITE_ITEM = "favourite_item", _("Favourited an item")
    ADD_TO_CART = "add_to_cart", _("Added to cart")
    QR_SCAN = "qr_scan", _("Scanned a QR code")
    CARD_CLAIMED = "card_claimed", _("Claimed a member card")
    ORDER_PAID = "order_paid", _("Paid an order")
    REFUND = "refund", _("Refund")


# E-1: interest is a favourite (shop or item) or an add-to-cart.
INTEREST_KINDS = frozenset(
    {EventKind.FAVOURITE_SHOP, EventKind.FAVOURITE_ITEM, EventKind.ADD_TO_CART}
)


class Event(models.Model):
    """One thing a customer did, from the online shop or the order process. Never changed."""

    # No index of its own: the (customer, at) index below answers every lookup by customer,
    # and each index more costs every insert (a million-customer shop takes millions a day).
    # No foreign key in the database either: its check of each event at commit took five
    # seconds a million. Events get their customer from gendan only (found or created in the
    # same transaction), and a customer with events is protected from deletion by Django.
    customer = models.ForeignKey(
        "parties.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
        db_constraint=False,
    )
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    item = models.CharField(_("item"), max_length=64, blank=True)
    # The product category of the item bought, for RFM per category (E-8); blank if unknown.
    category = models.CharField(_("category"), max_length=20, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    source = models.CharField(_("source"), max_length=40, blank=True)
    # The platform's id of the event (order number, ...): the same id never counts twice.
    external_id = models.CharField(_("external id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("customer event")
        verbose_name_plural = _("customer events")
        # Merging the same person's records moves shop data: for the roles that own it.
        permissions = [("merge_customers", _("Can merge the same person's customer records"))]
        indexes = [
            models.Index(fields=["customer", "at"]),
            models.Index(fields=["kind", "at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "external_id"],
                condition=~models.Q(external_id=""),
                name="one_event_per_external_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.at:%Y-%m-%d}"


class Figures(models.Model):
    """A customer's figures, kept current in the transaction of each event (rebuildable).

    One index besides the key (last seen, for the lists' order): every event changes these
    dates, and each index on one of them is written again at each change. The dashboard reads
    day counts; tags and other filters scan the figures (under 200 MB for a million).
    """

    customer = models.OneToOneField(
        "parties.Customer", verbose_name=_("customer"), primary_key=True,
        on_delete=models.CASCADE, related_name="figures",
    )  # fmt: skip
    first_seen_at = models.DateTimeField(_("first seen"), null=True, blank=True)
    # The one date indexed: the lists the dashboard opens show the most recently seen first.
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    first_purchase_at = models.DateTimeField(_("first purchase"), null=True, blank=True)
    last_purchase_at = models.DateTimeField(_("last purchase"), null=True, blank=True)
    purchase_count = models.PositiveIntegerField(_("purchases"), default=0)
    purchase_amount = models.DecimalField(
        _("purchase amount (CNY)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    items_bought = models.PositiveIntegerField(_("items bought"), default=0)
    # Purchases since the RFM period's start (FiguresState.period_start), for E-8's F and M.
    period_count = models.PositiveIntegerField(_("purchases in the RFM period"), default=0)
    period_amount = models.DecimalField(
        _("amount in the RFM period (CNY)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    refund_amount = models.DecimalField(
        _("refunds (CNY)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    first_interest_at = models.DateTimeField(_("first interest"), null=True, blank=True)
    last_interest_at = models.DateTimeField(_("last interest"), null=True, blank=True)
    card_claimed_at = models.DateTimeField(_("member card claimed"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer figures")
        verbose_name_plural = _("customer figures")

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.purchase_count} / {self.purchase_amount}"


class CategoryFigures(models.Model):
    """A customer's purchases of one product category (E-8: RFM with ranges per category)."""

    # Indexed by the unique (customer, category) below, and by nothing that changes (see
    # Figures): a category's RFM scans its rows.
    customer = models.ForeignKey(
        "parties.Customer", verbose_name=_("customer"), on_delete=models.CASCADE,
        related_name="category_figures", db_index=False,
    )  # fmt: skip
    category = models.CharField(_("category"), max_length=20)
    last_purchase_at = models.DateTimeField(_("last purchase"))
    purchase_count = models.PositiveIntegerField(_("purchases"), default=0)
    purchase_amount = models.DecimalField(
        _("purchase amount (CNY)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )
    period_count = models.PositiveIntegerField(_("purchases in the RFM period"), default=0)
    period_amount = models.DecimalField(
        _("amount in the RFM period (CNY)"), max_digits=16, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("customer figures per category")
        verbose_name_plural = _("customer figures per category")
        constraints = [
            models.UniqueConstraint(fields=["customer", "category"], name="one_row_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}/{self.category}: {self.purchase_count}"


class DayCount(models.Model):
    """How many customers have a figure's date on a day: the dashboard reads these, not the
    million rows of figures (E-1, E-2). Kept by the same transaction as the figures."""

    measure = models.CharField(_("measure"), max_length=20)
    day = models.DateField(_("day"))
    customers = models.IntegerField(_("customers"), default=0)

    class Meta:
        verbose_name = _("customers per day")
        verbose_name_plural = _("customers per day")
        constraints = [
            models.UniqueConstraint(fields=["measure", "day"], name="one_count_per_measure_day")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.day}: {self.customers}"


class FiguresState(models.Model):
    """One row: where the RFM period starts now. It moves forward a day at a time; purchases
    that fall out of the period are taken off the figures then (E-8)."""

    period_start = models.DateTimeField(_("RFM period starts"))
    # The time zone whose days the day counts use (settings.TIME_ZONE, written by each roll):
    # PostgreSQL's trigger that keeps the figures reads it from here.
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")

    class Meta:
        verbose_name = _("figures state")
        verbose_name_plural = _("figures state")

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d}"


def rfm_default_recency() -> list[int]:
    return [30, 90, 180, 365]


def rfm_default_frequency() -> list[int]:
    return [2, 3, 5, 10]


def rfm_default_monetary() -> list[str]:
    return ["200", "500", "1000", "3000"]


class RfmTemplate(models.Model):
    """E-8: the ranges that score recency, frequency and money from 1 to 5, and the days that
    make a buyer active, sleeping or lost. Category blank: the default template, over all
    purchases; a category's template scores the purchases of that category only."""

    category = models.CharField(_("category"), max_length=20, blank=True, unique=True)
    # R5 = bought within recency[0] days, R4 within recency[1], ... R1 = longer ago.
    recency = models.JSONField(_("recency ranges (days)"), default=rfm_default_recency)
    # F2 = at least frequency[0] purchases in the period, ... F5 = at least frequency[3].
    frequency = models.JSONField(_("frequency ranges (purchases)"), default=rfm_default_frequency)
    # M2 = at least monetary[0] yuan in the period, ... M5 = at least monetary[3].
    monetary = models.JSONField(_("monetary ranges (CNY)"), default=rfm_default_monetary)
    active_days = models.PositiveIntegerField(_("active if bought within (days)"), default=180)
    lost_days = models.PositiveIntegerField(_("lost if not bought for (days)"), default=365)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("RFM template")
        verbose_name_plural = _("RFM templates")
        ordering = ["category"]

    def __str__(self) -> str:
        return self.category or "default"


class Care(models.Model):
    """What shop staff set by hand on a customer (E-3, E-5); events never change it."""

    customer = models.OneToOneField(
        "parties.Customer", verbose_name=_("customer"), primary_key=True,
        on_delete=models.CASCADE, related_name="care",
    )  # fmt: skip
    # E-3: a wrong source corrected by hand (e.g. "weibo_campaign"); reports follow it.
    source = models.CharField(_("corrected source"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    # E-5: this person gets no discounts (or is given one) individually.
    no_discount = models.BooleanField(_("excluded from discounts"), default=False)

    class Meta:
        verbose_name = _("customer care")
        verbose_name_plural = _("customer care")

    def __str__(self) -> str:
        return str(self.customer_id)


TAG_LIMIT = 100  # E-4: at most 100 tags per shop


class Tag(models.Model):
    """E-4: a manual tag (people added by hand) or an automatic one (a rule on the figures)."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    # {"all": [...]} or {"any": [...]} of conditions and nested groups; empty for manual tags.
    rule = models.JSONField(_("rule"), default=dict, blank=True)
    # How many people it held when last counted (an automatic tag's people are its rule, read
    # from the figures whenever it is used; this count is for the list of tags).
    people = models.PositiveIntegerField(_("customers"), default=0)
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_automatic(self) -> bool:
        return bool(self.rule)


class TagMember(models.Model):
    """Someone put in a manual tag by hand (automatic tags hold no rows: their rule decides)."""

    tag = models.ForeignKey(
        Tag, verbose_name=_("tag"), on_delete=models.CASCADE, related_name="members"
    )
    customer = models.ForeignKey(
        "parties.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        related_name="tags",
    )

    class Meta:
        verbose_name = _("tag member")
        verbose_name_plural = _("tag members")
        constraints = [models.UniqueConstraint(fields=["tag", "customer"], name="once_per_tag")]

    def __str__(self) -> str:
        return f"{self.tag_id}:{self.customer_id}"


class Group(models.Model):
    """E-6: a group of customers beside the tags (no rules, no limit); tags are the main tool."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer group")
        verbose_name_plural = _("customer groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(
        Group, verbose_name=_("customer group"), on_delete=models.CASCADE, related_name="members"
    )
    customer = models.ForeignKey(
        "parties.Customer", verbose_name=_("customer"), on_delete=models.CASCADE,
        related_name="crm_groups",
    )  # fmt: skip

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [models.UniqueConstraint(fields=["group", "customer"], name="once_per_group")]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.customer_id}"


class ItemDay(models.Model):
    """E-12: how many times an item was added to a cart on a day (kept with the events)."""

    item = models.CharField(_("item"), max_length=64)
    day = models.DateField(_("day"))
    carts = models.IntegerField(_("added to cart"), default=0)

    class Meta:
        verbose_name = _("item per day")
        verbose_name_plural = _("items per day")
        constraints = [models.UniqueConstraint(fields=["item", "day"], name="one_row_per_item_day")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.item} {self.day}: {self.carts}"


def loyal_rule_default() -> dict:
    return {"all": [{"field": "purchase_count", "op": ">", "value": 10}]}


class CareRule(models.Model):
    """E-13: who counts as a loyal customer (one row; a rule like an automatic tag's)."""

    rule = models.JSONField(_("rule"), default=loyal_rule_default)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("loyal customer rule")
        verbose_name_plural = _("loyal customer rules")

    def __str__(self) -> str:
        return str(self.rule)


class ContactKind(models.TextChoices):
    CALL = "call", _("Phone call")
    MESSAGE = "message", _("Message")
    PACKAGE = "package", _("Surprise packaging")
    SAMPLE = "sample", _("Samples before a launch")


class CareContact(models.Model):
    """E-13: care given to a customer: a call, a message, a surprise package, samples."""

    customer = models.ForeignKey(
        "parties.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
        related_name="care_contacts",
    )  # fmt: skip
    kind = models.CharField(_("contact"), max_length=10, choices=ContactKind.choices)
    at = models.DateTimeField(_("time"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("care contact")
        verbose_name_plural = _("care contacts")
        ordering = ["-at"]
        indexes = [models.Index(fields=["customer", "at"])]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.kind} {self.at:%Y-%m-%d}"
