"""Stock counts: the books taken when the count starts, counted quantities, a second person
approves (the differences booked as COUNTED moves with their reasons) or rejects."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.orders.tests.helpers import scenario, staff
from gendan.warehouse.models import StockCount, StockLevel, StockMove
from gendan.warehouse.services.counts import (
    LINE_FOREIGN,
    MOVED_SINCE,
    NOT_ALL_COUNTED,
    SAME_PERSON,
    Entry,
    stock_count_approve,
    stock_count_enter,
    stock_count_reject,
    stock_count_start,
    stock_count_submit,
)
from gendan.warehouse.services.ledger import HELD_FOR_ORDERS
from gendan.warehouse.services.moves import stock_move
from gendan.warehouse.services.recount import stock_differences
from gendan.warehouse.services.reservations import order_reserve
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product

pytestmark = pytest.mark.django_db


def client_of(role: Role) -> Client:
    client = Client()
    client.force_login(staff(role))
    return client


def counted(count: StockCount, *figures: tuple[str, str]) -> StockCount:
    """The warehouse types each line's figure (and reason), in the order of the lines."""
    lines = count.lines.order_by("pk")
    entries = [
        Entry(line_id=line.pk, counted=Decimal(number), reason=reason)
        for line, (number, reason) in zip(lines, figures, strict=True)
    ]
    stock_count_enter(actor=staff(Role.WAREHOUSE), count=count, entries=entries)
    return stock_count_submit(actor=staff(Role.WAREHOUSE), count=count)


def level_of(batch, place) -> Decimal:
    return StockLevel.objects.get(batch=batch, location=place).on_hand


def test_a_count_takes_the_books_of_the_warehouse_as_they_are(roles):
    # given two batches in two places
    product = stocked_product()
    a, b = location("A-01"), location("B-01")
    batch_received(product, "B-1", "100", place=a)
    batch_received(product, "B-2", "40", place=b)
    # when a count of A-01 alone starts
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=a.warehouse, location=a)
    # then it has one line, with the books' 100
    [line] = count.lines.all()
    assert (line.batch.number, line.location, line.expected) == ("B-1", a, Decimal("100"))
    assert AuditEvent.objects.filter(action="stock.count_started").count() == 1


def test_the_person_who_counted_cannot_approve(roles):
    # given a count the general manager counted and submitted (a role that may approve)
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    manager = staff(Role.GENERAL_MANAGER)
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=location().warehouse)
    line = count.lines.get()
    stock_count_enter(actor=manager, count=count, entries=[Entry(line.pk, Decimal("90"), "破损")])
    stock_count_submit(actor=staff(Role.WAREHOUSE), count=count)
    # when the same manager approves it
    with pytest.raises(ValidationError) as refused:
        stock_count_approve(actor=manager, count=count)
    # then it is refused and nothing is booked
    assert refused.value.messages == [str(SAME_PERSON)]
    assert level_of(batch, location()) == Decimal("100")
    assert StockCount.objects.get(pk=count.pk).state == StockCount.State.SUBMITTED
    assert not StockMove.objects.filter(kind=StockMove.Kind.COUNTED).exists()


def test_approval_books_each_difference_as_a_counted_move_with_its_reason(roles):
    # given two batches counted, one short by 3, one over by 2
    product = stocked_product()
    short = batch_received(product, "B-SHORT", "100")
    over = batch_received(product, "B-OVER", "50")
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=location().warehouse)
    lines = {line.batch_id: line for line in count.lines.all()}
    assert set(lines) == {short.pk, over.pk}
    stock_count_enter(actor=staff(Role.WAREHOUSE), count=count, entries=[
        Entry(lines[short.pk].pk, Decimal("97"), "三箱受潮"),
        Entry(lines[over.pk].pk, Decimal("52"), "上次少记"),
    ])  # fmt: skip
    stock_count_submit(actor=staff(Role.WAREHOUSE), count=count)
    # when finance approves
    stock_count_approve(actor=staff(Role.FINANCE), count=count)
    # then the levels and the batches' on hand follow, each with a COUNTED move
    assert level_of(short, location()) == Decimal("97")
    assert level_of(over, location()) == Decimal("52")
    short.refresh_from_db()
    assert short.on_hand == Decimal("97")
    moves = StockMove.objects.filter(kind=StockMove.Kind.COUNTED, count=count)
    assert {(m.batch_id, m.quantity, m.reason, m.from_location_id is None) for m in moves} == {
        (short.pk, Decimal("3"), "三箱受潮", False),
        (over.pk, Decimal("2"), "上次少记", True),
    }
    count.refresh_from_db()
    assert (count.state, count.decided_by) == (StockCount.State.BOOKED, staff(Role.FINANCE))
    assert stock_differences() == []  # the figures still agree with the ledger


