"""Goods received by batch (issue 13, point 2): the service, the pages, the .xlsx import, the
API and the labels; O-59, every roll of foam labelled with its length."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from barcode.charsets import code128
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.documents.tests.helpers import needs_poppler, pdf_pages
from gendan.orders.tests.helpers import listed_product, staff
from gendan.warehouse import labels
from gendan.warehouse.labels import barcode_svg
from gendan.warehouse.models import (
    Batch,
    GoodsReceipt,
    Location,
    Package,
    StockLevel,
    StockMove,
    Warehouse,
)
from gendan.warehouse.receiving_import import template_workbook
from gendan.warehouse.services.receiving import (
    FOAM_LENGTHS_MISSING,
    FOAM_LENGTHS_SUM,
    LOCATION_FOREIGN,
    NOT_STOCKED,
    PRODUCED_DIFFERS,
    PRODUCED_FUTURE,
    SUPPLIER_MISSING,
    ReceiptLineInput,
    receipt_create,
)
from gendan.warehouse.tests.helpers import location, stocked_product

pytestmark = pytest.mark.django_db
PRODUCED = dt.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _roles(roles: None) -> None:
    """The role groups hold the warehouse's permissions."""


def clerk():
    return staff(Role.WAREHOUSE)


def line(product, number="B1120", quantity="23.605", packages=10, **fields) -> ReceiptLineInput:
    values = {
        "product": product, "batch_number": number, "produced_on": PRODUCED, "grade": "",
        "quantity": Decimal(quantity), "packages": packages, "location": location(),
    }  # fmt: skip
    return ReceiptLineInput(**(values | fields))


def received(*lines: ReceiptLineInput, **fields) -> GoodsReceipt:
    values = {"source": "production", "warehouse": location().warehouse} | fields
    return receipt_create(actor=clerk(), lines=list(lines), **values)


def foam(unit: str = "metre"):
    return stocked_product(category="foam", unit=unit, name="3mm防潮地垫膜", sku="FM-3")


def counts() -> tuple[int, ...]:
    models = (GoodsReceipt, Batch, Package, StockMove, StockLevel, AuditEvent)
    return tuple(model.objects.count() for model in models)


# ---- the service ---------------------------------------------------------------------------


def test_a_receipt_makes_its_batch_labels_and_moves_in_one_go() -> None:
    # given a stocked floor
    product = stocked_product(colour_code="T-601", grade="first")
    # when ten boxes of one batch are received from production
    receipt = received(line(product, colour="t-601"))
    # then the receipt has the day's first number, the batch holds the goods where they went
    today = timezone.localdate()
    assert receipt.number == f"SC-{today:%Y%m%d}-001"
    batch = Batch.objects.get(product=product, number="B1120")
    assert (batch.on_hand, batch.produced_on, batch.grade) == (Decimal("23.605"), PRODUCED, "first")
    assert StockLevel.objects.get(batch=batch, location=location()).on_hand == Decimal("23.605")
    # each box has its label: equal shares to the thousandth, the last takes the rest
    packages = list(Package.objects.filter(batch=batch).order_by("code"))
    assert [p.quantity for p in packages] == [Decimal("2.360")] * 9 + [Decimal("2.365")]
    assert packages[0].code == f"{receipt.number}-01-001"
    assert packages[-1].code == f"{receipt.number}-01-010"
    # and the ledger says where the goods came from, under the receipt's number
    move = StockMove.objects.get(batch=batch)
    assert (move.kind, move.document, move.receipt, move.to_location) == (
        StockMove.Kind.RECEIVED_PRODUCTION, receipt.number, receipt, location()
    )  # fmt: skip
    assert AuditEvent.objects.filter(action="stock.received", target_id=str(receipt.pk)).exists()


def test_the_same_batch_number_of_a_product_is_the_same_batch_again() -> None:
    product = stocked_product()
    first = received(line(product, quantity="10", packages=2))
    second = received(line(product, quantity="5", packages=1), source="purchase", supplier="竹源")
    assert Batch.objects.filter(product=product).count() == 1
    assert Batch.objects.get(product=product).on_hand == Decimal("15")
    # each source numbers its own receipts: 生产入库 SC-, 采购入库 CG-
    assert second.number == first.number.replace("SC-", "CG-")
    assert StockMove.objects.get(receipt=second).kind == StockMove.Kind.RECEIVED_PURCHASE


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"produced_on": dt.date(2099, 1, 1)}, "lines.1.produced_on", PRODUCED_FUTURE),
        ({"location": "elsewhere"}, "lines.1.location", LOCATION_FOREIGN),
        ({"product": "not stocked"}, "lines.1.product", NOT_STOCKED),
        ({"source": "purchase"}, "supplier", SUPPLIER_MISSING),
    ],
)
def test_a_bad_receipt_is_refused_whole_and_nothing_changes(change, field, message) -> None:
    # given a good line and a bad one
    product = stocked_product()
    if change.get("location") == "elsewhere":
        other = Warehouse.objects.create(code="WH2", name="分仓")
        change["location"] = Location.objects.create(warehouse=other, code="X-1")
    if change.get("product") == "not stocked":
        change["product"] = listed_product(stocked=False)
    source = change.pop("source", "production")
    before = counts()
    # when it is received
    with pytest.raises(ValidationError) as refused:
        bad = line(change.pop("product", product), **change)
        received(line(product, number="OK1"), bad, source=source)
    # then the message says what is wrong, and no batch, label, move or receipt was made
    expected = str(message).split("%")[0]
    assert any(m.startswith(expected) for m in refused.value.message_dict[field])
    assert counts() == before


