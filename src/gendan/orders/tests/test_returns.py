"""Goods coming back (O-62, O-63, O-65), and their papers: the warehouse receipt and the
return note."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.accounts.roles import Role
from gendan.documents.models import DocumentKind
from gendan.documents.services import RETURN_NOT_YET, return_document_issue
from gendan.documents.tests.helpers import needs_poppler, pdf_text, walked_to
from gendan.orders.models import GoodsReturn, OrderLine, PaymentTerms, ReturnKind
from gendan.orders.returns import (
    APPROVAL_ORDER,
    BAD_QUANTITY,
    NOT_AN_APPROVER,
    NOT_APPROVED,
    NOT_INSTALLED,
    NOT_ON_ORDER,
    NOT_RECEIVED,
    TOO_MANY,
    ReturnLineInput,
    return_approve,
    return_note_make,
    return_receive,
    return_record,
)
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db


def installed_order():
    order = scenario("supermarket", install=True, terms=PaymentTerms.CONTRACT)
    return walked_to(order, "acceptance")


def leftover(order, quantity="2.5") -> GoodsReturn:
    return return_record(
        actor=staff(Role.SERVICE), order=order, kind=ReturnKind.LEFTOVER, reason="安装剩余",
        lines=[ReturnLineInput(order_line=order.lines.get(), quantity=Decimal(quantity))],
    )  # fmt: skip


@needs_poppler
def test_o62_leftovers_are_booked_in_then_written_up_on_a_return_note():
    """O-62: installer returns goods → warehouse inspects and books them in (warehouse
    receipt) → clerk makes the return note from the receipt."""
    # given leftovers brought back after installation
    goods_return = leftover(installed_order())
    # when the warehouse books them in and the clerk writes them up
    return_receive(actor=staff(Role.WAREHOUSE), goods_return=goods_return, inspection="完好")
    receipt = return_document_issue(
        actor=staff(Role.WAREHOUSE), goods_return=goods_return,
        kind=DocumentKind.WAREHOUSE_RECEIPT,
    )  # fmt: skip
    return_note_make(actor=staff(Role.CLERK), goods_return=goods_return)
    note = return_document_issue(
        actor=staff(Role.CLERK), goods_return=goods_return, kind=DocumentKind.RETURN_NOTE
    )
    # then both papers carry the goods, the note at the order's price, signed by who did it
    receipt_text = pdf_text(bytes(receipt.files.get().pdf))
    assert "入库单" in receipt_text and "2.5" in receipt_text and "完好" in receipt_text
    assert staff(Role.WAREHOUSE).display_name in receipt_text
    note_text = pdf_text(bytes(note.files.get().pdf))
    assert "销售退货单" in note_text and "250.00" in note_text and "贰佰伍拾元整" in note_text
    assert note.number == f"TH{goods_return.order.number}-1"


def test_o65_leftovers_come_back_only_once_installed():
    """O-65: only once installation is done."""
    order = walked_to(scenario("supermarket", install=True, terms=PaymentTerms.CONTRACT), "ship")
    with pytest.raises(ValidationError) as refused:
        leftover(order)
    assert refused.value.messages == [str(NOT_INSTALLED)]
    assert not GoodsReturn.objects.exists()


def test_o63_the_warehouse_refuses_a_bulk_return_until_every_approval_is_given():
    """O-63: sales rep → sales supervisor → VP of sales and general manager; the warehouse
    refuses goods without approval."""
    order = installed_order()
    goods_return = return_record(
        actor=staff(Role.SALES_REP), order=order, kind=ReturnKind.BULK, reason="颜色不符",
        lines=[ReturnLineInput(order_line=order.lines.get(), quantity=Decimal("10"))],
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        return_receive(actor=staff(Role.WAREHOUSE), goods_return=goods_return, inspection="")
    approvers = (Role.SALES_REP, Role.SALES_SUPERVISOR, Role.SALES_VP, Role.GENERAL_MANAGER)
    waiting = "、".join(str(role.label) for role in approvers)
    assert refused.value.messages == [NOT_APPROVED % {"waiting": waiting}]
    # the supervisor cannot approve before the sales rep
    with pytest.raises(ValidationError) as refused:
        return_approve(actor=staff(Role.SALES_SUPERVISOR), goods_return=goods_return,
                       role=Role.SALES_SUPERVISOR)  # fmt: skip
    order_message = APPROVAL_ORDER % {
        "role": Role.SALES_SUPERVISOR.label,
        "before": Role.SALES_REP.label,
    }
    assert refused.value.messages == [order_message]
    for role in (Role.SALES_REP, Role.SALES_SUPERVISOR, Role.GENERAL_MANAGER, Role.SALES_VP):
        return_approve(actor=staff(role), goods_return=goods_return, role=role)
    received = return_receive(actor=staff(Role.WAREHOUSE), goods_return=goods_return, inspection="")
    assert received.received_at is not None


def test_a_return_names_each_bad_line_and_records_nothing():
    order = installed_order()
    line = order.lines.select_related("product").get()
    elsewhere = installed_order().lines.select_related("product").get()
    with pytest.raises(ValidationError) as refused:
        return_record(
            actor=staff(Role.SERVICE), order=order, kind=ReturnKind.LEFTOVER, reason="",
            lines=[ReturnLineInput(order_line=line, quantity=Decimal("11")),
                   ReturnLineInput(order_line=elsewhere, quantity=Decimal("1")),
                   ReturnLineInput(order_line=line, quantity=Decimal("NaN"))],
        )  # fmt: skip
    assert refused.value.messages == [
        TOO_MANY % {"position": 1, "product": line.product, "left": Decimal("10.000"),
                    "unit": "平方米"},
        NOT_ON_ORDER % {"position": 2, "product": elsewhere.product},
        BAD_QUANTITY % {"position": 3, "product": line.product},
    ]  # fmt: skip
    assert not GoodsReturn.objects.exists()
    # what came back already counts: 8 of 10, then at most 2 more
    leftover(order, "8")
    with pytest.raises(ValidationError):
        leftover(order, "2.5")
    assert leftover(order, "2").sequence == 2


def test_a_return_is_credited_at_the_price_of_the_line_the_goods_came_on():
    """The same product twice on an order, in two colours at two prices: each comes back
    at its own line's price and within its own line's quantity."""
    order = installed_order()
    first = order.lines.get()
    second = OrderLine.objects.create(
        order=order, position=2, product=first.product, colour_code="T-602", quantity=5,
        unit=first.unit, unit_price=Decimal("200"), amount=Decimal("1000"),
    )  # fmt: skip
    goods_return = return_record(
        actor=staff(Role.SERVICE), order=order, kind=ReturnKind.LEFTOVER, reason="两种颜色",
        lines=[ReturnLineInput(order_line=first, quantity=Decimal("8")),
               ReturnLineInput(order_line=second, quantity=Decimal("1"))],
    )  # fmt: skip
    lines = list(goods_return.lines.values_list("colour_code", "unit_price", "amount"))
    assert lines == [(first.colour_code, Decimal("100"), Decimal("800")),
                     ("T-602", Decimal("200"), Decimal("200"))]  # fmt: skip


def test_only_the_approvers_of_o63_approve_a_bulk_return():
    """O-63: a role outside the approval chain is told who approves."""
    order = installed_order()
    goods_return = return_record(
        actor=staff(Role.SALES_REP), order=order, kind=ReturnKind.BULK, reason="颜色不符",
        lines=[ReturnLineInput(order_line=order.lines.get(), quantity=Decimal("1"))],
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        return_approve(actor=staff(Role.CLERK), goods_return=goods_return, role=Role.CLERK)
    assert refused.value.messages == [str(NOT_AN_APPROVER)]


def test_o62_no_return_note_before_the_goods_are_booked_in():
    """O-62: the return note is made from the warehouse receipt."""
    goods_return = leftover(installed_order())
    with pytest.raises(ValidationError) as refused:
        return_note_make(actor=staff(Role.CLERK), goods_return=goods_return)
    assert refused.value.messages == [str(NOT_RECEIVED)]
    with pytest.raises(ValidationError) as refused:
        return_document_issue(
            actor=staff(Role.CLERK), goods_return=goods_return, kind=DocumentKind.RETURN_NOTE
        )
    assert refused.value.messages == [RETURN_NOT_YET % {"document": DocumentKind.RETURN_NOTE.label}]