def test_a_difference_without_a_reason_cannot_be_submitted(roles):
    product = stocked_product()
    batch_received(product, "B-1", "100")
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=location().warehouse)
    with pytest.raises(ValidationError) as refused:
        counted(count, ("99", ""))
    assert "B-1" in refused.value.messages[0] and "99" in refused.value.messages[0]
    assert StockCount.objects.get(pk=count.pk).state == StockCount.State.OPEN


def test_every_line_is_counted_before_submitting(roles):
    product = stocked_product()
    batch_received(product, "B-1", "100")
    batch_received(product, "B-2", "10")
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=location().warehouse)
    first = count.lines.order_by("pk").first()
    stock_count_enter(actor=staff(Role.WAREHOUSE), count=count, entries=[
        Entry(first.pk, Decimal("100"))
    ])  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        stock_count_submit(actor=staff(Role.WAREHOUSE), count=count)
    assert refused.value.messages == [str(NOT_ALL_COUNTED % {"missing": 1})]


def test_goods_moved_after_the_count_began_refuse_the_approval(roles):
    # given a count of B-1, then 10 of it moved to the seconds before approval
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=location().warehouse)
    stock_move(
        actor=staff(Role.WAREHOUSE), batch=batch, quantity=Decimal("10"),
        from_location=location(), to_location=location("S-01", "seconds"), reason="色差",
    )  # fmt: skip
    counted(count, ("95", "少了"))
    # when finance approves, then it is refused naming the place, and nothing is booked
    with pytest.raises(ValidationError) as refused:
        stock_count_approve(actor=staff(Role.FINANCE), count=count)
    assert refused.value.messages == [str(MOVED_SINCE % {"places": f"B-1 @ {location()}"})]
    assert level_of(batch, location()) == Decimal("90")
    assert not StockMove.objects.filter(kind=StockMove.Kind.COUNTED).exists()


def test_a_shortfall_counted_cannot_eat_into_what_open_orders_hold(roles):
    # given 100 of B-1, 80 reserved for an order, and 30 counted
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    order_reserve(
        order=scenario("project", product=product, quantity="80"), actor=staff(Role.CLERK)
    )
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=location().warehouse)
    counted(count, ("30", "丢失"))
    # when approved, then the ledger refuses: the reservation must be dealt with first
    with pytest.raises(ValidationError) as refused:
        stock_count_approve(actor=staff(Role.FINANCE), count=count)
    batch.refresh_from_db()
    held = {"batch": "B-1", "reserved": batch.reserved, "asked": Decimal("70.000"),
            "unit": product.get_unit_display()}  # fmt: skip
    assert refused.value.messages == [str(HELD_FOR_ORDERS % held)]
    assert (batch.on_hand, batch.reserved) == (Decimal("100"), Decimal("80"))
    assert StockCount.objects.get(pk=count.pk).state == StockCount.State.SUBMITTED


def test_a_rejected_count_books_nothing(roles):
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=location().warehouse)
    counted(count, ("60", "不知道"))
    with pytest.raises(ValidationError):
        stock_count_reject(actor=staff(Role.FINANCE), count=count, reason=" ")
    stock_count_reject(actor=staff(Role.FINANCE), count=count, reason="差太多，重盘")
    count.refresh_from_db()
    assert (count.state, count.decision_note) == (StockCount.State.REJECTED, "差太多，重盘")
    assert level_of(batch, location()) == Decimal("100")
    assert AuditEvent.objects.filter(action="stock.count_rejected").count() == 1


