"""An order's original and its step photos: only PDF, JPEG, PNG or WebP, told from the
content, kept under a name of ours, and served to those who may see the order so that nothing
in them runs."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.catalog.models import PriceKind
from gendan.catalog.tests.factories import PriceListFactory, ProductFactory
from gendan.core.tests.files import HTML_ATTACK, PDF, SVG_ATTACK, photo, upload
from gendan.orders.models import Order
from gendan.orders.tests.helpers import order_registered, staff
from gendan.orders.tests.test_guards import advance_to, dealer_order
from gendan.orders.tests.test_pages import register_form
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db
REFUSED_IN_CHINESE = "仅接受 PDF, JPEG, PNG, WebP 文件"
GENERATED = re.compile(r"[0-9a-f]{32}\.(pdf|jpg|png|webp)")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()]


def dealer_with_a_product():
    dealer, product = DealerFactory(), ProductFactory()
    PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT).items.create(product=product, price="80")
    return dealer, product


@pytest.mark.parametrize("content", [HTML_ATTACK, SVG_ATTACK])
def test_a_dealer_cannot_register_an_order_with_a_page_named_scan_pdf(
    client, roles, media, content
):
    # given a dealer with an HTML or SVG page named scan.pdf, sent as a PDF
    dealer, product = dealer_with_a_product()
    client.force_login(staff(Role.DEALER, partner=dealer))
    scan = upload("scan.pdf", content, "application/pdf")

    # when the dealer registers an order with it as the original
    response = client.post(
        reverse("order-register"), register_form(dealer, product) | {"original_document": scan}
    )

    # then nothing is registered or stored, and the form says what it accepts, in Chinese
    assert response.status_code == 200
    assert REFUSED_IN_CHINESE in response.content.decode()
    assert not Order.objects.exists() and stored_files(media) == []


def test_the_register_form_says_the_types_and_the_limit_before_the_upload(client, roles, settings):
    settings.GENDAN_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    client.force_login(staff(Role.CLERK))

    page = client.get(reverse("order-register")).content.decode()

    assert 'accept="application/pdf,image/jpeg,image/png,image/webp' in page
    assert "PDF, JPEG, PNG, WebP 格式，最大 20 MB。" in page


def test_an_original_is_kept_under_a_generated_name_and_the_audit_keeps_the_senders(
    client, roles, media
):
    # given an order and a real PDF named by the dealer's clerk
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))

    # when it is attached through the API
    response = client.post(f"/api/orders/{order.pk}/original", {"document": upload("王.pdf", PDF)})

    # then it is stored under a generated name in the originals' folder, unchanged
    order.refresh_from_db()
    assert response.status_code == 200
    assert order.original_document.name.startswith("orders/originals/")
    assert GENERATED.fullmatch(order.original_document.name.rsplit("/", 1)[1])
    assert order.original_document.read() == PDF
    assert AuditEvent.objects.get(action="order.original").note == "王.pdf"


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("scan.pdf", HTML_ATTACK, "application/pdf"),
        ("scan.svg", SVG_ATTACK, "image/svg+xml"),
        ("scan.jpg", b"fax scan", "image/jpeg"),
    ],
)
def test_the_api_refuses_an_original_that_is_not_a_pdf_or_an_image(
    client, roles, media, name, content, declared
):
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))

    response = client.post(
        f"/api/orders/{order.pk}/original", {"document": upload(name, content, declared)}
    )

    order.refresh_from_db()
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "original_document"]
    assert REFUSED_IN_CHINESE in response.json()["detail"][0]["msg"]
    assert not order.original_document and stored_files(media) == []


def test_an_original_over_the_limit_is_refused_with_the_limit_named(client, roles, media, settings):
    # given a limit of 1 MB
    settings.GENDAN_UPLOAD_MAX_BYTES = 1024 * 1024
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))
    big = upload("big.pdf", PDF + b"0" * (1024 * 1024))

    # when
    response = client.post(
        f"/api/orders/{order.pk}/original", {"document": big}, HTTP_ACCEPT_LANGUAGE="en"
    )

    # then
    assert response.status_code == 422
    assert "1 MB" in response.json()["detail"][0]["msg"]
    assert stored_files(media) == []


def test_the_original_is_served_with_its_checked_type_and_may_run_nothing(client, roles, media):
    order = order_registered(DealerFactory())
    client.force_login(staff(Role.CLERK))
    client.post(f"/api/orders/{order.pk}/original", {"document": upload("scan.png", PDF)})

    response = client.get(reverse("order-original", args=[order.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert f'filename="{order.number}.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_an_original_stored_before_the_check_is_only_a_download(client, roles, media):
    # given an HTML page stored as an original before uploads were checked
    order = order_registered(DealerFactory())
    name = default_storage.save("orders/originals/2026/11/scan.pdf", ContentFile(HTML_ATTACK))
    Order.objects.filter(pk=order.pk).update(original_document=name)
    client.force_login(staff(Role.CLERK))

    # when the clerk opens it
    response = client.get(reverse("order-original", args=[order.pk]))

    # then the browser is told to save it, as bytes of no known type, not to show it
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_an_original_whose_file_is_gone_is_not_found(client, roles, media):
    order = order_registered(DealerFactory())
    Order.objects.filter(pk=order.pk).update(original_document="orders/originals/gone.pdf")
    client.force_login(staff(Role.CLERK))

    assert client.get(reverse("order-original", args=[order.pk])).status_code == 404


@pytest.mark.parametrize("content", [HTML_ATTACK, SVG_ATTACK])
def test_the_driver_cannot_keep_a_page_as_the_photo_of_the_signed_note(
    client, roles, media, content
):
    # given an order out for delivery and a page named like a photo
    order = advance_to(dealer_order(), "deliver")
    client.force_login(staff(Role.DRIVER))
    fake = upload("签收单.jpg", content, "image/jpeg")

    # when the driver signs with it
    response = client.post(
        reverse("order-step", args=[order.pk, "deliver"]),
        {"record-received_by": "李业主", "record-photo": fake},
        follow=True,
    )

    # then the step is not signed, nothing is stored, and the driver is told why
    assert not order.step_log.filter(step="deliver").exists()
    assert stored_files(media) == []
    assert "仅接受 JPEG, PNG, WebP 文件" in response.content.decode()


def test_the_api_refuses_a_pdf_as_the_photo_of_the_signed_note(client, roles, media):
    order = advance_to(dealer_order(), "deliver")
    client.force_login(staff(Role.DRIVER))

    response = client.post(
        f"/api/orders/{order.pk}/steps/deliver/photo",
        {
            "photo": upload("签收单.jpg", PDF, "image/jpeg"),
            "record": json.dumps({"received_by": "李"}),
        },
    )

    assert response.status_code == 409  # as every refused step record is answered
    assert "仅接受 JPEG, PNG, WebP 文件" in json.dumps(response.json(), ensure_ascii=False)
    assert not order.step_log.filter(step="deliver").exists() and stored_files(media) == []


def test_the_photo_form_says_the_types_and_the_limit(client, roles, media):
    order = advance_to(dealer_order(), "deliver")
    client.force_login(staff(Role.DRIVER))

    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()

    assert 'accept="image/jpeg,image/png,image/webp' in page
    assert "JPEG, PNG, WebP 格式，最大 20 MB。" in page


def test_a_step_photo_is_kept_under_a_generated_name_and_served_sandboxed(client, roles, media):
    # given the driver signed the delivery with a photo named by the phone
    order = advance_to(dealer_order(), "deliver")
    client.force_login(staff(Role.DRIVER))
    client.post(
        reverse("order-step", args=[order.pk, "deliver"]),
        {"record-received_by": "李业主", "record-photo": photo("../签收单.jpg", "PNG")},
    )
    kept = order.step_log.get(step="deliver").data["photo"]

    # when a clerk opens it
    client.force_login(staff(Role.CLERK))
    response = client.get(reverse("order-photo", args=[order.pk, "deliver"]))

    # then it was stored under a name of ours, with the extension its content shows
    assert kept.startswith("orders/photos/") and GENERATED.fullmatch(kept.rsplit("/", 1)[1])
    assert kept.endswith(".png")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_photo_stored_before_the_check_is_only_a_download(client, roles, media):
    # given an SVG page kept as a step's photo before photos were checked
    order = order_registered(DealerFactory())
    name = default_storage.save("orders/photos/2026/11/签收单.svg", ContentFile(SVG_ATTACK))
    Order.objects.filter(pk=order.pk).update(signed={"deliver": {"photo": name}})
    client.force_login(staff(Role.CLERK))

    # when the clerk opens it
    response = client.get(reverse("order-photo", args=[order.pk, "deliver"]))

    # then
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
