"""Goods received by batch (issue 13, point 2): from production or from a supplier, into one
warehouse, each line one batch of one product put in one place, in boxes, rolls or bags that
each get a label (services/labels.py prints them).

One receipt is one transaction: its batches (a batch number already known for the product is
that batch again), the receipt with its number (SC- or CG-YYYYMMDD-NNN), its lines, one Package per
box or roll, and the RECEIVED moves through the ledger. Any bad line refuses the whole receipt
and nothing changes. O-59: every roll of moisture-proof foam carries its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.catalog.models import Category, Grade, Product, Unit
from gendan.warehouse.audit_events import receipt_created_event
from gendan.warehouse.models import (
    Batch,
    GoodsReceipt,
    GoodsReceiptLine,
    Location,
    Package,
    StockMove,
    Warehouse,
)
from gendan.warehouse.services.ledger import MoveInput, quantity_valid, stock_moves_add

# 生产入库 and 采购入库: not RK, which the returns' warehouse receipts (documents) carry.
NUMBER_PREFIXES = {"production": "SC", "purchase": "CG"}
MAX_LINES = 200
MAX_PACKAGES = 2000  # labels of one line: more is a typing slip, not a delivery
THOUSANDTH = Decimal("0.001")
HUNDREDTH = Decimal("0.01")

NO_LINES = _("A receipt has at least one line.")
TOO_MANY_LINES = _("A receipt has at most %(max)s lines.")
BAD_SOURCE = _("Say where the goods come from: production or a supplier.")
SUPPLIER_MISSING = _("Goods from a supplier: say which supplier.")
WAREHOUSE_CLOSED = _("Warehouse %(warehouse)s is not in use.")
NOT_STOCKED = _("%(product)s is not kept in stock by batch; it is not received here.")
BATCH_NUMBER_MISSING = _("Give the batch number (the production batch, which is the shade).")
BATCH_NUMBER_TOO_LONG = _("A batch number has at most 40 characters.")
BATCH_NUMBER_BAD = _("A batch number is letters, digits, “-”, “_”, “.” and “/”, without spaces.")
PRODUCED_MISSING = _("Give the day the batch was produced.")
PRODUCED_FUTURE = _("The batch cannot have been produced after today.")
PRODUCED_DIFFERS = _(
    "Batch %(batch)s of %(product)s was produced on %(known)s, not %(given)s: check the batch "
    "number."
)
GRADE_BAD = _("Choose a grade of the standard (premium, first or qualified).")
GRADE_DIFFERS = _(
    "Batch %(batch)s of %(product)s is of %(known)s grade, not %(given)s: one batch is one grade."
)
COLOUR_DIFFERS = _(
    "The goods' colour code %(given)s is not the product's (%(known)s): receive them as the "
    "product they are."
)
QUANTITY_BAD = _("The quantity is greater than zero, with at most three decimals.")
PACKAGES_BAD = _("Give how many boxes, rolls or bags: a whole number from 1 to %(max)s.")
PACKAGES_TOO_SMALL = _("%(quantity)s cannot be shared over %(packages)s boxes or rolls.")
LOCATION_FOREIGN = _("%(location)s is not a place of warehouse %(warehouse)s.")
LOCATION_NOT_SELLABLE = _("New goods go to a sellable place in use, not %(location)s.")
FOAM_LENGTHS_MISSING = _(
    "O-59: every roll of moisture-proof foam is labelled with its length: give %(rolls)s "
    "lengths in metres, one per roll (%(given)s given)."
)
FOAM_LENGTH_BAD = _("O-59: a roll's length is greater than zero, in metres with two decimals.")
FOAM_LENGTHS_SUM = _(
    "O-59: the rolls' lengths add up to %(total)s m, but the quantity is %(quantity)s m."
)
LENGTHS_NOT_FOAM = _("Lengths are given for rolls of moisture-proof foam only.")


@dataclass
class ReceiptLineInput:
    product: Product
    batch_number: str
    produced_on: dt.date | None
    grade: str
    quantity: Decimal
    packages: int
    location: Location
    colour: str = ""
    # O-59: a roll of foam's length each, in metres (None: not given).
    lengths_m: list[Decimal] | None = None


@dataclass
class ReceiptInput:
    source: str
    warehouse: Warehouse
    supplier: str = ""
    note: str = ""


def line_errors(line: ReceiptLineInput, warehouse: Warehouse) -> dict[str, list[str]]:
    """Each bad field of one line, by field name."""
    errors: dict[str, list[str]] = {}
    checks = {
        "product": product_problem(line),
        "batch_number": batch_number_problem(line.batch_number),
        "produced_on": produced_problem(line.produced_on),
        "grade": GRADE_BAD if line.grade and line.grade not in Grade.values else None,
        "quantity": None if quantity_valid(line.quantity) else QUANTITY_BAD,
        "packages": packages_problem(line),
        "location": location_problem(line.location, warehouse),
        "lengths_m": foam_problem(line) if quantity_valid(line.quantity) else None,
    }
    for name, problem in checks.items():
        if problem:
            errors[name] = [str(problem)]
    return errors


def product_problem(line: ReceiptLineInput) -> str | None:
    product = line.product
    if not product.stocked:
        return NOT_STOCKED % {"product": product}
    colour = line.colour.strip()
    if colour and product.colour_code and colour.upper() != product.colour_code.upper():
        return COLOUR_DIFFERS % {"given": colour, "known": product.colour_code}
    return None


def batch_number_problem(number: str) -> str | None:
    if not number:
        return BATCH_NUMBER_MISSING
    if len(number) > 40:
        return BATCH_NUMBER_TOO_LONG
    if not all(char.isalnum() or char in "-_./" for char in number):
        return BATCH_NUMBER_BAD
    return None


def produced_problem(produced_on: dt.date | None) -> str | None:
    if produced_on is None:
        return PRODUCED_MISSING
    return PRODUCED_FUTURE if produced_on > timezone.localdate() else None


def packages_problem(line: ReceiptLineInput) -> str | None:
    if not isinstance(line.packages, int) or not 1 <= line.packages <= MAX_PACKAGES:
        return PACKAGES_BAD % {"max": MAX_PACKAGES}
    if quantity_valid(line.quantity) and line.quantity < line.packages * THOUSANDTH:
        return PACKAGES_TOO_SMALL % {"quantity": line.quantity, "packages": line.packages}
    return None


def location_problem(location: Location, warehouse: Warehouse) -> str | None:
    if location.warehouse_id != warehouse.pk:
        return LOCATION_FOREIGN % {"location": location.code, "warehouse": warehouse.name}
    if location.kind != Location.Kind.SELLABLE or not location.is_active:
        return LOCATION_NOT_SELLABLE % {"location": location}
    return None


def is_foam(product: Product) -> bool:
    return product.category == Category.FOAM


def foam_problem(line: ReceiptLineInput) -> str | None:
    """O-59: a foam line gives one length per roll; in metres, they add up to the quantity."""
    lengths = line.lengths_m
    if not is_foam(line.product):
        return LENGTHS_NOT_FOAM if lengths else None
    if not lengths or len(lengths) != line.packages:
        return FOAM_LENGTHS_MISSING % {"rolls": line.packages, "given": len(lengths or [])}
    if not all(length_valid(length) for length in lengths):
        return FOAM_LENGTH_BAD
    total = sum(lengths, Decimal("0"))
    if line.product.unit == Unit.METRE and total != line.quantity:
        return FOAM_LENGTHS_SUM % {"total": total, "quantity": line.quantity}
    return None


def length_valid(length: Decimal) -> bool:
    return (
        isinstance(length, Decimal) and length.is_finite() and Decimal("0") < length < 1000000
        and length.as_tuple().exponent >= -2
    )  # fmt: skip


def receipt_errors(receipt: ReceiptInput, lines: list[ReceiptLineInput]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if receipt.source not in GoodsReceipt.Source.values:
        errors["source"] = [str(BAD_SOURCE)]
    if receipt.source == GoodsReceipt.Source.PURCHASE and not receipt.supplier.strip():
        errors["supplier"] = [str(SUPPLIER_MISSING)]
    if not receipt.warehouse.is_active:
        errors["warehouse"] = [str(WAREHOUSE_CLOSED % {"warehouse": receipt.warehouse})]
    if not lines:
        errors["lines"] = [str(NO_LINES)]
    elif len(lines) > MAX_LINES:
        errors["lines"] = [str(TOO_MANY_LINES % {"max": MAX_LINES})]
        return errors
    for index, line in enumerate(lines):
        for name, messages in line_errors(line, receipt.warehouse).items():
            errors[f"lines.{index}.{name}"] = messages
    return errors


@transaction.atomic
def receipt_create(
    *,
    actor: User,
    source: str,
    warehouse: Warehouse,
    lines: list[ReceiptLineInput],
    supplier: str = "",
    note: str = "",
) -> GoodsReceipt:
    """Receive the goods of every line, or none: batches, receipt, lines, packages, moves."""
    if not actor.has_perm("warehouse.add_goodsreceipt"):
        raise PermissionDenied
    header = ReceiptInput(source=source, warehouse=warehouse, supplier=supplier, note=note)
    errors = receipt_errors(header, lines)
    batches = batches_get_or_create(lines, errors)
    if errors:
        raise ValidationError(errors)
    receipt = receipt_numbered(actor, header)
    rows = lines_create(receipt, lines, batches)
    packages_create(rows, lines)
    stock_moves_add(actor=actor, moves=receipt_moves(receipt, rows))
    receipt_created_event(actor=actor, receipt=receipt, lines=rows)
    return receipt


def batches_get_or_create(
    lines: list[ReceiptLineInput], errors: dict[str, list[str]]
) -> list[Batch | None]:
    """Each line's batch: the product's batch of that number, or a new one. A known batch must
    agree with the line (produced on, grade): a slip in the number is refused, not merged."""
    keys = {(line.product.pk, line.batch_number) for line in lines}
    known = batches_by_key(keys)
    batches: list[Batch | None] = []
    for index, line in enumerate(lines):
        key = (line.product.pk, line.batch_number)
        batch = known.get(key)
        if batch is None and not any(name.startswith(f"lines.{index}.") for name in errors):
            batch = known[key] = Batch(
                product=line.product, number=line.batch_number, produced_on=line.produced_on,
                grade=line.grade or line.product.grade,
            )  # fmt: skip
        elif batch is not None:
            batch_agrees(batch, line, errors, index)
        batches.append(batch)
    if errors:
        return batches
    # Another receipt of the same new batch at the same moment: the database keeps one row
    # (the second insert waits for the first, then does nothing), and both use it.
    Batch.objects.bulk_create([b for b in known.values() if b.pk is None], ignore_conflicts=True)
    saved = batches_by_key(keys)
    batches = [saved[(line.product.pk, line.batch_number)] for line in lines]
    batches_announced_fill(batches, lines)
    return batches


def batches_by_key(keys: set[tuple[int, str]]) -> dict[tuple[int, str], Batch]:
    found = Batch.objects.filter(
        product__in={pk for pk, _number in keys}, number__in={number for _pk, number in keys}
    ).select_related("product")
    return {(batch.product_id, batch.number): batch for batch in found}


def batch_agrees(batch: Batch, line: ReceiptLineInput, errors: dict, index: int) -> None:
    names = {"batch": batch.number, "product": line.product}
    if batch.produced_on and line.produced_on and batch.produced_on != line.produced_on:
        dates = {"known": batch.produced_on, "given": line.produced_on}
        errors.setdefault(f"lines.{index}.produced_on", []).append(
            str(PRODUCED_DIFFERS % (names | dates))
        )
    if batch.grade and line.grade and batch.grade != line.grade:
        known, given = Grade(batch.grade).label, Grade(line.grade).label
        errors.setdefault(f"lines.{index}.grade", []).append(
            str(GRADE_DIFFERS % (names | {"known": known, "given": given}))
        )


def batches_announced_fill(batches: list[Batch | None], lines: list[ReceiptLineInput]) -> None:
    """A batch announced before it arrived (no production day yet) takes the line's."""
    filled = []
    for batch, line in zip(batches, lines, strict=True):
        if batch is not None and batch.pk and (not batch.produced_on or not batch.grade):
            batch.produced_on = batch.produced_on or line.produced_on
            batch.grade = batch.grade or line.grade or line.product.grade
            filled.append(batch)
    Batch.objects.bulk_update(filled, ["produced_on", "grade"])