def test_a_known_batch_number_with_another_production_day_is_refused() -> None:
    product = stocked_product()
    received(line(product))
    with pytest.raises(ValidationError) as refused:
        received(line(product, produced_on=PRODUCED - dt.timedelta(days=3)))
    message = PRODUCED_DIFFERS % {
        "batch": "B1120", "product": product, "known": PRODUCED,
        "given": PRODUCED - dt.timedelta(days=3),
    }  # fmt: skip
    assert refused.value.message_dict["lines.0.produced_on"] == [message]


def test_o59_every_roll_of_foam_must_give_its_length() -> None:
    """O-59: a roll of moisture-proof foam is received only with its length, one per roll;
    counted in metres, the lengths add up to the quantity; each roll's label carries it."""
    product = foam()
    before = counts()
    with pytest.raises(ValidationError) as refused:
        received(line(product, quantity="100", packages=2))
    missing = FOAM_LENGTHS_MISSING % {"rolls": 2, "given": 0}
    assert refused.value.message_dict["lines.0.lengths_m"] == [missing]
    lengths = [Decimal("50"), Decimal("48.5")]
    with pytest.raises(ValidationError) as refused:
        received(line(product, quantity="100", packages=2, lengths_m=lengths))
    wrong_sum = FOAM_LENGTHS_SUM % {"total": Decimal("98.5"), "quantity": Decimal("100")}
    assert refused.value.message_dict["lines.0.lengths_m"] == [wrong_sum]
    assert counts() == before
    received(line(product, quantity="98.5", packages=2, lengths_m=lengths))
    rolls = Package.objects.filter(batch__product=product).order_by("code")
    assert [(p.quantity, p.length_m) for p in rolls] == [
        (Decimal("50"), Decimal("50.00")), (Decimal("48.5"), Decimal("48.50"))
    ]  # fmt: skip


# ---- the labels ----------------------------------------------------------------------------


def code128_read(svg: str) -> str:
    """The text a scanner reads from the barcode's bars: widths in modules, 11 a symbol
    (the stop 13), decoded in sets B and C, the checksum checked."""
    bars = [(int(start), int(width)) for start, width in re.findall(r"M(\d+) 0h(\d+)", svg)]
    pattern, end = "", bars[0][0]
    for start, width in bars:
        pattern += "0" * (start - end) + "1" * width
        end = start + width
    symbols = [pattern[i : i + 11] for i in range(0, len(pattern) - 13, 11)]
    values = [code128.CODES.index(symbol) for symbol in symbols]
    checksum = (values[0] + sum(i * v for i, v in enumerate(values[1:-1], start=1))) % 103
    assert values[-1] == checksum
    by_b = {value: char for char, value in code128.B.items()}
    text, charset = "", {104: "B", 105: "C"}[values[0]]
    for value in values[1:-1]:
        if charset == "C" and value < 100:
            text += f"{value:02d}"
        elif value in (99, 100):
            charset = "C" if value == 99 else "B"
        else:
            text += by_b[value]
    return text


def test_a_label_barcode_reads_back_as_the_package_code() -> None:
    for code in ("SC-20261203-001-01-007", "CG-20261203-123-12-1999"):
        assert code128_read(barcode_svg(code)) == code


