"""Orders in the pages: the daily log, registering, verifying and signing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.catalog.models import PriceKind
from gendan.catalog.tests.factories import PriceListFactory, ProductFactory
from gendan.orders.guards import CHECKS_OPEN
from gendan.orders.models import Order, VerificationItem
from gendan.orders.tests.helpers import order_registered, staff
from gendan.parties.tests.factories import DealerFactory
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db


def register_form(customer, product, **changes):
    form = {
        "customer": customer.pk, "payment_method": "cash", "payment_terms": "prepay",
        "province": "广东省", "city": "佛山市", "street": "季华路8号", "floor": "3",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
        "lines-0-product": product.pk, "lines-0-quantity": "12.5",
    }  # fmt: skip
    return form | changes


def test_o2_the_clerk_registers_an_order_with_the_price_list_price(client, roles):
    """O-2 and O-9: today's next number, the dealer's settlement price."""
    dealer, product = DealerFactory(), ProductFactory()
    PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT).items.create(product=product, price="80.00")
    client.force_login(staff(Role.CLERK))

    response = client.post(reverse("order-register"), register_form(dealer, product))

    order = Order.objects.get()
    assert response.status_code == 302
    assert order.number == f"{timezone.localdate():%Y%m%d}-001"
    assert order.lines.get().amount == 1000
    assert order.step == "verify"


def test_a_line_without_any_price_is_refused_and_nothing_is_registered(client, roles):
    client.force_login(staff(Role.CLERK))

    response = client.post(
        reverse("order-register"), register_form(DealerFactory(), ProductFactory())
    )

    assert response.status_code == 200
    assert not Order.objects.exists()


def test_o5_signing_verification_with_open_checks_shows_the_rule_in_chinese(client, roles):
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))

    response = client.post(reverse("order-step", args=[order.pk, "verify"]), follow=True)

    page = response.content.decode()
    assert in_chinese(CHECKS_OPEN).split("%")[0] in page
    assert Order.objects.get().step == "verify"


def test_the_clerk_ticks_the_checklist_and_signs_verification(client, roles):
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))

    client.post(reverse("order-checks", args=[order.pk]), {"items": VerificationItem.values})
    client.post(reverse("order-step", args=[order.pk, "verify"]), {"note": "电话核实无误"})

    order.refresh_from_db()
    assert order.step == "delivery_note"
    assert order.step_log.get(step="verify").note == "电话核实无误"


def test_the_daily_log_shows_the_days_orders_with_step_and_holder(client, roles):
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))

    page = client.get("/en" + reverse("order-log"), {"day": order.log_day.isoformat()})

    text = page.content.decode()
    assert order.number in text and "Verify the order" in text and "Order clerk" in text


def test_the_route_pages_draw_every_route(client, roles):
    client.force_login(staff(Role.WAREHOUSE))

    page = client.get("/en" + reverse("route-list")).content.decode()

    for rule in ("O-24", "O-25", "O-26", "O-27", "O-28", "O-29"):
        assert rule in page
    assert "Finance reviews and signs the delivery note" in page


def test_a_dealer_gets_404_for_another_dealers_order_page(client, roles):
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.DEALER, partner=DealerFactory()))

    assert client.get(reverse("order-detail", args=[order.pk])).status_code == 404


def png_file(name="signed.png"):
    """A real PNG, as a phone camera upload would arrive."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_o21_the_driver_uploads_a_photo_of_the_signed_note(client, roles, settings, tmp_path):
    """O-21: the customer's signature, with name, time and an optional photo."""
    from gendan.orders.tests.test_guards import advance_to, dealer_order

    settings.MEDIA_ROOT = tmp_path
    order = advance_to(dealer_order(), "deliver")
    client.force_login(staff(Role.DRIVER))

    client.post(
        reverse("order-step", args=[order.pk, "deliver"]),
        {"record-received_by": "李业主", "record-photo": png_file()},
    )

    entry = order.step_log.get(step="deliver")
    assert entry.data["received_by"] == "李业主"
    assert (tmp_path / entry.data["photo"]).exists()