def receipt_numbered(actor: User, header: ReceiptInput) -> GoodsReceipt:
    """The receipt with the day's next number. Two receipts made at the same moment may pick
    the same number: the unique index refuses the second, which takes the next one."""
    received_at = timezone.now()
    day = timezone.localtime(received_at)
    prefix = f"{NUMBER_PREFIXES[header.source]}-{day:%Y%m%d}-"
    for _attempt in range(10):
        taken = GoodsReceipt.objects.filter(number__startswith=prefix).values_list(
            "number", flat=True
        )
        last = max((int(number[len(prefix) :]) for number in taken), default=0)
        try:
            with transaction.atomic():
                return GoodsReceipt.objects.create(
                    number=f"{prefix}{last + 1:03d}", source=header.source,
                    supplier=header.supplier.strip()[:100], warehouse=header.warehouse,
                    note=header.note.strip()[:200], received_by=actor, received_at=received_at,
                )  # fmt: skip
        except IntegrityError:
            continue
    raise RuntimeError("no free receipt number after 10 attempts")


def lines_create(
    receipt: GoodsReceipt, lines: list[ReceiptLineInput], batches: list[Batch | None]
) -> list[GoodsReceiptLine]:
    rows = [
        GoodsReceiptLine(
            receipt=receipt,
            position=position,
            batch=batch,
            location=line.location,
            quantity=line.quantity,
            packages=line.packages,
        )
        for position, (line, batch) in enumerate(zip(lines, batches, strict=True), start=1)
    ]
    return GoodsReceiptLine.objects.bulk_create(rows)


