"""Returned goods back into their own batch, graded on inspection (O-62, O-63)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import GoodsReturn, PaymentTerms, ReturnCondition, ReturnKind
from gendan.orders.return_grading import LineGrading
from gendan.orders.returns import (
    NOT_APPROVED,
    ReturnLineInput,
    return_approve,
    return_receive,
    return_record,
)
from gendan.orders.tests.helpers import scenario, staff
from gendan.warehouse.models import Location, Reservation, StockLevel, StockMove
from gendan.warehouse.services.reservations import split_agree
from gendan.warehouse.services.returns import MORE_THAN_SHIPPED, WRONG_PLACE
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product
from gendan.warehouse.tests.shipping import order_shipped_out

pytestmark = pytest.mark.django_db


def shipped_order(product, quantity="10", install=True):
    """A supermarket's order of the product, its goods gone from the warehouse."""
    order = scenario(
        "supermarket", install=install, terms=PaymentTerms.CONTRACT, product=product,
        quantity=quantity,
    )  # fmt: skip
    order = walked_to(order, "deliver")
    order_shipped_out(order)
    return order


def coming_back(order, quantity: str, kind=ReturnKind.LEFTOVER) -> GoodsReturn:
    return return_record(
        actor=staff(Role.SERVICE if kind == ReturnKind.LEFTOVER else Role.CLERK), order=order,
        kind=kind, reason="退回",
        lines=[ReturnLineInput(order_line=order.lines.get(), quantity=Decimal(quantity))],
    )  # fmt: skip


def approved(goods_return: GoodsReturn) -> GoodsReturn:
    for role in (Role.SALES_REP, Role.SALES_SUPERVISOR, Role.SALES_VP, Role.GENERAL_MANAGER):
        return_approve(actor=staff(role), goods_return=goods_return, role=role)
    return goods_return


def booked_in(goods_return: GoodsReturn, **grading: object) -> GoodsReturn:
    line = goods_return.lines.get()
    return return_receive(
        actor=staff(Role.WAREHOUSE), goods_return=goods_return, inspection="检验",
        grading={line.pk: LineGrading(**grading)},
    )  # fmt: skip


def test_o62_sellable_leftovers_go_back_into_their_batch_and_are_available_again(roles):
    """O-62: the installer's leftovers, inspected sellable, go back into the batch they
    shipped from, where they shipped from, and count as available again."""
    # given an installed order of 10 m² from batch B-1 (30 m² received)
    product = stocked_product()
    batch = batch_received(product, "B-1", "30")
    order = walked_to(shipped_order(product), "acceptance")
    order = walked_to(order, "warranty_card")
    goods_return = coming_back(order, "2.5")
    # when the warehouse books them in as sellable
    booked_in(goods_return, condition=ReturnCondition.SELLABLE)
    # then the batch has them back, available, with a RETURNED move naming the return
    batch.refresh_from_db()
    assert (batch.on_hand, batch.available) == (Decimal("22.500"), Decimal("22.500"))
    move = StockMove.objects.get(kind=StockMove.Kind.RETURNED)
    assert (move.batch, move.to_location, move.quantity) == (batch, location(), Decimal("2.5"))
    assert (move.goods_return, move.order, move.document) == (
        goods_return, order, str(goods_return)
    )  # fmt: skip
    assert goods_return.lines.get().condition == ReturnCondition.SELLABLE


def test_o63_damaged_goods_of_a_bulk_return_stay_in_their_batch_kept_apart(roles):
    """O-63: a bulk return graded damaged comes back into its batch, in a damaged place:
    on the books of the batch, never available."""
    # given a delivered order of 10 m² from B-1, and a damaged place
    product = stocked_product()
    batch = batch_received(product, "B-1", "30")
    damaged = location("X-01", Location.Kind.DAMAGED)
    goods_return = approved(coming_back(shipped_order(product), "4", ReturnKind.BULK))
    # when the warehouse grades it damaged, into X-01
    booked_in(goods_return, condition=ReturnCondition.DAMAGED, location_id=damaged.pk)
    # then X-01 holds 4 of B-1, and what can be reserved of B-1 did not grow
    batch.refresh_from_db()
    assert (batch.on_hand, batch.available) == (Decimal("20.000"), Decimal("20.000"))
    assert StockLevel.objects.get(batch=batch, location=damaged).on_hand == Decimal("4")


def test_o63_second_grade_goes_to_the_first_seconds_place_when_none_is_chosen(roles):
    """O-63: graded second grade with no place chosen: the warehouse's seconds place."""
    product = stocked_product()
    batch = batch_received(product, "B-1", "30")
    seconds = location("S-01", Location.Kind.SECONDS)
    goods_return = approved(coming_back(shipped_order(product), "3", ReturnKind.BULK))
    booked_in(goods_return, condition=ReturnCondition.SECONDS)
    assert StockLevel.objects.get(batch=batch, location=seconds).on_hand == Decimal("3")
    batch.refresh_from_db()
    assert batch.available == Decimal("20.000")


def split_order(product):
    """50 m² split (agreed) over B-1 (30) and B-2 (30): 30 from one, 20 from the other."""
    batch_received(product, "B-1", "30")
    batch_received(product, "B-2", "30")
    order = scenario("supermarket", terms=PaymentTerms.CONTRACT, product=product, quantity="50")
    order = walked_to(order, "delivery_note")
    split_agree(actor=staff(Role.CLERK), order=order, product=product, agreed_by="王先生")
    order = walked_to(order, "deliver")
    order_shipped_out(order)
    return order


