"""A dealer's statement out as .xlsx: each entry with the balance after it, then the balance."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.orders.exports import workbook_of
from gendan.orders.selectors import DealerStatement
from gendan.parties.models import Customer


def dealer_statement_xlsx(dealer: Customer, statement: DealerStatement) -> bytes:
    columns = [
        (_("Time"), 17), (_("Kind"), 26), (_("Order number"), 15), (_("Amount (CNY)"), 14),
        (_("Balance (CNY)"), 14), (_("Method"), 12), (_("Reference"), 16), (_("Note"), 30),
        (_("Recorded by"), 14),
    ]  # fmt: skip
    rows = [
        [timezone.localtime(entry.recorded_at).strftime("%Y-%m-%d %H:%M"),
         entry.get_kind_display(), entry.order.number if entry.order_id else "",
         float(entry.amount), float(balance), entry.get_method_display(), entry.reference,
         entry.note, str(entry.recorded_by)]
        for entry, balance in statement.rows
    ]  # fmt: skip
    rows.append([_("Balance"), dealer.name, None, None, float(statement.balance)])
    return workbook_of(_("Dealer statement"), columns, rows)
