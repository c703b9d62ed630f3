"""Orders, their lines, the daily order log and the signed log of every step."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Cast, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Unit
from gendan.parties.models import AddressFields, CustomerKind

POSITIVE = MinValueValidator(Decimal("0.001"), message=_("Must be greater than zero."))
NOT_NEGATIVE = MinValueValidator(Decimal("0"), message=_("Must not be negative."))


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD = "card", _("Card")
    CHEQUE = "cheque", _("Cheque")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    CREDIT = "credit", _("Credit")


class PaymentTerms(models.TextChoices):
    """When the goods are paid for (O-47 to O-57)."""

    PREPAY = "prepay", _("Paid before dispatch")
    ON_DELIVERY = "on_delivery", _("Customer pays on delivery")
    CONTRACT = "contract", _("Per contract or standing agreement")
    CARRIER_COLLECTS = "carrier_collects", _("Carrier collects on delivery")


def day_counter() -> Cast:
    """The counter of an order number ``YYYYMMDD-NNN`` as a number, so -1000 sorts after -999."""
    return Cast(Substr("number", 10), models.PositiveIntegerField())


class DailyCounter(models.Model):
    """The last number given in the order log of one day (O-2)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Order(AddressFields):
    """One order as it travels its route, from registration to close-out."""

    number = models.CharField(_("order number"), max_length=20, unique=True, editable=False)
    log_day = models.DateField(_("log day"), editable=False, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=CustomerKind.choices)
    customer = models.ForeignKey(
        "parties.Customer",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # The homeowner an order through a dealer or supermarket is for.
    end_customer = models.ForeignKey(
        "parties.Customer",
        verbose_name=_("end customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="end_orders",
    )
    # The dealer or supermarket whose users may see this order (None: the company's own).
    partner = models.ForeignKey(
        "parties.Customer",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_orders",
        editable=False,
    )
    # O-48: a project's (or decoration firm's) order under its contract, paid in stages.
    contract = models.ForeignKey(
        "parties.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
    )
    route = models.CharField(_("route"), max_length=40, editable=False)
    step = models.CharField(_("current step"), max_length=40, editable=False, db_index=True)
    step_since = models.DateTimeField(_("waiting since"), default=timezone.now, editable=False)
    needs_installation = models.BooleanField(_("installation needed"), default=False)
    self_pickup = models.BooleanField(_("self-pickup"), default=False)
    is_special = models.BooleanField(_("special order"), default=False)
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    payment_terms = models.CharField(
        _("payment terms"), max_length=20, choices=PaymentTerms.choices, blank=True
    )
    payment_due = models.DateField(_("agreed payment date"), null=True, blank=True)
    expected_delivery_on = models.DateField(_("expected delivery"), null=True, blank=True)
    expected_install_on = models.DateField(_("expected installation"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    other_requests = models.TextField(_("other requests"), blank=True)
    original_document = models.FileField(
        _("original document"), upload_to="orders/originals/%Y/%m/", blank=True
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    receipt_confirmed_to = models.CharField(_("receipt confirmed to"), max_length=60, blank=True)
    receipt_confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    # Cancelled (services/cancel.py): by whom, when and why; after finance has signed, asked
    # for first by the clerk and decided by the sales supervisor.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True, editable=False)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cancelled by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", editable=False,
    )  # fmt: skip
    cancel_reason = models.CharField(
        _("reason for cancelling"), max_length=200, blank=True, editable=False
    )
    cancel_requested_at = models.DateTimeField(
        _("cancellation asked for at"), null=True, blank=True, editable=False
    )
    cancel_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cancellation asked for by"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+", editable=False,
    )  # fmt: skip
    cancel_request_reason = models.CharField(
        _("reason given for cancelling"), max_length=200, blank=True, editable=False
    )
    # Kept by the services under the order's lock: the sum of the lines, and of the goods
    # payments received. The guards of finance read them on every step they sign.
    total = models.DecimalField(
        _("total (CNY)"), max_digits=14, decimal_places=2, default=Decimal("0"), editable=False
    )
    paid = models.DecimalField(
        _("paid (CNY)"), max_digits=14, decimal_places=2, default=Decimal("0"), editable=False
    )
    # O-11: the profit note's total (each line at the dealer's price to its homeowner), kept
    # with ``total`` when every line has that price; empty otherwise.
    profit_note_total = models.DecimalField(
        _("profit-note total (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True,
        editable=False,
    )  # fmt: skip
    # O-53: what the homeowner paid the dealer, and whether by card.
    dealer_deposit = models.DecimalField(
        _("deposit the customer paid the dealer (CNY)"), max_digits=14, decimal_places=2,
        default=Decimal("0"), validators=[NOT_NEGATIVE],
    )  # fmt: skip
    paid_to_dealer_by_card = models.BooleanField(
        _("customer paid the dealer by card"), default=False
    )
    # O-56: the part the owner keeps back until the warranty period ends.
    retention_amount = models.DecimalField(
        _("warranty retention (CNY)"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=[NOT_NEGATIVE],
    )  # fmt: skip
    retention_due = models.DateField(_("retention falls due"), null=True, blank=True)
    retention_signed_by = models.CharField(
        _("retention signed by the owner"), max_length=60, blank=True
    )
    # O-6: a dealer's payment question referred to the sales rep, and the answer.
    referred_at = models.DateTimeField(
        _("referred to the sales rep"), null=True, blank=True, editable=False
    )
    referral_note = models.CharField(_("referral"), max_length=200, blank=True, editable=False)
    referral_answered_at = models.DateTimeField(
        _("answered"), null=True, blank=True, editable=False
    )
    referral_answer = models.CharField(_("answer"), max_length=200, blank=True, editable=False)
    # O-7: a changed order waits for the customer to confirm the re-issued order.
    awaiting_confirmation = models.BooleanField(
        _("awaiting the customer's confirmation"), default=False, editable=False
    )
    # {step: {"at": ..., **record}} for each signed step, written with the step log under
    # the same lock, so guards and skip conditions read it without another query.
    signed = models.JSONField(_("signed steps"), default=dict, editable=False)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-log_day", day_counter().desc()]
        # What customers owe, the dealer accounts and a dealer's profit (O-11, O-54): for
        # finance, the managers and the sales roles, not for the road or the warehouse.
        permissions = [
            ("view_receivables", _("Can see receivables, dealer accounts and dealer profit"))
        ]
        indexes = [models.Index(fields=["step", "step_since"])]

    def __str__(self) -> str:
        return self.number


class GoodsLine(models.Model):
    """What a line of goods holds, on an order or on a return."""

    position = models.PositiveSmallIntegerField(_("no."))
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    colour_code = models.CharField(_("colour code"), max_length=20, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=3, validators=[POSITIVE]
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    unit_price = models.DecimalField(
        _("unit price (CNY)"), max_digits=12, decimal_places=2, validators=[NOT_NEGATIVE]
    )
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.product} × {self.quantity}"


class OrderLine(GoodsLine):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    # O-11: the dealer's real price to its homeowner, printed on the profit note.
    end_price = models.DecimalField(
        _("dealer's price to the homeowner (CNY)"), max_digits=12, decimal_places=2, null=True,
        blank=True, validators=[NOT_NEGATIVE],
    )  # fmt: skip

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["order", "position"], name="one_line_per_position")
        ]


class StepLog(models.Model):
    """One signed step of an order's route: who, when, what, with what note. Never changed."""

    class Outcome(models.TextChoices):
        DONE = "done", _("done")
        SKIPPED = "skipped", _("skipped")
        # Its signature withdrawn: a later step's signer sent the order back (with a reason)
        # to an earlier step, and it is signed again from there (services/send_back.py).
        SENT_BACK = "sent_back", _("sent back")

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="step_log"
    )
    step = models.CharField(_("step"), max_length=40)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    signature = models.CharField(_("signed as"), max_length=60, blank=True)
    data = models.JSONField(_("record"), default=dict, blank=True)
    # A step passed over: the code of why (orders/skips.py), shown in the reader's language.
    # db_default: rows written by SQL without it (another tool, the app role's test) stay valid.
    skip_reason = models.CharField(
        _("skipped because"), max_length=40, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("step log entry")
        verbose_name_plural = _("step log")
        ordering = ["order", "at", "pk"]
        indexes = [models.Index(fields=["order", "step"])]

    def __str__(self) -> str:
        return f"{self.order} {self.step} {self.outcome}"


class VerificationItem(models.TextChoices):
    """The twelve checks of verification (O-5)."""

    PRODUCT_NAME = "product_name", _("Product name")
    SKU = "sku", _("Item number")
    COLOUR_CODE = "colour_code", _("Colour code")
    QUANTITY = "quantity", _("Quantity")
    PRICE = "price", _("Price")
    PAYMENT_METHOD = "payment_method", _("Payment method")
    DELIVERY_TIME = "delivery_time", _("Delivery time")
    INSTALL_TIME = "install_time", _("Installation time")
    CUSTOMER_NAME = "customer_name", _("Customer name")
    PHONE = "phone", _("Phone")
    ADDRESS = "address", _("Exact address with floor")
    OTHER_REQUESTS = "other_requests", _("Other requests")


class VerificationCheck(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="checks"
    )
    item = models.CharField(_("item"), max_length=20, choices=VerificationItem.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        constraints = [models.UniqueConstraint(fields=["order", "item"], name="one_check_per_item")]

    def __str__(self) -> str:
        return f"{self.order} {self.item}"


class Receipt(models.Model):
    """Money received against an order (O-47)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="receipts"
    )
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=14, decimal_places=2, validators=[POSITIVE]
    )
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    is_install_fee = models.BooleanField(_("installation fee"), default=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["order", "received_at"]

    def __str__(self) -> str:
        return f"{self.order} ¥{self.amount}"


class OrderRevision(models.Model):
    """O-7: an earlier version of a changed order, kept readable."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="revisions"
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    snapshot = models.JSONField(_("order as it was"))
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    replaced_at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=200)
    confirmed_by = models.CharField(_("new version confirmed by"), max_length=60, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order revision")
        verbose_name_plural = _("order revisions")
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["order", "number"], name="one_revision_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.order} r{self.number}"


class DealerCharge(models.Model):
    """What a dealer owes the company because of one order, to be taken from the profit of its
    other orders (O-50: freight for goods brought back; O-54: a shortfall the dealer caused)."""

    class Kind(models.TextChoices):
        RECALL_FREIGHT = "recall_freight", _("Freight for goods brought back (O-50)")
        SHORTFALL = "shortfall", _("Shortfall caused by the dealer (O-54)")
        # O-68: what the company refunded the dealer's customer first, from the dealer's profit.
        REFUND_FIRST = "refund_first", _("Refund the company paid first for the dealer (O-68)")
        # O-44: the dealer's share of a failed delivery's redelivery freight.
        REDELIVERY_FREIGHT = "redelivery_freight", _("Redelivery freight (O-44)")

    dealer = models.ForeignKey(
        "parties.Customer",
        verbose_name=_("dealer"),
        on_delete=models.PROTECT,
        related_name="charges",
    )
    order = models.ForeignKey(
        Order, verbose_name=_("caused by order"), on_delete=models.PROTECT, related_name="charges"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=14, decimal_places=2, validators=[POSITIVE]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # The order whose dealer profit the charge was taken from; empty while open.
    offset_against = models.ForeignKey(
        Order, verbose_name=_("taken from the profit of"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="offsets",
    )  # fmt: skip
    offset_at = models.DateTimeField(_("taken at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dealer charge")
        verbose_name_plural = _("dealer charges")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.dealer} ¥{self.amount}"


class DealerLedgerEntry(models.Model):
    """One line of a dealer's statement, never changed: what the company owes the dealer rises
    with the profit credited on a paid order (O-11) and falls with what is taken from it
    (O-50, O-54, O-55) and with each settlement paid. The balance is the sum of the amounts."""

    class Kind(models.TextChoices):
        PROFIT = "profit", _("Profit credited (O-11)")
        CHARGE = "charge", _("Charge taken (O-50, O-54)")
        INSTALL_FEE = "install_fee", _("Installation fee offset (O-55)")
        SETTLEMENT = "settlement", _("Settlement paid")
        WITHDRAWN = "withdrawn", _("Taken back: the order was cancelled")
        # O-68: what the dealer paid the company for a refund first (positive: held for the
        # refund), then spent when finance signs that refund (the same amount, negative).
        REFUND_PAID = "refund_paid", _("Paid by the dealer for a refund first (O-68)")

    dealer = models.ForeignKey(
        "parties.Customer", verbose_name=_("dealer"), on_delete=models.PROTECT,
        related_name="ledger",
    )  # fmt: skip
    order = models.ForeignKey(
        Order, verbose_name=_("order"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="ledger",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("dealer statement entry")
        verbose_name_plural = _("dealer statement entries")
        ordering = ["dealer", "recorded_at", "pk"]
        constraints = [  # the profit of an order is credited once
            models.UniqueConstraint(
                fields=["order"], condition=models.Q(kind="profit"), name="one_profit_per_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dealer} {self.kind} ¥{self.amount}"


class PayerCredit(models.Model):
    """What a payer paid beyond what an order owed, kept as the payer's credit by finance, or
    what was paid on an order that was then cancelled."""

    customer = models.ForeignKey(
        "parties.Customer", verbose_name=_("payer"), on_delete=models.PROTECT,
        related_name="credits",
    )  # fmt: skip
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="credits"
    )
    receipt = models.ForeignKey(
        Receipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="credits"
    )
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=14, decimal_places=2, validators=[POSITIVE]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("payer's credit")
        verbose_name_plural = _("payers' credits")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.customer} ¥{self.amount}"


class ChannelRoute(models.Model):
    """O-30: which route decoration firms, group buys and walk-ins follow. Configuration."""

    channel = models.CharField(_("channel"), max_length=20, choices=CustomerKind.choices)
    with_installation = models.BooleanField(_("with installation"))
    # Empty: any terms. A row for the order's own terms wins over the one for any terms.
    payment_terms = models.CharField(
        _("payment terms"), max_length=20, choices=PaymentTerms.choices, blank=True
    )
    route = models.CharField(_("route"), max_length=40)

    class Meta:
        verbose_name = _("channel route")
        verbose_name_plural = _("channel routes")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "with_installation", "payment_terms"],
                name="one_route_per_channel_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} / {self.with_installation}: {self.route}"


class ReturnKind(models.TextChoices):
    LEFTOVER = "leftover", _("Leftover after installation")  # O-62
    BULK = "bulk", _("Bulk return")  # O-63
    EXCHANGE = "exchange", _("Exchange")  # O-64: a bulk return, then a new order
    # O-50: finance brought back the goods of an unpaid pay-on-delivery dealer order
    # (orders/services/recall.py); recorded by finance, never from the returns form.
    RECALL = "recall", _("Goods recalled (O-50)")


class ReturnCondition(models.TextChoices):
    """How the warehouse grades a returned line on inspection (O-62, O-63): sellable goods go
    back where they count as available; the others are kept apart, in the same batch."""

    SELLABLE = "sellable", _("Sellable")
    SECONDS = "seconds", _("Second grade")
    DAMAGED = "damaged", _("Damaged")


class GoodsReturn(models.Model):
    """Goods coming back from an order (O-62 to O-64): applied for, approved where a bulk
    return needs it, inspected and booked in by the warehouse (the warehouse receipt), then
    written up by the clerk (the return note)."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="returns"
    )
    sequence = models.PositiveSmallIntegerField(_("return no."), editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ReturnKind.choices)
    reason = models.CharField(_("reason"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    requested_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # O-63: each approval by role: {"sales_rep": {"by": name, "at": iso time}, ...}
    approvals = models.JSONField(_("approvals"), default=dict, editable=False)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("booked in by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    received_at = models.DateTimeField(_("booked in at"), null=True, blank=True)
    inspection = models.CharField(_("inspection"), max_length=200, blank=True)
    note_made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("return note made by"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )  # fmt: skip
    note_made_at = models.DateTimeField(_("return note made at"), null=True, blank=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["order", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["order", "sequence"], name="one_return_per_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.order}-{self.sequence}"


class ReturnLine(GoodsLine):
    goods_return = models.ForeignKey(
        GoodsReturn, verbose_name=_("return"), on_delete=models.CASCADE, related_name="lines"
    )
    # The line of the order the goods came on: its price is credited, its quantity bounds them.
    order_line = models.ForeignKey(
        OrderLine, verbose_name=_("order line"), on_delete=models.PROTECT, related_name="returned"
    )
    # Graded by the warehouse when it books the goods in; empty until then.
    condition = models.CharField(
        _("condition"), max_length=10, choices=ReturnCondition.choices, blank=True
    )

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ["goods_return", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["goods_return", "position"], name="one_return_line_per_position"
            )
        ]


class RefundWay(models.TextChoices):
    """Where the money of a return goes (O-64, O-66 to O-68): decided from where it was paid."""

    AT_SUPERMARKET = "at_supermarket", _("The shopper returns it at the supermarket")  # O-66
    INSTALL_FEE = "install_fee", _("Deducted from the installation fee")  # O-62, O-66
    REFUND = "refund", _("Refunded the way it was paid")  # O-66; a bulk return: O-67
    CREDIT = "credit", _("Credit for other goods")  # O-67
    DEALER = "dealer", _("The dealer refunds its customer")  # O-66: no company money
    DEALER_FIRST = "dealer_first", _("The company refunds first, for the dealer")  # O-68
    PROJECT = "project", _("Offset in the project's account")  # O-66
    EXCHANGE = "exchange", _("Credited against the exchange order")  # O-64


class ReturnRefund(models.Model):
    """How the money of one return is put right, recorded once the return note is made and
    signed by finance (only then is money moved: a credit receipt on the order, a deduction
    from the installation fee, the dealer's profit taken)."""

    goods_return = models.OneToOneField(
        GoodsReturn, verbose_name=_("return"), on_delete=models.PROTECT, related_name="refund"
    )
    way = models.CharField(_("where the money goes"), max_length=20, choices=RefundWay.choices)
    amount = models.DecimalField(_("value of the return (CNY)"), max_digits=14, decimal_places=2)
    # O-62, O-66: the part taken off the installation fee still to pay; the rest is refunded.
    install_fee_deducted = models.DecimalField(
        _("deducted from the installation fee (CNY)"), max_digits=14, decimal_places=2,
        default=Decimal("0"),
    )  # fmt: skip
    method = models.CharField(
        _("refunded by"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    # Who is refunded or credited: the payer, the dealer, the project client.
    customer = models.ForeignKey(
        "parties.Customer", verbose_name=_("refunded or credited to"), on_delete=models.PROTECT,
        related_name="return_refunds",
    )  # fmt: skip
    # O-64: the new order the returned goods are credited against.
    exchange_order = models.OneToOneField(
        Order, verbose_name=_("exchange order"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="exchanged_from",
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # O-67: cash for a bulk return only with the VP of sales' approval.
    cash_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cash approved by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    cash_approved_at = models.DateTimeField(_("cash approved at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by finance"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("return refund")
        verbose_name_plural = _("return refunds")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.goods_return} {self.way} ¥{self.amount}"


class OrderImport(models.Model):
    """A spreadsheet of orders being imported in the background (its rows checked, then all
    its orders registered at once), with the progress and the outcome the page shows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        CHECKING = "checking", _("Checking the rows")
        WRITING = "writing", _("Registering the orders")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused: nothing imported")
        FAILED = "failed", _("Failed: nothing imported")

    layout = models.CharField(_("layout"), max_length=20)
    file_name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(_("content"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_checked = models.PositiveIntegerField(_("rows checked"), default=0)
    orders = models.JSONField(_("orders registered"), default=list)
    problems = models.JSONField(_("problems"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order import")
        verbose_name_plural = _("order imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REFUSED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(90 * self.rows_checked / self.rows_total) if self.rows_total else 0


class Effect(models.Model):
    """One reaction to a signed step or to a change of the order (declared in orders/effects.py),
    recorded in the same transaction and carried out afterwards by the task worker: the outbox.

    A failing reaction is retried with backoff and never undoes what caused it.
    """

    class State(models.TextChoices):
        # Waiting for the worker at ``due_at``: the first time, or again after a failure.
        PENDING = "pending", _("Waiting to run")
        # Carried out; its work was committed together with this state.
        DONE = "done", _("Done")
        # Gave up after the last retry; waits for an admin to retry it.
        FAILED = "failed", _("Failed")

    action = models.CharField(_("effect"), max_length=200)  # the dotted path of a function
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="effects"
    )
    # The signed step it follows; empty for a change or an addition to the order (O-7).
    step_log = models.ForeignKey(
        StepLog, verbose_name=_("step"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="effects",
    )  # fmt: skip
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    reason = models.TextField(_("reason"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    attempted_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("step effect")
        verbose_name_plural = _("step effects")
        ordering = ["-created_at", "-pk"]
        # The worker's question: what is waiting and due.
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.order} {self.action.rsplit('.', 1)[-1]}"
