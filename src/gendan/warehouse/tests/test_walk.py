"""One order walked through the pages, each step by its own role: goods received by batch,
reserved at the delivery note, picked and shipped, a part of it returned and booked back in."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import GoodsReturn, Order, PaymentTerms, ReturnCondition, ReturnKind
from gendan.orders.returns import APPROVERS, NOT_APPROVED
from gendan.orders.tests.helpers import scenario, staff
from gendan.testing import in_chinese
from gendan.warehouse.models import Batch, Package, Reservation, StockMove
from gendan.warehouse.services.picking import CHECKS
from gendan.warehouse.services.recount import stock_recount
from gendan.warehouse.tests.helpers import location, stocked_product

pytestmark = pytest.mark.django_db


def as_role(role: Role) -> Client:
    client = Client()
    client.force_login(staff(role))
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def receipt_form(product, *lines: tuple[str, str, str]) -> dict[str, str]:
    """The receipt page's form: one row per (batch number, quantity, boxes)."""
    data = {
        "source": "production", "warehouse": str(location().warehouse.pk), "supplier": "",
        "note": "", "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "200",
    }  # fmt: skip
    for row, (number, quantity, packages) in enumerate(lines):
        data |= {f"lines-{row}-{name}": value for name, value in {
            "product": str(product.pk), "batch_number": number, "produced_on": "2026-11-20",
            "grade": "", "colour": "", "quantity": quantity, "packages": packages,
            "location": str(location().pk), "lengths_m": "",
        }.items()}  # fmt: skip
    return data


def sign(client: Client, order: Order, step: str, **record: str) -> str:
    fields = {f"record-{name}": value for name, value in record.items()}
    return text(client.post(reverse("order-step", args=[order.pk, step]), fields, follow=True))


def batch_row(page: str, batch: Batch) -> list[str]:
    """The stock page's row of the batch: on hand, reserved, available."""
    row = re.search(rf">{batch.number}</a></td>(.*?)</tr>", page, re.S).group(1)
    return re.findall(r"<td>([\d.]+)</td>", row)


def boxes_scanned(client: Client, order: Order, *boxes: Package) -> list[str]:
    """Each box's code typed on the phone's pick page: the lines it sends back."""
    url = reverse("warehouse-pick-scan", args=[order.pk])
    hx = {"HX-Request": "true"}
    return [text(client.post(url, {"code": box.code}, headers=hx)) for box in boxes]


def approved_in_turn(goods_return: GoodsReturn, warehouse: Client) -> str:
    """O-63's approvers on the order page, in order; the warehouse tries to book the goods in
    before the general manager has signed: what the order page then says."""
    url = lambda action: reverse("return-action", args=[goods_return.pk, action])  # noqa: E731
    for role in APPROVERS[:-1]:
        as_role(role).post(url("approve"), {"role": role})
    early = text(warehouse.post(url("receive"), {"inspection": "完好"}, follow=True))
    as_role(APPROVERS[-1]).post(url("approve"), {"role": APPROVERS[-1]})
    return early


def test_o58_an_order_walked_from_receipt_to_shipment_to_return(roles):
    """O-58: from the receipt page to the return's booking-in, through the pages: two batches
    received and labelled; the delivery note reserves the order from the one batch it leaves
    the least of; picking refuses the other batch's box (O-18) and the ship step writes the
    SHIPPED moves (O-20); a bulk return, refused by the warehouse until approved in O-63's
    order, comes back sellable into its batch (O-62/O-63); the figures agree with the ledger."""
    product = stocked_product()
    warehouse, clerk = as_role(Role.WAREHOUSE), as_role(Role.CLERK)
    # 1. the warehouse receives 12 m² of B-SNUG in 3 boxes and 100 m² of B-BIG in 5; labels
    made = warehouse.post(
        reverse("warehouse-receipt-create"),
        receipt_form(product, ("B-SNUG", "12", "3"), ("B-BIG", "100", "5")),
        follow=True,
    )
    snug, big = (Batch.objects.get(product=product, number=n) for n in ("B-SNUG", "B-BIG"))
    assert "B-SNUG" in text(made) and "B-BIG" in text(made)
    labels = warehouse.get(made.redirect_chain[-1][0] + "labels.pdf")
    assert labels.content.startswith(b"%PDF")
    # 2. a homeowner's 10 m² through a supermarket; the clerk signs its delivery note
    order = scenario("supermarket", terms=PaymentTerms.CONTRACT, product=product, quantity="10")
    order = walked_to(order, "delivery_note")
    panel = reverse("warehouse-order-panel", args=[order.pk])
    assert "B-SNUG" not in text(clerk.get(panel))
    sign(clerk, order, "delivery_note", delivery_booked_for="2026-12-01",
         booked_with="业主 陈", payment_reconfirmed="on")  # fmt: skip
    held = Reservation.objects.get(order=order)
    assert (held.batch, held.quantity) == (snug, Decimal("10"))  # leaves 2 m², not 92
    assert "B-SNUG" in text(clerk.get(panel)) and "B-BIG" not in text(clerk.get(panel))
    # 3. the warehouse picks: B-BIG's box refused, naming both batches; then B-SNUG's boxes
    order = walked_to(Order.objects.get(pk=order.pk), "ship")
    assert order.number in text(warehouse.get(reverse("warehouse-work")))
    assert "B-SNUG" in text(warehouse.get(reverse("warehouse-order-pick", args=[order.pk])))
    [wrong] = boxes_scanned(warehouse, order, Package.objects.filter(batch=big).first())
    assert 'role="alert"' in wrong and "B-BIG" in wrong and "B-SNUG" in wrong
    picked = boxes_scanned(warehouse, order, *Package.objects.filter(batch=snug))
    assert not any('role="alert"' in lines for lines in picked)
    checks = {"product": str(product.pk), **dict.fromkeys(CHECKS, "on"), "note": ""}
    warehouse.post(reverse("warehouse-pick-check", args=[order.pk]), checks)
    sign(warehouse, order, "ship", signed_out_by="司机 王师傅")
    shipped = StockMove.objects.get(kind=StockMove.Kind.SHIPPED)
    assert (shipped.batch, shipped.quantity, shipped.order) == (snug, Decimal("10"), order)
    stock = text(warehouse.get(reverse("warehouse-stock-product", args=[product.pk])))
    assert (batch_row(stock, snug), batch_row(stock, big)) == (["2", "0", "2"], ["100", "0", "100"])
    # 4. delivered; 3 m² come back (a bulk return recorded by the clerk on the order page)
    order = walked_to(Order.objects.get(pk=order.pk), "note_returned")
    clerk.post(reverse("return-record", args=[order.pk]), {
        "kind": ReturnKind.BULK, "reason": "多订了", f"quantity-{order.lines.get().pk}": "3",
    })  # fmt: skip
    goods_return = GoodsReturn.objects.get(order=order)
    early = approved_in_turn(goods_return, warehouse)
    assert in_chinese(NOT_APPROVED).split("%")[0] in early
    assert not StockMove.objects.filter(kind=StockMove.Kind.RETURNED).exists()
    line = goods_return.lines.get()
    form = text(warehouse.get(reverse("warehouse-return-grading", args=[goods_return.pk])))
    assert f'name="condition-{line.pk}"' in form
    warehouse.post(
        reverse("return-action", args=[goods_return.pk, "receive"]),
        {"inspection": "完好", f"condition-{line.pk}": ReturnCondition.SELLABLE},
    )
    returned = StockMove.objects.get(kind=StockMove.Kind.RETURNED)
    assert (returned.batch, returned.quantity) == (snug, Decimal("3"))
    moves = text(warehouse.get(reverse("warehouse-stock-batch", args=[snug.pk])))
    assert in_chinese(StockMove.Kind.RETURNED.label) in moves and str(goods_return) in moves
    stock = text(warehouse.get(reverse("warehouse-stock-product", args=[product.pk])))
    assert batch_row(stock, snug) == ["5", "0", "5"]
    assert stock_recount() == []


