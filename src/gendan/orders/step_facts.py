"""What a step needs on the order page, read from the order (issue 12, points 3 and 4).

The measurement for the installer and the driver, the profit note for the dealer who judges
it, and why a step was sent back; the pages show them beside the sign form, not only in the
PDFs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gendan.orders.models import Order, OrderLine, StepLog
from gendan.orders.records import RecordField
from gendan.orders.routes import AGREE_INSTALL, DELIVER, INSTALL, MEASURE, ROUTES

CENT = Decimal("0.01")
# The steps whose signer works from the measurement: it comes first on their page.
MEASUREMENT_FIRST = frozenset({DELIVER.code, INSTALL.code})


def record_value(field: RecordField, value: object) -> str:
    """A recorded value as people read it: 是/否, a day, money with separators."""
    if field.kind in ("bool", "confirm"):
        return _("yes") if value else _("no")
    if field.kind == "date" and isinstance(value, str):
        try:
            return date_format(dt.date.fromisoformat(value), "Y-m-d")
        except ValueError:
            return value
    if field.kind == "decimal":
        try:
            return f"{Decimal(str(value)):,.2f}"
        except InvalidOperation:
            return str(value)
    return str(value)


def order_measurement(order: Order) -> list[tuple[str, str]]:
    """O-33: what service recorded on site and agreed with the customer, label by label,
    in the order of the steps' records; empty until one of them is signed."""
    rows = []
    for step in (MEASURE, AGREE_INSTALL):
        record = order.signed.get(step.code, {})
        for field in step.record if record else ():
            if field.name in record:
                rows.append((str(field.label), record_value(field, record[field.name])))
    return rows


def money_text(amount: Decimal | None) -> str:
    """Money as people read it: thousands separated, two places; — when unknown."""
    return "—" if amount is None else f"{amount:,.2f}"


@dataclass(frozen=True)
class ProfitNote:
    """O-11: the profit note as the dealer judges it: its lines at the dealer's price to the
    homeowner (``end_price``), each with its amount, and the total (None while a line has no
    price)."""

    lines: list[dict[str, object]]
    total: Decimal | None

    @property
    def total_text(self) -> str:
        return money_text(self.total)


def order_profit_note(order: Order) -> ProfitNote:
    lines, total = [], Decimal("0")
    for line in order.lines.select_related("product"):
        amount = None if line.end_price is None else (line.quantity * line.end_price).quantize(CENT)
        total = None if amount is None or total is None else total + amount
        lines.append(profit_note_line(line, amount))
    return ProfitNote(lines, total if lines else None)


def profit_note_line(line: OrderLine, amount: Decimal | None) -> dict[str, object]:
    return {
        "product": line.product.name, "colour": line.colour_code or line.product.colour_code,
        "quantity": line.quantity, "unit": line.get_unit_display(),
        "price": money_text(line.end_price), "amount": money_text(amount),
    }  # fmt: skip


def order_sent_back(order: Order) -> StepLog | None:
    """The entry saying who sent the order back to its current step and why, until that step
    is signed again; None when it was not sent back."""
    route = ROUTES.get(order.route)
    if route is None or not any(step.sends_back_to == order.step for step in route.steps):
        return None
    last = order.step_log.filter(step=order.step).select_related("actor").last()
    return last if last is not None and last.outcome == StepLog.Outcome.SENT_BACK else None
