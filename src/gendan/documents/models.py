"""The papers of the handbook (O-8) as issued: frozen content, its hash and the printed bytes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ORDER_FORM = "order_form", _("Order form")
    MEASUREMENT_NOTICE = "measurement_notice", _("Measurement notice")
    DISPATCH_ADVICE = "dispatch_advice", _("Dispatch advice")
    # The delivery note is the cost note when a profit note goes with it (O-11).
    DELIVERY_NOTE = "delivery_note", _("Delivery note")
    PROFIT_NOTE = "profit_note", _("Profit note")
    HANDOVER_SHEET = "handover_sheet", _("Service handover sheet")
    RETURN_NOTE = "return_note", _("Return note")
    WAREHOUSE_RECEIPT = "warehouse_receipt", _("Warehouse receipt")
    WARRANTY_CARD = "warranty_card", _("Acceptance & warranty card")


class Paper(models.TextChoices):
    A4 = "a4", _("A4")
    # The continuous multi-part form of dot-matrix printers.
    FORM = "form", _("241 × 140 mm continuous form")


class Document(models.Model):
    """One version of one paper. Its number stays the same from version to version; a change
    to what it shows makes a new version and marks this one superseded. Never edited."""

    order = models.ForeignKey(
        "orders.Order", verbose_name=_("order"), on_delete=models.PROTECT,
        related_name="documents",
    )  # fmt: skip
    goods_return = models.ForeignKey(
        "orders.GoodsReturn", verbose_name=_("return"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="documents",
    )  # fmt: skip
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("document number"), max_length=40)
    version = models.PositiveSmallIntegerField(_("version"))
    # What the paper shows, as it was drawn: the PDF is made from this alone.
    content = models.JSONField(_("content"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    issued_at = models.DateTimeField(_("issued at"))
    reason = models.CharField(_("why this version"), max_length=200, blank=True)
    superseded_by = models.OneToOneField(
        "self", verbose_name=_("superseded by"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="supersedes",
    )  # fmt: skip
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    # A void version (its order cancelled): the paper as it was, marked VOID, with who voided
    # it, when and why. The versions before it keep their bytes.
    void_at = models.DateTimeField(_("void since"), null=True, blank=True)
    void_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("voided by"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )  # fmt: skip
    void_reason = models.CharField(_("why void"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["order", "kind", "number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["number", "version"], name="one_version_number"),
            models.UniqueConstraint(
                fields=["number"], condition=models.Q(superseded_at__isnull=True),
                name="one_current_version",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"


class DocumentFile(models.Model):
    """The PDF of a document on one paper, printed once and kept: printing again gives
    these bytes."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="files"
    )
    paper = models.CharField(_("paper"), max_length=10, choices=Paper.choices)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("file hash (SHA-256)"), max_length=64)
    printed_at = models.DateTimeField(_("first printed at"))

    class Meta:
        verbose_name = _("document file")
        verbose_name_plural = _("document files")
        constraints = [
            models.UniqueConstraint(fields=["document", "paper"], name="one_file_per_paper")
        ]

    def __str__(self) -> str:
        return f"{self.document} ({self.paper})"