def api_post(client: Client, url: str, body: dict):
    return client.post(f"/api{url}", body, content_type="application/json")


def test_o58_the_same_walk_to_shipment_through_the_api(roles):
    """O-58 in the API: received by batch, reserved from the snug batch at the delivery note,
    the other batch's box refused (422), picked and checked (O-18), shipped (O-20)."""
    product = stocked_product()
    warehouse, clerk = as_role(Role.WAREHOUSE), as_role(Role.CLERK)
    line = {"product_id": product.pk, "produced_on": "2026-11-20", "location_id": location().pk}
    made = api_post(warehouse, "/warehouse/receipts", {
        "source": "production", "warehouse_id": location().warehouse.pk, "lines": [
            line | {"batch_number": "B-SNUG", "quantity": "12", "packages": 3},
            line | {"batch_number": "B-BIG", "quantity": "100", "packages": 5},
        ]})  # fmt: skip
    assert made.status_code == 201, made.content
    codes = [label["code"] for label in made.json()["labels"]]  # B-SNUG's 3, then B-BIG's 5
    assert warehouse.get(made.json()["labels_url"]).content.startswith(b"%PDF")
    order = walked_to(
        scenario("supermarket", terms=PaymentTerms.CONTRACT, product=product, quantity="10"),
        "delivery_note",
    )
    note = {"delivery_booked_for": "2026-12-01", "booked_with": "业主 陈"}
    signed = api_post(clerk, f"/orders/{order.pk}/steps/delivery_note",
                      {"record": note | {"payment_reconfirmed": True}})  # fmt: skip
    assert signed.status_code == 200, signed.content
    held = clerk.get(f"/api/warehouse/orders/{order.pk}/reservations").json()
    assert [(r["batch"], r["quantity"]) for r in held] == [("B-SNUG", "10.000")]
    order = walked_to(Order.objects.get(pk=order.pk), "ship")
    picks = f"/warehouse/orders/{order.pk}/picks"
    wrong = api_post(warehouse, picks, {"code": codes[3]})
    assert wrong.status_code == 422 and "B-BIG" in wrong.text and "B-SNUG" in wrong.text
    right = [api_post(warehouse, picks, {"code": code}).status_code for code in codes[:3]]
    assert right == [201, 201, 201]
    checks = {"product_id": product.pk, **dict.fromkeys(CHECKS, True)}
    assert api_post(warehouse, f"/warehouse/orders/{order.pk}/checks", checks).status_code == 201
    signed = api_post(
        warehouse, f"/orders/{order.pk}/steps/ship", {"record": {"signed_out_by": "司机"}}
    )
    assert signed.status_code == 200, signed.content
    snug = Batch.objects.get(number="B-SNUG")
    batch = warehouse.get(f"/api/warehouse/batches/{snug.pk}").json()
    figures = [Decimal(batch[name]) for name in ("on_hand", "reserved", "available")]
    assert figures == [Decimal("2"), Decimal("0"), Decimal("2")]
    assert (batch["moves"][0]["kind"], batch["moves"][0]["document"]) == ("shipped", order.number)
    assert stock_recount() == []