@needs_poppler
def test_labels_pdf_has_one_page_a_roll_with_batch_and_length() -> None:
    """O-59: the foam roll's label shows its length."""
    product = foam()
    receipt = received(
        line(product, number="F1118", quantity="62.5", packages=2,
             lengths_m=[Decimal("12.5"), Decimal("50")])
    )  # fmt: skip
    client = logged_in(clerk())
    response = client.get(reverse("warehouse-receipt-labels", args=[receipt.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 2
    assert "批号" in pages[0] and "F1118" in pages[0] and "3mm防潮地垫膜" in pages[0]
    assert "12.50 m" in pages[0] and "50.00 m" in pages[1]
    assert f"{receipt.number}-01-002" in pages[1]
    assert b"<svg" not in response.content  # drawn into the PDF, not left as text
    # a line's labels alone, for a large delivery printed line by line
    one = client.get(reverse("warehouse-receipt-labels", args=[receipt.pk]), {"line": "1"})
    assert len(pdf_pages(one.content)) == 2
    none = client.get(reverse("warehouse-receipt-labels", args=[receipt.pk]), {"line": "9"})
    assert none.status_code == 404


# ---- the pages -----------------------------------------------------------------------------


def logged_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def form_data(product, **line_fields) -> dict[str, str]:
    data = {
        "source": "production", "warehouse": str(location().warehouse.pk), "supplier": "",
        "note": "", "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "200",
        "lines-0-product": str(product.pk), "lines-0-batch_number": "B1120",
        "lines-0-produced_on": "2026-11-20", "lines-0-grade": "", "lines-0-colour": "",
        "lines-0-quantity": "23.6", "lines-0-packages": "10",
        "lines-0-location": str(location().pk), "lines-0-lengths_m": "",
    }  # fmt: skip
    return data | {f"lines-0-{name}": value for name, value in line_fields.items()}


def test_the_receipt_form_receives_the_goods_and_shows_the_receipt() -> None:
    product = stocked_product()
    client = logged_in(clerk())
    assert client.get(reverse("warehouse-receipt-create")).status_code == 200
    response = client.post(reverse("warehouse-receipt-create"), form_data(product), follow=True)
    receipt = GoodsReceipt.objects.get()
    assert response.redirect_chain[-1][0] == reverse("warehouse-receipt-detail", args=[receipt.pk])
    assert receipt.number in response.content.decode()
    assert "B1120" in response.content.decode()


def test_the_receipt_form_with_a_foam_roll_lacking_its_length_changes_nothing() -> None:
    """O-59: the page refuses the roll without its length, on the line's field."""
    product = foam(unit="roll")
    client = logged_in(clerk())
    before = counts()
    response = client.post(
        reverse("warehouse-receipt-create"), form_data(product, quantity="3", packages="3")
    )
    assert response.status_code == 200
    assert str(FOAM_LENGTHS_MISSING % {"rolls": 3, "given": 0}) in response.content.decode()
    assert counts() == before


def test_the_receipts_list_finds_by_batch_and_filters_by_source() -> None:
    product = stocked_product()
    made = received(line(product, number="FIND-ME"))
    other = received(line(product, number="OTHER"), source="purchase", supplier="竹源")
    client = logged_in(staff(Role.CLERK))
    page = client.get(reverse("warehouse-receipt-list"), {"q": "find-me"}).content.decode()
    assert made.number in page and other.number not in page
    page = client.get(reverse("warehouse-receipt-list"), {"source": "purchase"}).content.decode()
    assert other.number in page and made.number not in page


# ---- the .xlsx import ----------------------------------------------------------------------


def workbook(rows: list[list]) -> SimpleUploadedFile:
    book = load_workbook(io.BytesIO(template_workbook()))
    sheet = book.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("入库.xlsx", out.getvalue())


def import_post(client, upload) -> object:
    data = {"source": "production", "warehouse": str(location().warehouse.pk), "file": upload}
    return client.post(reverse("warehouse-receipt-import"), data, follow=True)


def test_an_import_receives_every_line_of_the_workbook() -> None:
    stocked_product(sku="ZF-101")
    foam(unit="roll")
    location("A-02")
    client = logged_in(clerk())
    assert client.get(reverse("warehouse-receipt-import-template")).status_code == 200
    rows = [
        ["ZF-101", "B20261120-01", dt.datetime(2026, 11, 20), "优等品", "", 236, 100, "A-01", ""],
        ["FM-3", "F20261118", "2026-11-18", "", "", 3, 3, "A-02", "50, 50, 48.5"],
    ]
    response = import_post(client, workbook(rows))
    receipt = GoodsReceipt.objects.get()
    assert response.redirect_chain[-1][0] == reverse("warehouse-receipt-detail", args=[receipt.pk])
    assert Batch.objects.get(number="B20261120-01").grade == "premium"
    assert Package.objects.filter(receipt_line__receipt=receipt).count() == 103
    assert sorted(Package.objects.exclude(length_m=None).values_list("length_m", flat=True)) == [
        Decimal("48.50"), Decimal("50.00"), Decimal("50.00")
    ]  # fmt: skip


def test_an_import_with_bad_rows_receives_nothing_and_names_each_row_in_chinese() -> None:
    stocked_product(sku="ZF-101")
    foam(unit="roll")
    client = logged_in(clerk())
    before = counts()
    rows = [
        ["ZF-101", "B1", "2026-11-20", "", "", 10, 2, "A-01", ""],
        ["ZF-999", "B2", "2026-11-20", "", "", 10, 2, "A-01", ""],
        ["FM-3", "F1", "2026-11-18", "", "", 3, 3, "A-01", ""],
    ]
    page = import_post(client, workbook(rows)).content.decode()
    assert "第3行" in page and "ZF-999" in page
    assert "第4行" in page and "O-59" in page
    assert "第2行" not in page
    assert counts() == before


def test_an_import_of_a_file_that_is_not_a_workbook_is_refused() -> None:
    client = logged_in(clerk())
    page = import_post(client, SimpleUploadedFile("入库.xlsx", b"%PDF-1.4 not a workbook"))
    assert "xlsx" in page.content.decode()
    assert GoodsReceipt.objects.count() == 0


# ---- the API -------------------------------------------------------------------------------


def api_lines(product, **fields) -> dict:
    values = {
        "product_id": product.pk, "batch_number": "B1120", "produced_on": "2026-11-20",
        "quantity": "23.6", "packages": 10, "location_id": location().pk,
    }  # fmt: skip
    return values | fields


def test_the_api_receives_lists_and_shows_a_receipt() -> None:
    product = stocked_product()
    client = logged_in(clerk())
    payload = {"source": "production", "warehouse_id": location().warehouse.pk,
               "lines": [api_lines(product)]}  # fmt: skip
    made = client.post("/api/warehouse/receipts", payload, content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["number"].startswith("SC-") and len(body["labels"]) == 10
    listed = client.get("/api/warehouse/receipts", {"q": "B1120"}).json()
    assert [item["number"] for item in listed["items"]] == [body["number"]]
    shown = client.get(f"/api/warehouse/receipts/{body['id']}").json()
    assert shown["lines"][0]["batch"] == "B1120"
    pdf = client.get(body["labels_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_the_api_refuses_a_foam_line_without_lengths_by_its_place() -> None:
    """O-59: through the API too."""
    product = foam(unit="roll")
    client = logged_in(clerk())
    payload = {"source": "production", "warehouse_id": location().warehouse.pk,
               "lines": [api_lines(product, quantity="3", packages=3)]}  # fmt: skip
    refused = client.post(
        "/api/warehouse/receipts", payload, content_type="application/json",
        headers={"Accept-Language": "en"},
    )  # fmt: skip
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail[0]["loc"] == ["body", "lines", 0, "lengths_m"]
    assert detail[0]["msg"] == FOAM_LENGTHS_MISSING % {"rolls": 3, "given": 0}
    assert GoodsReceipt.objects.count() == 0


def test_too_many_labels_at_once_are_refused_and_printed_line_by_line(monkeypatch) -> None:
    # given a receipt of two lines, and a printer's limit below its five labels
    monkeypatch.setattr(labels, "MAX_LABELS", 4)
    product = stocked_product()
    receipt = received(line(product, packages=3), line(product, number="B2", packages=2))
    client = logged_in(clerk())
    url = reverse("warehouse-receipt-labels", args=[receipt.pk])
    # when all are asked for, the page says to print by line; then one line prints
    page = client.get(url, follow=True).content.decode()
    assert str(labels.TOO_MANY_LABELS % {"count": 5, "max": 4}) in page
    assert client.get(url, {"line": "1"})["Content-Type"] == "application/pdf"
    api = client.get(f"/api/warehouse/receipts/{receipt.pk}/labels.pdf")
    assert api.status_code == 422


def test_the_api_names_a_bad_warehouse_and_product_by_the_fields_it_takes() -> None:
    client = logged_in(clerk())
    payload = {"source": "production", "warehouse_id": 999999, "supplier": "竹" * 101,
               "lines": [api_lines(stocked_product(), product_id=2**62)]}  # fmt: skip
    refused = client.post("/api/warehouse/receipts", payload, content_type="application/json")
    assert refused.status_code == 422, refused.content
    places = {tuple(item["loc"]) for item in refused.json()["detail"]}
    assert ("body", "warehouse_id") in places and ("body", "supplier") in places
    payload["warehouse_id"] = location().warehouse.pk
    payload["supplier"] = ""
    refused = client.post("/api/warehouse/receipts", payload, content_type="application/json")
    assert [item["loc"] for item in refused.json()["detail"]] == [
        ["body", "lines", 0, "product_id"]
    ]
    assert GoodsReceipt.objects.count() == 0


def test_the_receipt_page_lists_its_labels_a_page_at_a_time_and_its_moves() -> None:
    product = stocked_product()
    receipt = received(line(product, quantity="60", packages=30))
    client = logged_in(staff(Role.CLERK))
    url = reverse("warehouse-receipt-detail", args=[receipt.pk])
    first = client.get(url).content.decode()
    assert f"{receipt.number}-01-001" in first and f"{receipt.number}-01-030" not in first
    assert "(30)" in first and "生产入库" in first  # the move that brought them in
    assert f"{receipt.number}-01-030" in client.get(url, {"page": "2"}).content.decode()