def test_a_count_through_its_pages_counted_on_the_phone_and_approved_by_finance(roles):
    # given 100 of B-1
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    warehouse, finance = client_of(Role.WAREHOUSE), client_of(Role.FINANCE)
    # when the warehouse starts a count, types 98 with a reason and submits
    response = warehouse.post(
        reverse("warehouse-count-start"), {"warehouse": location().warehouse.pk}
    )
    count = StockCount.objects.get()
    assert response.url == reverse("warehouse-count", args=[count.pk])
    line = count.lines.get()
    page = warehouse.get(response.url).content.decode()
    assert f'name="counted-{line.pk}"' in page and 'inputmode="decimal"' in page
    warehouse.post(reverse("warehouse-count-lines", args=[count.pk]), {
        f"counted-{line.pk}": "98", f"reason-{line.pk}": "两块破损", "submit": "yes",
    })  # fmt: skip
    # then finance sees the approval, confirms it, and the stock follows
    page = finance.get(reverse("warehouse-count", args=[count.pk])).content.decode()
    assert reverse("warehouse-count-approve", args=[count.pk]) in page
    confirm = finance.post(reverse("warehouse-count-approve", args=[count.pk]))
    assert "两块破损" in confirm.content.decode() and level_of(batch, location()) == 100
    finance.post(reverse("warehouse-count-approve", args=[count.pk]), {"confirmed": "yes"})
    assert level_of(batch, location()) == Decimal("98")
    moves_page = client_of(Role.WAREHOUSE).get(reverse("warehouse-stock-batch", args=[batch.pk]))
    assert f"PD-{count.pk}" in moves_page.content.decode()


def test_a_count_typed_with_a_word_for_a_figure_changes_nothing(roles):
    product = stocked_product()
    batch_received(product, "B-1", "100")
    count = stock_count_start(actor=staff(Role.WAREHOUSE), warehouse=location().warehouse)
    line = count.lines.get()
    warehouse = client_of(Role.WAREHOUSE)
    response = warehouse.post(
        reverse("warehouse-count-lines", args=[count.pk]), {f"counted-{line.pk}": "九十"},
        follow=True,
    )  # fmt: skip
    assert "九十" in response.content.decode()
    line.refresh_from_db()
    assert line.counted is None


def test_a_count_through_the_api(roles):
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    warehouse, finance = client_of(Role.WAREHOUSE), client_of(Role.FINANCE)
    made = warehouse.post(
        "/api/warehouse/counts", {"warehouse_id": location().warehouse.pk},
        content_type="application/json",
    ).json()  # fmt: skip
    line = made["lines"][0]
    assert (line["batch"], line["expected"], line["counted"]) == ("B-1", "100", None)
    api = f"/api/warehouse/counts/{made['id']}"
    entered = warehouse.post(
        f"{api}/lines", {"lines": [{"id": line["id"], "counted": "101", "reason": "多一箱"}]},
        content_type="application/json",
    )  # fmt: skip
    assert entered.status_code == 200
    assert warehouse.post(f"{api}/submit").json()["state"] == "submitted"
    assert warehouse.post(f"{api}/approve").status_code == 403  # the warehouse may not
    assert finance.post(f"{api}/approve").json()["state"] == "booked"
    listed = finance.get("/api/warehouse/counts", {"state": "booked"}).json()["items"]
    assert [(row["label"], row["state"]) for row in listed] == [(made["label"], "booked")]
    assert level_of(batch, location()) == Decimal("101")


def test_a_line_of_another_count_sent_through_the_api_changes_nothing(roles):
    product = stocked_product()
    batch_received(product, "B-1", "100")
    batch_received(product, "B-2", "10", place=location("B-01"))
    warehouse = staff(Role.WAREHOUSE)
    ours = stock_count_start(actor=warehouse, warehouse=location().warehouse, location=location())
    theirs = stock_count_start(
        actor=warehouse, warehouse=location().warehouse, location=location("B-01")
    )
    foreign = theirs.lines.get()
    response = client_of(Role.WAREHOUSE).post(
        f"/api/warehouse/counts/{ours.pk}/lines",
        {"lines": [{"id": foreign.pk, "counted": "0", "reason": "清零"}]},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == str(LINE_FOREIGN)
    foreign.refresh_from_db()
    assert foreign.counted is None
