"""The dealer judges the profit note at its approval step (issue 12, point 4): the lines at its
price to the homeowner, the total, its profit and the PDF; approve, or send it back to the
clerk with a reason."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.documents.models import Document, DocumentKind
from gendan.documents.services import document_issue
from gendan.orders import guards
from gendan.orders.audit_events import STEP_SENT_BACK
from gendan.orders.models import StepLog
from gendan.orders.routes import DEALER_APPROVES, VERIFY
from gendan.orders.services.effects import effects_due_run
from gendan.orders.services.send_back import (
    NOT_SENT_BACK,
    REASON_REQUIRED,
    order_step_send_back,
)
from gendan.orders.services.steps import WRONG_ROLE, StepRefused, order_step_complete
from gendan.orders.tests.helpers import all_checks_confirmed, listed_product, staff
from gendan.orders.tests.test_guards import advance_to, dealer_order
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db
REASON = "第1行单价写错了，应为每平方125元"
# Withdrawn by a send back on the dealer's route: from the clerk's note to the dealer's step.
WITHDRAWN = ("delivery_note", "supervisor_review", "send_profit_note", "dealer_approve")


def at_dealer_approval(**fields):
    """A dealer's order with installation, 10 m² sold to the homeowner at 130 (the dealer
    settles at 100): at the dealer's step, its profit note printed by the clerk."""
    order = dealer_order(needs_installation=True, end_price=Decimal("130"), **fields)
    order = advance_to(order, "send_profit_note")
    document_issue(actor=staff(Role.CLERK), order=order, kind=DocumentKind.PROFIT_NOTE)
    return advance_to(order, "dealer_approve")


def dealer_of(order):
    return staff(Role.DEALER, username=f"dealer-{order.partner_id}", partner=order.partner)


