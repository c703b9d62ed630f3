"""Orders through the JSON API, each step signed by the right user."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.orders.models import Order, VerificationItem
from gendan.orders.routes import CLOSED, ROUTES
from gendan.orders.simulate import install_fee_outstanding, sample_record
from gendan.orders.tests.helpers import listed_product, staff
from gendan.parties.tests.factories import CustomerFactory, DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def body(customer, product, **changes):
    order = {
        "customer_id": customer.pk, "payment_method": "bank_transfer", "payment_terms": "prepay",
        "province": "广东省", "city": "深圳市", "street": "深南大道1号", "floor": 12,
        "contact_phone": "13800000000", "expected_delivery_on": "2026-12-01",
        "expected_install_on": "2026-12-03",
        "lines": [{"product_id": product.pk, "quantity": "20"}] if product else [],
    }  # fmt: skip
    return order | changes


def sign(client, order_id, step, **payload):
    return client.post(f"/api/orders/{order_id}/steps/{step}", payload, content_type=JSON)


def walk_through_api(client, order_id, signers):
    """Sign every step as the user for its role, paying and checking where the route needs it."""
    for _turn in range(40):
        order = client.get(f"/api/orders/{order_id}").json()
        if order["step"] == CLOSED:
            return order
        current = next(s for s in order["steps"] if s["state"] == "current")
        user = signers[current["role"]]
        client.force_login(user)
        if current["code"] == "verify":
            checks = {"items": list(VerificationItem.values)}
            client.post(f"/api/orders/{order_id}/checks", checks, content_type=JSON)
        client.force_login(signers["finance"])
        if order["outstanding"] != "0.00" and current["code"] in ("receive_payment", "close"):
            receipt = {"amount": order["outstanding"], "method": "bank_transfer"}
            client.post(f"/api/orders/{order_id}/receipts", receipt, content_type=JSON)
        fee = install_fee_outstanding(Order.objects.get(pk=order_id))
        if fee and current["code"] in ("install_fee_to_finance", "close"):
            receipt = {"amount": str(fee), "method": "cash", "is_install_fee": True}
            client.post(f"/api/orders/{order_id}/receipts", receipt, content_type=JSON)
        client.force_login(user)
        record = sample_record(ROUTES[order["route"]].step(current["code"]))
        if fee and current["code"] == "install_fee_collected":  # O-39: with its amount
            record |= {"amount": str(fee), "method": "cash"}
        response = sign(client, order_id, current["code"], record=record)
        assert response.status_code == 200, (current, response.json())
    raise AssertionError("the route did not end")


def test_a_dealer_places_an_order_and_it_walks_the_dealer_route_to_close_out(client, roles):
    dealer = DealerFactory()
    product = listed_product("88")
    signers = {
        role.value: staff(role)
        for role in Role
        if role not in (Role.DEALER, Role.STORE_STAFF, Role.PROMOTER)
    }
    signers["dealer"] = staff(Role.DEALER, partner=dealer)
    client.force_login(signers["dealer"])

    placed = client.post("/api/orders", body(dealer, product), content_type=JSON)
    closed = walk_through_api(client, placed.json()["id"], signers)

    assert placed.status_code == 201
    assert placed.json()["route"] == "dealer" and placed.json()["total"] == "1760.00"
    assert closed["paid"] == "1760.00"
    signed = {s["code"]: s["signed_by"] for s in closed["steps"] if s["state"] == "done"}
    assert signed["finance_review"] == signers["finance"].display_name


def test_a_supermarket_order_with_installation_walks_its_route_through_the_api(client, roles):
    market = CustomerFactory(kind="supermarket")
    shopper = HomeownerFactory(via=market)
    product = listed_product()
    signers = {
        role.value: staff(role)
        for role in Role
        if role not in (Role.DEALER, Role.STORE_STAFF, Role.PROMOTER)
    }
    client.force_login(signers["clerk"])
    order = body(market, product, end_customer_id=shopper.pk, needs_installation=True)
    order |= {
        "payment_terms": "contract",
        "lines": [{"product_id": product.pk, "quantity": "3"}],
    }

    placed = client.post("/api/orders", order, content_type=JSON)
    closed = walk_through_api(client, placed.json()["id"], signers)

    assert placed.json()["route"] == "supermarket_install"
    assert [s["state"] for s in closed["steps"]].count("done") >= 14


def test_a_refused_step_answers_409_with_the_rule(client, roles):
    dealer = DealerFactory()
    client.force_login(staff(Role.CLERK))
    placed = client.post(
        "/api/orders",
        body(
            dealer,
            listed_product(),
            lines=[{"product_id": listed_product().pk, "quantity": "1", "unit_price": "5"}],
        ),
        content_type=JSON,
    )

    refused = sign(client, placed.json()["id"], "verify")

    assert refused.status_code == 409
    assert refused.json()["detail"][0].startswith("O-5")
    assert Order.objects.get().step == "verify"


ORDER_ENDPOINTS = [
    ("get", "", None),
    ("post", "/steps/verify", {}),
    ("post", "/checks", {"items": ["sku"]}),
    ("post", "/receipts", {"amount": "1", "method": "cash"}),
    ("post", "/confirmation", {"confirmed_to": "x"}),
    ("post", "/referral", {"text": "x"}),
    ("post", "/referral/answer", {"text": "x"}),
    ("post", "/additions", {"text": "x"}),
    ("post", "/revisions", {"reason": "x", "lines": []}),
    ("post", "/revisions/confirmation", {"text": "x"}),
]


@pytest.mark.parametrize(("method", "path", "payload"), ORDER_ENDPOINTS)
def test_a_dealer_never_reaches_another_dealers_order(client, roles, method, path, payload):
    ours, theirs = DealerFactory(), DealerFactory()
    client.force_login(staff(Role.CLERK))
    product = listed_product()
    line = [{"product_id": product.pk, "quantity": "1"}]
    their_order = client.post("/api/orders", body(theirs, product, lines=line), content_type=JSON)
    client.force_login(staff(Role.DEALER, partner=ours))
    url = f"/api/orders/{their_order.json()['id']}{path}"

    response = (
        getattr(client, method)(url, payload, content_type=JSON)
        if payload is not None
        else client.get(url)
    )

    assert response.status_code == 404
    assert client.get("/api/orders").json()["items"] == []
    assert Order.objects.get().step == "verify" and not Order.objects.get().receipts.exists()


def test_bad_order_input_is_refused_by_field_and_saves_nothing(client, roles):
    client.force_login(staff(Role.CLERK))
    order = body(DealerFactory(), listed_product(), lines=[{"product_id": 999999, "quantity": "1"}])

    response = client.post("/api/orders", order, content_type=JSON)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "lines", 0, "product_id"]
    assert not Order.objects.exists()


def test_o6_and_o7_through_the_api(client, roles):
    """O-6: refer and answer; O-7: addition, change with a new revision, confirmation."""
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    line = [{"product_id": product.pk, "quantity": "4", "unit_price": "50"}]
    placed = client.post("/api/orders", body(dealer, product, lines=line), content_type=JSON)
    order_id = placed.json()["id"]

    client.post(f"/api/orders/{order_id}/referral", {"text": "要求月结"}, content_type=JSON)
    client.force_login(staff(Role.SALES_REP))
    answer = {"text": "先款后货"}
    answered = client.post(f"/api/orders/{order_id}/referral/answer", answer, content_type=JSON)
    client.force_login(staff(Role.CLERK))
    client.post(f"/api/orders/{order_id}/additions", {"text": "电梯可用"}, content_type=JSON)
    change = {"reason": "加量", "fields": {"floor": 6}, "lines": [line[0] | {"quantity": "6"}]}
    changed = client.post(f"/api/orders/{order_id}/revisions", change, content_type=JSON)
    confirmed = client.post(
        f"/api/orders/{order_id}/revisions/confirmation", {"text": "经销商李总"}, content_type=JSON
    )

    order = Order.objects.get(pk=order_id)
    assert answered.status_code == 200 and order.referral_answer == "先款后货"
    assert "电梯可用" in order.other_requests
    assert changed.json()["total"] == "300.00" and order.revision == 2 and order.floor == 6
    assert confirmed.status_code == 200 and not order.awaiting_confirmation


def test_a_promoter_places_and_follows_orders_of_their_own_supermarket_only(client, roles):
    market, other_market = CustomerFactory(kind="supermarket"), CustomerFactory(kind="supermarket")
    shopper = HomeownerFactory(via=market)
    product = listed_product()
    client.force_login(staff(Role.PROMOTER, partner=market))
    line = [{"product_id": product.pk, "quantity": "8", "unit_price": "99"}]
    order = body(market, product, end_customer_id=shopper.pk, lines=line, payment_terms="contract")

    placed = client.post("/api/orders", order, content_type=JSON)
    elsewhere = client.post(
        "/api/orders", order | {"customer_id": other_market.pk}, content_type=JSON
    )
    listed = client.get("/api/orders").json()["items"]

    assert placed.status_code == 201 and placed.json()["route"] == "supermarket"
    assert elsewhere.status_code == 422
    assert elsewhere.json()["detail"][0]["loc"] == ["body", "customer"]
    assert [row["id"] for row in listed] == [placed.json()["id"]]


def test_o1_the_original_is_attached_once_and_kept_unchanged(client, roles, settings, tmp_path):
    """O-1: the original document is attached to the order and kept unchanged."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gendan.core.tests.files import image_bytes

    settings.MEDIA_ROOT = tmp_path
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    order_id = client.post("/api/orders", body(dealer, product), content_type=JSON).json()["id"]

    fax, other = image_bytes("JPEG", (8, 8)), image_bytes("JPEG", (9, 9))
    first = client.post(
        f"/api/orders/{order_id}/original",
        {"document": SimpleUploadedFile("传真.jpg", fax, content_type="image/jpeg")},
    )
    second = client.post(
        f"/api/orders/{order_id}/original",
        {"document": SimpleUploadedFile("改过.jpg", other, content_type="image/jpeg")},
    )

    assert first.status_code == 200 and second.status_code == 422
    assert Order.objects.get().original_document.read() == fax


