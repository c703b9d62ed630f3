"""Signing on the order page: the checks ticked and signed in one post, each sign button naming
its step, a second post told it came too late, and a refused form shown again as it was typed."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.orders.guards import CHECKS_OPEN
from gendan.orders.models import StepLog, VerificationItem
from gendan.orders.routes import ROUTES
from gendan.orders.step_views import ALREADY_SIGNED, PHOTO_AGAIN
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_guards import advance_to, dealer_order
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db


def sign(client, order, step, **fields):
    return client.post(reverse("order-step", args=[order.pk, step]), fields, follow=True)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def test_o5_the_clerk_ticks_the_twelve_checks_and_signs_in_one_post(client, roles):
    """O-5: the ticks sent with the signature are confirmed by it; no second button."""
    # given
    order = dealer_order()
    client.force_login(staff(Role.CLERK))

    # when
    sign(client, order, "verify", items=VerificationItem.values, note="电话核实无误")

    # then
    order.refresh_from_db()
    assert order.step == "delivery_note"
    assert order.checks.count() == len(VerificationItem)
    assert order.step_log.get(step="verify").note == "电话核实无误"


def test_o5_a_check_left_open_refuses_the_signature_keeps_no_tick_and_shows_them_again(
    client, roles
):
    """O-5: one transaction: refused, neither the ticks nor the signature are kept, and the
    page names the open check and shows the boxes as they were ticked."""
    # given
    order = dealer_order()
    client.force_login(staff(Role.CLERK))
    ticked = [item for item in VerificationItem.values if item != VerificationItem.PHONE]

    # when
    response = sign(client, order, "verify", items=ticked, note="少一项")

    # then
    page = page_text(response)
    order.refresh_from_db()
    assert order.step == "verify" and not order.checks.exists()
    assert in_chinese(CHECKS_OPEN) % {"items": in_chinese(VerificationItem.PHONE.label)} in page
    assert f'value="{VerificationItem.SKU}" checked' in page
    assert f'value="{VerificationItem.PHONE}">' in page
    assert "少一项</textarea>" in page


def test_every_sign_button_names_its_step_and_the_dialog_its_order(client, roles):
    # given
    order = advance_to(dealer_order(), "finance_review")
    client.force_login(staff(Role.FINANCE))

    # when
    page = page_text(client.get(reverse("order-detail", args=[order.pk])))

    # then
    assert "签字：财务审核并签字销售送货单</button>" in page
    assert "确认签字“财务审核并签字销售送货单”？" in page
    assert f"<dd>{order.number} · {order.customer}" in page


def test_a_second_post_of_a_signed_step_is_told_it_was_signed_already(client, roles):
    # given
    order = dealer_order()
    client.force_login(staff(Role.CLERK))
    sign(client, order, "verify", items=VerificationItem.values)

    # when
    again = sign(client, order, "verify", items=VerificationItem.values)

    # then
    assert again.status_code == 200
    label = in_chinese(ROUTES[order.route].step("verify").label)
    assert in_chinese(ALREADY_SIGNED) % {"step": label} in page_text(again)
    assert order.step_log.filter(step="verify", outcome=StepLog.Outcome.DONE).count() == 1


def test_a_refused_delivery_keeps_what_was_typed_and_asks_for_the_photo_again(
    client, roles, settings, tmp_path
):
    """A bad photo no longer wipes the delivery form: the names typed stay, the photo is asked
    for again (no browser lets a page refill a file input)."""
    # given
    settings.MEDIA_ROOT = tmp_path
    order = advance_to(dealer_order(), "deliver")
    client.force_login(staff(Role.DRIVER))
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")

    # when
    response = sign(
        client, order, "deliver", note="楼下签收", **{"record-received_by": "李业主",
        "record-receiving_document": "SH-778", "record-photo": fake},
    )  # fmt: skip

    # then
    page = page_text(response)
    assert not order.step_log.filter(step="deliver").exists()
    assert 'value="李业主"' in page and 'value="SH-778"' in page
    assert "楼下签收</textarea>" in page
    assert in_chinese(PHOTO_AGAIN) in page
    # once shown, the page is empty again
    assert 'value="李业主"' not in page_text(client.get(reverse("order-detail", args=[order.pk])))


def test_a_refused_delivery_note_keeps_the_booking_typed(client, roles):
    """O-57: without the payment confirmed again the note is refused; the booking stays."""
    # given
    order = advance_to(dealer_order(), "delivery_note")
    client.force_login(staff(Role.CLERK))

    # when
    response = sign(
        client, order, "delivery_note",
        **{"record-delivery_booked_for": "2026-12-01", "record-booked_with": "业主 陈"},
    )  # fmt: skip

    # then
    page = page_text(response)
    assert order.step_log.filter(step="delivery_note").count() == 0
    assert 'value="2026-12-01"' in page and 'value="业主 陈"' in page