def package_quantities(line: ReceiptLineInput) -> list[Decimal]:
    """The line's quantity over its boxes or rolls: equal shares to the thousandth, the last
    takes the rest. Foam counted in metres: each roll holds its own length."""
    if is_foam(line.product) and line.product.unit == Unit.METRE:
        return list(line.lengths_m or [])
    share = (line.quantity / line.packages).quantize(THOUSANDTH, rounding=ROUND_DOWN)
    return [share] * (line.packages - 1) + [line.quantity - share * (line.packages - 1)]


def package_code(receipt: GoodsReceipt, position: int, box: int) -> str:
    """Printed as Code128 and QR: receipt number, line, box (SC-20261203-001-01-007)."""
    return f"{receipt.number}-{position:02d}-{box:03d}"


def packages_create(rows: list[GoodsReceiptLine], lines: list[ReceiptLineInput]) -> None:
    packages = []
    for row, line in zip(rows, lines, strict=True):
        lengths = line.lengths_m if is_foam(line.product) else None
        for box, quantity in enumerate(package_quantities(line), start=1):
            packages.append(
                Package(
                    code=package_code(row.receipt, row.position, box),
                    batch=row.batch,
                    receipt_line=row,
                    location=row.location,
                    quantity=quantity,
                    length_m=lengths[box - 1].quantize(HUNDREDTH) if lengths else None,
                )
            )
    Package.objects.bulk_create(packages, batch_size=2000)


KIND_OF_SOURCE = {
    GoodsReceipt.Source.PRODUCTION: StockMove.Kind.RECEIVED_PRODUCTION,
    GoodsReceipt.Source.PURCHASE: StockMove.Kind.RECEIVED_PURCHASE,
}


def receipt_moves(receipt: GoodsReceipt, rows: list[GoodsReceiptLine]) -> list[MoveInput]:
    reason = receipt.supplier or str(receipt.get_source_display())
    return [
        MoveInput(
            kind=KIND_OF_SOURCE[receipt.source],
            batch=row.batch,
            quantity=row.quantity,
            to_location=row.location,
            reason=reason,
            document=receipt.number,
            links={"receipt": receipt},
        )
        for row in rows
    ]