def test_o63_a_split_return_goes_back_into_the_batch_most_still_out_or_the_one_named(roles):
    """O-63: goods of a split shipment come back into the batch the line names, by default
    the one of which most went out."""
    product = stocked_product()
    order = split_order(product)
    shipped = {r.quantity: r.batch for r in Reservation.objects.filter(order=order)}
    # when 5 come back unnamed, and 5 more naming the smaller part's batch
    booked_in(approved(coming_back(order, "5", ReturnKind.BULK)))
    booked_in(approved(coming_back(order, "5", ReturnKind.BULK)), batch_id=shipped[20].pk)
    # then one move into each batch
    moves = StockMove.objects.filter(kind=StockMove.Kind.RETURNED).order_by("pk")
    assert [move.batch for move in moves] == [shipped[30], shipped[20]]


def test_o63_no_more_comes_back_into_a_batch_than_shipped_from_it(roles):
    """O-63: a split's smaller batch takes back at most what left of it: refused, nothing
    booked, no move."""
    product = stocked_product()
    order = split_order(product)
    smaller = Reservation.objects.get(order=order, quantity=20).batch
    goods_return = approved(coming_back(order, "25", ReturnKind.BULK))
    with pytest.raises(ValidationError) as refused:
        booked_in(goods_return, batch_id=smaller.pk)
    assert str(MORE_THAN_SHIPPED).split("%")[0][:10] in refused.value.messages[0]
    assert "25" in refused.value.messages[0]
    goods_return.refresh_from_db()
    assert goods_return.received_at is None
    assert not StockMove.objects.filter(kind=StockMove.Kind.RETURNED).exists()


def test_o63_a_refused_booking_writes_no_move(roles):
    """O-63: the warehouse refuses goods without approval: no stock move, nothing booked."""
    product = stocked_product()
    batch = batch_received(product, "B-1", "30")
    goods_return = coming_back(shipped_order(product), "4", ReturnKind.BULK)
    with pytest.raises(ValidationError) as refused:
        booked_in(goods_return)
    assert refused.value.messages[0].startswith(str(NOT_APPROVED).split("%")[0])
    assert not StockMove.objects.filter(kind=StockMove.Kind.RETURNED).exists()
    batch.refresh_from_db()
    assert batch.on_hand == Decimal("20.000")


def test_o63_sellable_goods_are_refused_into_a_damaged_place(roles):
    """O-63: grade and place go together: sellable goods put in a damaged place are refused,
    and the booking with them (no move, no grade written)."""
    product = stocked_product()
    batch_received(product, "B-1", "30")
    damaged = location("X-01", Location.Kind.DAMAGED)
    goods_return = approved(coming_back(shipped_order(product), "4", ReturnKind.BULK))
    with pytest.raises(ValidationError) as refused:
        booked_in(goods_return, condition=ReturnCondition.SELLABLE, location_id=damaged.pk)
    assert str(WRONG_PLACE).split("%")[0][:5] in refused.value.messages[0]
    assert "X-01" in refused.value.messages[0]
    goods_return.refresh_from_db()
    assert goods_return.received_at is None and goods_return.lines.get().condition == ""
    assert not StockMove.objects.filter(kind=StockMove.Kind.RETURNED).exists()


def test_o62_products_not_kept_in_stock_come_back_with_no_move(roles):
    """O-62: a product not kept by batch is booked in (the warehouse receipt), with no move."""
    order = walked_to(scenario("supermarket", install=True, terms=PaymentTerms.CONTRACT),
                      "warranty_card")  # fmt: skip
    goods_return = booked_in(coming_back(order, "1"), condition=ReturnCondition.DAMAGED)
    assert goods_return.received_at is not None
    assert goods_return.lines.get().condition == ReturnCondition.DAMAGED
    assert not StockMove.objects.exists()


def test_o63_the_warehouse_grades_a_return_on_the_order_page(client, roles):
    """O-63: the order page's booking-in form carries the grading (its warehouse part), and
    posting it books each line into its grade's place."""
    # given an approved bulk return and a damaged place
    product = stocked_product()
    batch = batch_received(product, "B-1", "30")
    damaged = location("X-01", Location.Kind.DAMAGED)
    goods_return = approved(coming_back(shipped_order(product), "4", ReturnKind.BULK))
    line = goods_return.lines.get()
    client.force_login(staff(Role.WAREHOUSE))
    # when the warehouse opens the grading form and posts it
    form = client.get(reverse("warehouse-return-grading", args=[goods_return.pk]))
    assert f'name="condition-{line.pk}"' in form.text and "X-01" in form.text
    client.post(
        reverse("return-action", args=[goods_return.pk, "receive"]),
        {f"condition-{line.pk}": "damaged", f"location-{line.pk}": str(damaged.pk)},
    )  # fmt: skip
    # then the goods are in X-01, of their batch
    assert StockLevel.objects.get(batch=batch, location=damaged).on_hand == Decimal("4")


def test_the_grading_form_is_the_warehouses(client, roles):
    """A dealer's or clerk's user does not get the warehouse's grading form."""
    product = stocked_product()
    batch_received(product, "B-1", "30")
    goods_return = coming_back(shipped_order(product), "4", ReturnKind.BULK)
    client.force_login(staff(Role.CLERK))
    assert (
        client.get(reverse("warehouse-return-grading", args=[goods_return.pk])).status_code == 403
    )
