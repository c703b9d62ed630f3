"""The stock figures recounted from the ledger (``gendan manage stock_recount``)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.orders.models import ReturnCondition
from gendan.orders.services.cancel import order_cancel
from gendan.orders.tests.helpers import staff
from gendan.warehouse.audit_events import STOCK_RECOUNTED
from gendan.warehouse.models import Batch, Location, StockLevel, StockMove
from gendan.warehouse.services.ledger import MoveInput, stock_moves_add
from gendan.warehouse.services.recount import CANNOT_FIX, stock_recount
from gendan.warehouse.services.reservations import order_reserve
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product
from gendan.warehouse.tests.stock_flows import order_of, order_returned, order_shipped

pytestmark = pytest.mark.django_db


def busy_warehouse():
    """Receipts, reservations, a cancellation, a shipment, returns graded two ways, a move."""
    product = stocked_product()
    first = batch_received(product, "B-1", "100")
    second = batch_received(product, "B-2", "40", place=location("A-02"))
    location("X-01", Location.Kind.DAMAGED)
    clerk = staff(Role.CLERK)
    shipped, cancelled, held = (order_of(product, q) for q in ("30", "35", "20"))
    for order in (shipped, cancelled, held):
        order_reserve(order=order, actor=clerk)
    order_cancel(actor=clerk, order=cancelled, reason="录重了")
    order_shipped(shipped)
    order_returned(shipped, "5")
    order_returned(shipped, "2", ReturnCondition.DAMAGED)
    stock_moves_add(actor=staff(Role.WAREHOUSE), moves=[MoveInput(
        kind=StockMove.Kind.MOVED, batch=first, quantity=Decimal("10"),
        from_location=location(), to_location=location("S-01", Location.Kind.SECONDS),
    )])  # fmt: skip
    return first, second


def test_after_receipts_reservations_shipments_returns_and_moves_the_figures_agree(roles):
    # given
    first, second = busy_warehouse()
    # when
    differences = stock_recount()
    # then: nothing to report, and the figures are the ones a clerk would expect
    assert differences == []
    first.refresh_from_db(), second.refresh_from_db()
    # B-1: 100 in, 10 moved to seconds; 20 held. B-2: 40 in, 30 out, 5 back sellable (the
    # damaged 2 are on its books, not sellable).
    assert (first.on_hand, first.reserved) == (Decimal("90"), Decimal("20"))
    assert (second.on_hand, second.reserved) == (Decimal("15"), Decimal("0"))
    out = StringIO()
    call_command("stock_recount", stdout=out)
    assert "agree" in out.getvalue() or "一致" in out.getvalue()


def test_a_level_changed_by_hand_is_reported_and_the_command_fails(roles):
    # given: someone wrote a level and a batch's figure by hand (the admin, SQL)
    first, _second = busy_warehouse()
    StockLevel.objects.filter(batch=first, location=location()).update(on_hand=Decimal("99"))
    Batch.objects.filter(pk=first.pk).update(on_hand=Decimal("64"))
    # when
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("stock_recount", stdout=out)
    # then: both named, nothing changed
    report = out.getvalue()
    assert "B-1" in report and "WH1/A-01" in report and "99" in report and "64" in report
    assert StockLevel.objects.get(batch=first, location=location()).on_hand == Decimal("99")
    assert not AuditEvent.objects.filter(action=str(STOCK_RECOUNTED)).exists()


def test_fix_sets_the_figures_back_to_the_ledger_and_signs_it(roles):
    # given
    first, _second = busy_warehouse()
    StockLevel.objects.filter(batch=first, location=location()).update(on_hand=Decimal("99"))
    Batch.objects.filter(pk=first.pk).update(on_hand=Decimal("64"))
    StockLevel.objects.filter(batch=first, location__code="S-01").delete()
    # when
    call_command("stock_recount", "--fix", stdout=StringIO())
    # then
    first.refresh_from_db()
    assert first.on_hand == Decimal("90")
    assert StockLevel.objects.get(batch=first, location=location()).on_hand == Decimal("90")
    assert StockLevel.objects.get(batch=first, location__code="S-01").on_hand == Decimal("10")
    assert stock_recount() == []
    event = AuditEvent.objects.get(action=str(STOCK_RECOUNTED))
    assert event.target_repr == str(first) and event.changes["on_hand"] == ["64.000", "90.000"]


def test_fix_refuses_to_leave_a_batch_holding_less_than_its_reservations(roles):
    # given: a batch whose figure was raised by hand and then reserved beyond the ledger
    product = stocked_product()
    batch = batch_received(product, "B-1", "10")
    Batch.objects.filter(pk=batch.pk).update(on_hand=Decimal("50"))
    order_reserve(order=order_of(product, "40"), actor=staff(Role.CLERK))
    # when / then
    with pytest.raises(ValidationError) as refused:
        stock_recount(fix=True)
    assert str(CANNOT_FIX).split("%")[0] in refused.value.messages[0]
    batch.refresh_from_db()
    assert batch.on_hand == Decimal("50")