def test_a_photo_that_is_not_an_image_is_refused(client, roles, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gendan.orders.tests.test_guards import advance_to, dealer_order

    settings.MEDIA_ROOT = tmp_path
    order = advance_to(dealer_order(), "deliver")
    client.force_login(staff(Role.DRIVER))
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")

    client.post(
        reverse("order-step", args=[order.pk, "deliver"]),
        {"record-received_by": "李业主", "record-photo": fake},
    )

    assert not order.step_log.filter(step="deliver").exists()


def test_receivables_per_customer_and_per_dealer(client, roles):
    """What each customer and each dealer's homeowners owe, scoped for dealers."""
    from decimal import Decimal

    from gendan.orders.services.receipts import order_receipt_add
    from gendan.parties.tests.factories import HomeownerFactory

    dealer, other = DealerFactory(name="甲经销商"), DealerFactory(name="乙经销商")
    order_registered(dealer, end_customer=HomeownerFactory(via=dealer))
    paid = order_registered(dealer, end_customer=HomeownerFactory(via=dealer))
    order_receipt_add(actor=staff(Role.FINANCE), order=paid, amount=Decimal("400"), method="cash")
    order_registered(other)
    client.force_login(staff(Role.FINANCE))

    per_dealer = client.get("/api/orders/receivables/dealer").json()
    page = client.get(reverse("receivables"), {"by": "dealer"}).content.decode()
    client.force_login(staff(Role.DEALER, partner=dealer))
    own = client.get("/api/orders/receivables/dealer").json()

    owed = {row["name"]: row["owed"] for row in per_dealer}
    assert owed == {"甲经销商": "1600.00", "乙经销商": "1000.00"}
    assert "甲经销商" in page and "1,600.00" in page
    assert [row["name"] for row in own] == ["甲经销商"]


def test_the_verifier_refers_adds_and_changes_in_the_pages(client, roles):
    """O-6 and O-7 from the order page."""
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))

    client.post(reverse("order-note-action", args=[order.pk, "refer"]), {"text": "付款方式不符"})
    client.post(reverse("order-note-action", args=[order.pk, "addition"]), {"text": "需搬运上楼"})
    order.refresh_from_db()
    added = order.other_requests
    line = order.lines.get()
    change = {
        "reason": "改送货日期", "province": "广东省", "city": "佛山市", "street": "季华路8号",
        "payment_method": "cash", "payment_terms": "prepay", "expected_delivery_on": "2026-12-01",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1", "lines-MIN_NUM_FORMS": "1",
        "lines-0-product": line.product_id, "lines-0-quantity": "10", "lines-0-unit_price": "100",
    }  # fmt: skip
    changed = client.post(reverse("order-change", args=[order.pk]), change)
    detail = client.get(reverse("order-detail", args=[order.pk])).content.decode()

    order.refresh_from_db()
    assert order.referral_note == "付款方式不符" and "需搬运上楼" in added
    assert changed.status_code == 302 and order.revision == 2 and order.awaiting_confirmation
    assert "改送货日期" in detail


def test_o1_the_original_document_is_kept_and_shown_only_to_who_may_see_the_order(
    client, roles, settings, tmp_path
):
    """O-1: the original is attached to the order and kept unchanged."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    dealer, product = DealerFactory(), ProductFactory()
    PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT).items.create(product=product, price="80")
    scan = SimpleUploadedFile("订货单.pdf", b"%PDF-1.4 original", content_type="application/pdf")
    client.force_login(staff(Role.CLERK))
    client.post(
        reverse("order-register"), register_form(dealer, product) | {"original_document": scan}
    )
    order = Order.objects.get()

    mine = client.get(reverse("order-original", args=[order.pk]))
    client.force_login(staff(Role.DEALER, partner=DealerFactory()))
    stranger = client.get(reverse("order-original", args=[order.pk]))

    assert b"".join(mine.streaming_content) == b"%PDF-1.4 original"
    assert stranger.status_code == 404