def test_o3_the_clerk_records_telling_the_sender_and_a_dealer_may_not(client, roles):
    """O-3: after registering, the clerk confirms receipt to the sender; it is recorded."""
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    order_id = client.post("/api/orders", body(dealer, product), content_type=JSON).json()["id"]

    told = client.post(
        f"/api/orders/{order_id}/confirmation",
        {"confirmed_to": "经销商店员小王"},
        content_type=JSON,
    )
    client.force_login(staff(Role.DEALER, partner=dealer))
    by_dealer = client.post(
        f"/api/orders/{order_id}/confirmation", {"confirmed_to": "x"}, content_type=JSON
    )

    order = Order.objects.get()
    assert told.status_code == 200 and by_dealer.status_code == 403
    assert order.receipt_confirmed_to == "经销商店员小王" and order.receipt_confirmed_at is not None


def test_o54_charges_and_offsets_through_the_api(client, roles):
    """O-54: book a dealer charge on one order, take it from another order's profit."""
    dealer = DealerFactory()
    client.force_login(staff(Role.CLERK))
    line = {
        "product_id": listed_product().pk,
        "quantity": "10",
        "unit_price": "100",
        "end_price": "150",
    }
    first = client.post("/api/orders", body(dealer, None, lines=[line]), content_type=JSON).json()
    second = client.post("/api/orders", body(dealer, None, lines=[line]), content_type=JSON).json()
    client.force_login(staff(Role.FINANCE))

    charge = client.post(
        f"/api/orders/{first['id']}/charges",
        {"kind": "shortfall", "amount": "120"},
        content_type=JSON,
    ).json()
    offset = client.post(
        f"/api/orders/charges/{charge['id']}/offset",
        {"against_id": second["id"]},
        content_type=JSON,
    )

    assert offset.status_code == 200 and offset.json()["offset_against_id"] == second["id"]


def test_o21_the_driver_sends_the_photo_of_the_signed_note_through_the_api(
    client, roles, settings, tmp_path
):
    """O-21: the delivery record with a photo, as a phone app would send it."""
    import io
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from gendan.orders.tests.test_guards import advance_to, dealer_order

    settings.MEDIA_ROOT = tmp_path
    order = advance_to(dealer_order(), "deliver")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "JPEG")
    photo = SimpleUploadedFile("签收单.jpg", buffer.getvalue(), content_type="image/jpeg")
    client.force_login(staff(Role.DRIVER))

    response = client.post(
        f"/api/orders/{order.pk}/steps/deliver/photo",
        {"photo": photo, "record": json.dumps({"received_by": "李业主"})},
    )

    entry = order.step_log.get(step="deliver")
    assert response.status_code == 200
    assert entry.data["received_by"] == "李业主" and (tmp_path / entry.data["photo"]).exists()