def page_of(client, order) -> str:
    response = client.get(reverse("order-detail", args=[order.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def send_back(client, order, reason=REASON):
    url = reverse("order-step-send-back", args=[order.pk, "dealer_approve"])
    return client.post(url, {"reason": reason}, follow=True)


def test_o15_the_dealer_sees_the_profit_note_pdf_lines_total_and_its_profit(client, roles):
    """O-15, O-11: on its approval step the dealer sees the profit note's PDF first, then its
    lines at the dealer's price to the homeowner, the total and its profit on the order."""
    # given
    order = at_dealer_approval()
    note = Document.objects.get(order=order, kind=DocumentKind.PROFIT_NOTE)
    client.force_login(dealer_of(order))

    # when
    page = page_of(client, order)

    # then the PDF link comes before the lines, the total and the profit
    line = order.lines.select_related("product").get()
    pdf = reverse("document-pdf", args=[note.pk, "a4"])
    assert page.index(pdf) < page.index(line.product.name) < page.index("利润单合计")
    assert "10 平方米 × ¥130.00 = <strong>¥1,300.00</strong>" in " ".join(page.split())
    assert "¥1,300.00</strong>" in page  # the total
    assert "经销商在本单的利润</dt><dd><strong data-dealer-profit>¥300.00" in page
    assert "签字：经销商审核利润单</button>" in page
    assert "退回到：制作成本单和利润单</button>" in page


def test_another_dealer_does_not_find_the_order(client, roles):
    # given
    order = at_dealer_approval()
    client.force_login(staff(Role.DEALER, username="other", partner=DealerFactory()))

    # when
    response = client.get(reverse("order-detail", args=[order.pk]))
    refused = send_back(client, order)

    # then
    assert response.status_code == 404 and refused.status_code == 404
    order.refresh_from_db()
    assert order.step == "dealer_approve"


@pytest.mark.parametrize("step, role", [("deliver", Role.DRIVER), ("install", Role.INSTALLER)])
def test_o11_the_driver_and_the_installer_see_no_profit(client, roles, step, role):
    """O-11: the road never sees the dealer's profit, nor the profit-note block."""
    # given
    order = advance_to(at_dealer_approval(), step)
    client.force_login(staff(role))

    # when
    page = page_of(client, order)

    # then
    assert "经销商在本单的利润" not in page and "利润单合计" not in page
    assert "300.00" not in page


def test_o15_a_send_back_needs_a_reason(roles):
    # given
    order = at_dealer_approval()

    # when
    with pytest.raises(StepRefused) as refused:
        order_step_send_back(actor=dealer_of(order), order=order, step="dealer_approve", reason=" ")

    # then
    assert refused.value.reasons == [str(REASON_REQUIRED)]
    order.refresh_from_db()
    assert order.step == "dealer_approve" and "delivery_note" in order.signed


def test_o15_sent_back_the_order_is_at_the_clerks_note_with_the_reason_shown(client, roles):
    """O-15: the order returns to the clerk's note step; the clerk's page says why, who and
    when; the withdrawn steps are logged as sent back (the log only grows)."""
    # given
    order = at_dealer_approval()
    dealer = dealer_of(order)
    client.force_login(dealer)
    signed_before = StepLog.objects.filter(order=order, outcome=StepLog.Outcome.DONE).count()

    # when
    sent = send_back(client, order)

    # then
    assert "已退回到：制作成本单和利润单。" in html.unescape(sent.content.decode())
    order.refresh_from_db()
    assert order.step == "delivery_note"
    assert not set(WITHDRAWN) & set(order.signed) and "verify" in order.signed
    log = StepLog.objects.filter(order=order, outcome=StepLog.Outcome.SENT_BACK)
    assert sorted(log.values_list("step", flat=True)) == sorted(WITHDRAWN)
    assert {entry.note for entry in log} == {REASON}
    assert StepLog.objects.filter(order=order, outcome="done").count() == signed_before
    event = AuditEvent.objects.get(action=STEP_SENT_BACK.code)
    assert event.note == REASON and event.actor == dealer
    client.force_login(staff(Role.CLERK))
    page = page_of(client, order)
    at = log.last().at
    assert f"退回：{REASON} — {dealer.display_name}，" in page
    assert "签字：制作成本单和利润单</button>" in page
    assert f"— {dealer.display_name}，{timezone.localtime(at):%Y-%m-%d %H:%M}" in page


def test_o15_signed_again_the_note_goes_to_the_dealer_with_a_new_profit_note_version(client, roles):
    """O-15: once the clerk signs the note again, the reason is gone from the page, the
    dealer approves, and the profit note is issued again as a new version (the one sent back
    superseded; each version's bytes stay as printed)."""
    # given
    order = at_dealer_approval()
    first = Document.objects.get(order=order, kind=DocumentKind.PROFIT_NOTE)
    first_pdf = bytes(first.files.get(paper="a4").pdf)
    order = order_step_send_back(
        actor=dealer_of(order), order=order, step="dealer_approve", reason=REASON
    )

    # when the clerk signs the note again (the delivery booked anew) and the worker runs
    # what follows
    again = {
        "delivery_booked_for": "2026-12-03",
        "booked_with": "陈女士",
        "payment_reconfirmed": True,
    }
    order = order_step_complete(
        actor=staff(Role.CLERK), order=order, step="delivery_note", data=again
    )
    order = advance_to(order, "dealer_approve")
    effects_due_run()

    # then
    notes = Document.objects.filter(order=order, kind=DocumentKind.PROFIT_NOTE)
    current = notes.get(superseded_at=None)
    assert current.version == 2 and REASON in current.reason
    first.refresh_from_db()
    assert first.superseded_by == current
    assert bytes(first.files.get(paper="a4").pdf) == first_pdf
    client.force_login(dealer_of(order))
    page = page_of(client, order)
    assert "退回：" not in page
    assert reverse("document-pdf", args=[current.pk, "a4"]) in page
    order = order_step_complete(actor=dealer_of(order), order=order, step="dealer_approve")
    assert "dealer_approve" in order.signed


def test_o14_the_guards_no_longer_count_a_withdrawn_signature(roles):
    """O-14, O-15: a price off the list passes only with the sales supervisor's review; sent
    back, that review no longer counts until the supervisor signs it again."""
    # given an unusual order the supervisor reviewed, its price 100 where the list says 90
    order = dealer_order(
        needs_installation=True, end_price=Decimal("130"), product=listed_product("90")
    )
    order = verify_unusual(advance_to(order, "verify"))
    order = advance_to(order, "dealer_approve")
    assert "supervisor_review" in order.signed and guards.prices_as_listed(order) == []

    # when
    order = order_step_send_back(
        actor=dealer_of(order), order=order, step="dealer_approve", reason=REASON
    )

    # then
    order.refresh_from_db()
    assert "supervisor_review" not in order.signed
    assert guards.prices_as_listed(order)[0].startswith("O-14")


def verify_unusual(order):
    """Verified with "something unusual" ticked: the sales supervisor reviews it."""
    clerk = staff(Role.CLERK)
    all_checks_confirmed(order, clerk)
    return order_step_complete(actor=clerk, order=order, step="verify", data={"unusual": True})


def test_only_a_step_the_route_declares_sendable_is_sent_back_by_its_signer(roles):
    # given
    order = at_dealer_approval()
    early = dealer_order()

    # when a clerk tries the dealer's step, and the dealer a step that is not sendable
    with pytest.raises(StepRefused) as wrong_role:
        order_step_send_back(
            actor=staff(Role.CLERK), order=order, step="dealer_approve", reason=REASON
        )
    with pytest.raises(StepRefused) as not_sendable:
        order_step_send_back(actor=staff(Role.CLERK), order=early, step="verify", reason=REASON)

    # then
    dealer_step = {"step": DEALER_APPROVES.label, "role": Role.DEALER.label}
    assert wrong_role.value.reasons == [WRONG_ROLE % dealer_step]
    assert not_sendable.value.reasons == [NOT_SENT_BACK % {"step": VERIFY.label}]
    order.refresh_from_db()
    assert order.step == "dealer_approve"


def test_o15_the_api_sends_back_with_a_reason_and_refuses_without(client, roles):
    # given
    order = at_dealer_approval()
    client.force_login(dealer_of(order))
    url = f"/api/orders/{order.pk}/steps/dealer_approve/send-back"

    # when
    blank = client.post(url, {"reason": ""}, content_type="application/json")
    sent = client.post(url, {"reason": REASON}, content_type="application/json")

    # then
    assert blank.status_code == 409
    assert sent.status_code == 200 and sent.json()["step"] == "delivery_note"
