"""Cancelling an order entered by mistake or twice (issue 12, point 7): who may, until when,
what it leaves behind (the number in the log, void papers, the audit) and where it no longer
shows (every queue)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from gendan.accounts.roles import PARTNER_ROLES, Role
from gendan.accounts.tests.factories import UserFactory
from gendan.audit.models import AuditEvent
from gendan.documents.models import Document
from gendan.documents.rendering import TEMPLATE, document_context
from gendan.documents.services import ORDER_CANCELLED as PAPERS_VOID
from gendan.documents.services import document_issue, documents_refresh
from gendan.orders.effects import ORDER_CANCELLED as CANCEL_EFFECTS
from gendan.orders.models import Order, PaymentMethod, PaymentTerms, StepLog
from gendan.orders.routes import CANCELLED, CLOSE, CLOSED
from gendan.orders.selectors import (
    LOG_ALL,
    LOG_CANCELLED,
    LOG_OPEN,
    delivery_schedule,
    order_log,
    orders_waiting_for,
    receivable_orders,
)
from gendan.orders.services.cancel import (
    ALREADY_ASKED,
    GOODS_LEFT,
    NEEDS_APPROVAL,
    NOT_SIGNED_YET,
    NOTHING_ASKED,
    REASON_MISSING,
    REASON_TOO_LONG,
    order_cancel,
    order_cancel_approve,
    order_cancel_refuse,
    order_cancel_request,
)
from gendan.orders.services.effects import effects_due_run
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.services.steps import (
    ORDER_CANCELLED,
    ORDER_CLOSED,
    StepRefused,
    order_step_complete,
)
from gendan.orders.services.verification import order_addition_write
from gendan.orders.simulate import order_walk
from gendan.orders.tests.helpers import order_registered, scenario, staff
from gendan.parties.tests.factories import CustomerFactory, DealerFactory
from gendan.web.selectors import (
    open_by_step,
    overdue_ids,
    receivables_ageing,
    registered_counts,
    sales_by_channel,
)
from gendan.web.work import work_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]
REASON = "客户重复下单，录重了"


def clerk():
    return staff(Role.CLERK)


def supervisor():
    return staff(Role.SALES_SUPERVISOR)


def walked_to(order: Order, code: str) -> Order:
    """The order walked, each step signed by its role, until ``code`` is its current step."""
    signers = {role: staff(role) for role in Role if role not in PARTNER_ROLES}
    while order.step != code:
        before = order.step
        order = order_walk(order, signers, steps=1)
        assert order.step != before, f"the order is held at {before}"
    return Order.objects.get(pk=order.pk)


def market_order() -> Order:
    """A supermarket's order on contract terms: its route walks to the end without a partner."""
    return scenario("supermarket", terms=PaymentTerms.CONTRACT)


def refusal(call, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.messages


# ---- who may cancel, and until when --------------------------------------------------------


def test_the_clerk_cancels_an_order_before_finance_signs_and_the_step_log_says_who_and_why():
    # given an order just registered
    order = scenario("dealer")
    # when the clerk cancels it with a reason
    order_cancel(actor=clerk(), order=order, reason=f"  {REASON} ")
    # then it stands cancelled, by the clerk, for that reason, and its step log says so
    order.refresh_from_db()
    assert (order.step, order.cancelled_by, order.cancel_reason) == (CANCELLED, clerk(), REASON)
    assert order.cancelled_at is not None
    entry = order.step_log.get(step=CANCELLED)
    assert (entry.actor, entry.note, entry.data["from_step"]) == (clerk(), REASON, "verify")
    assert entry.signature == clerk().display_name


def test_the_cancellation_is_in_the_audit_with_who_and_why():
    # given an order
    order = scenario("dealer")
    # when the clerk cancels it
    order_cancel(actor=clerk(), order=order, reason=REASON)
    # then the audit has it: the clerk, the reason, the step it left
    event = AuditEvent.objects.get(action="order.cancelled", target_id=str(order.pk))
    assert (event.actor, event.note) == (clerk(), REASON)
    assert event.changes["step"] == ["verify", CANCELLED]


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(reason):
    # given an order
    order = scenario("dealer")
    # when the clerk cancels it without a reason, then it is refused and stays open
    assert refusal(order_cancel, actor=clerk(), order=order, reason=reason) == [REASON_MISSING]
    assert Order.objects.get(pk=order.pk).step == "verify"


def test_a_reason_longer_than_200_characters_is_refused():
    order = scenario("dealer")
    messages = refusal(order_cancel, actor=clerk(), order=order, reason="错" * 201)
    assert messages == [REASON_TOO_LONG % {"limit": 200}]
    assert Order.objects.get(pk=order.pk).cancelled_at is None


def test_whoever_registered_the_order_may_cancel_it():
    # given an order a sales rep registered
    customer = CustomerFactory(kind="retail")
    rep = staff(Role.SALES_REP)
    order = order_registered(customer)
    Order.objects.filter(pk=order.pk).update(registered_by=rep)
    # when the sales rep cancels it, then it is cancelled
    order_cancel(actor=rep, order=Order.objects.get(pk=order.pk), reason=REASON)
    assert Order.objects.get(pk=order.pk).step == CANCELLED


@pytest.mark.parametrize("role", [Role.WAREHOUSE, Role.FINANCE, Role.DRIVER, Role.SALES_REP])
def test_other_roles_may_not_cancel(role):
    # given an order the clerk registered
    order = scenario("dealer")
    # when another role tries to cancel it, then it is refused
    with pytest.raises(PermissionDenied):
        order_cancel(actor=staff(role), order=order, reason=REASON)
    assert Order.objects.get(pk=order.pk).cancelled_at is None


def test_a_dealer_cancels_none_of_another_dealers_orders_even_one_it_registered():
    # given a dealer's order registered by a user of another dealer (as if moved)
    order = scenario("dealer")
    stranger = UserFactory(roles=[Role.DEALER], partner=DealerFactory())
    Order.objects.filter(pk=order.pk).update(registered_by=stranger)
    # when that user tries to cancel it, then it is refused
    with pytest.raises(PermissionDenied):
        order_cancel(actor=stranger, order=Order.objects.get(pk=order.pk), reason=REASON)


def test_after_finance_signed_the_clerk_is_told_to_ask_the_sales_supervisor():
    # given an order finance has signed
    order = walked_to(market_order(), "ship")
    # when the clerk cancels it, then the clerk is told the supervisor approves it
    assert refusal(order_cancel, actor=clerk(), order=order, reason=REASON) == [NEEDS_APPROVAL]
    assert Order.objects.get(pk=order.pk).step == "ship"


def test_the_clerk_asks_and_the_sales_supervisor_approves():
    # given an order finance has signed, and the clerk's request to cancel it
    order = walked_to(market_order(), "ship")
    order_cancel_request(actor=clerk(), order=order, reason=REASON)
    # when the sales supervisor approves it
    order_cancel_approve(actor=supervisor(), order=order)
    # then it is cancelled, signed by the supervisor, for the clerk's reason
    order.refresh_from_db()
    assert (order.step, order.cancelled_by, order.cancel_reason) == (
        CANCELLED, supervisor(), REASON,
    )  # fmt: skip
    entry = order.step_log.get(step=CANCELLED)
    assert entry.data["asked_by"] == clerk().display_name
    assert AuditEvent.objects.filter(action="order.cancel_requested", actor=clerk()).exists()
    event = AuditEvent.objects.get(action="order.cancelled")
    assert (event.actor, event.changes["asked_by"]) == (supervisor(), clerk().display_name)


def test_the_request_waits_in_the_supervisors_work_list_until_decided():
    # given the clerk's request to cancel a signed order
    order = walked_to(market_order(), "ship")
    order_cancel_request(actor=clerk(), order=order, reason=REASON)
    # then it waits for the sales supervisor
    assert order in orders_waiting_for(supervisor())
    section = next(s for s in work_for(supervisor()) if s["role"] == Role.SALES_SUPERVISOR)
    assert [item.order for item in section["waiting"]] == [order]
    # when approved, then it waits no more
    order_cancel_approve(actor=supervisor(), order=order)
    assert order not in orders_waiting_for(supervisor())


def test_the_sales_supervisor_refuses_the_request_and_the_order_goes_on():
    # given the clerk's request to cancel a signed order
    order = walked_to(market_order(), "ship")
    order_cancel_request(actor=clerk(), order=order, reason=REASON)
    # when the supervisor refuses it with a reason
    order_cancel_refuse(actor=supervisor(), order=order, reason="货已备好，按原单发")
    # then the order stays at its step, no request waits, and the audit has the refusal
    order.refresh_from_db()
    assert (order.step, order.cancel_requested_at, order.cancelled_at) == ("ship", None, None)
    event = AuditEvent.objects.get(action="order.cancel_refused")
    assert (event.actor, event.note) == (supervisor(), "货已备好，按原单发")
    assert order not in orders_waiting_for(supervisor())
    assert refusal(order_cancel_approve, actor=supervisor(), order=order) == [NOTHING_ASKED]


def test_a_request_is_asked_once_and_only_after_finance_signed():
    # given an order not yet signed by finance
    order = scenario("dealer")
    # then the clerk is told to cancel it directly
    messages = refusal(order_cancel_request, actor=clerk(), order=order, reason=REASON)
    assert messages == [NOT_SIGNED_YET]
    # given a signed order with a request already made
    signed = walked_to(market_order(), "ship")
    order_cancel_request(actor=clerk(), order=signed, reason=REASON)
    # then a second request is refused
    messages = refusal(order_cancel_request, actor=clerk(), order=signed, reason=REASON)
    assert messages == [ALREADY_ASKED]


def test_only_the_sales_supervisor_approves():
    order = walked_to(market_order(), "ship")
    order_cancel_request(actor=clerk(), order=order, reason=REASON)
    with pytest.raises(PermissionDenied):
        order_cancel_approve(actor=clerk(), order=order)
    with pytest.raises(PermissionDenied):
        order_cancel_refuse(actor=staff(Role.FINANCE), order=order, reason="不行")


def test_the_sales_supervisor_cancels_a_signed_order_directly():
    order = walked_to(market_order(), "ship")
    order_cancel(actor=supervisor(), order=order, reason=REASON)
    assert Order.objects.get(pk=order.pk).cancelled_by == supervisor()


def test_once_the_goods_have_left_cancelling_is_refused_and_points_to_the_return(client):
    # given an order the warehouse has shipped
    order = walked_to(market_order(), "deliver")
    # when the supervisor cancels it, then it is refused: a return brings the goods back
    assert refusal(order_cancel, actor=supervisor(), order=order, reason=REASON) == [GOODS_LEFT]
    # and the order page tells the clerk so, with a link to its returns
    client.force_login(clerk())
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert str(GOODS_LEFT) in page and 'href="#returns"' in page
    assert reverse("order-cancel", args=[order.pk, "cancel"]) not in page


def test_a_closed_order_is_not_cancelled():
    # given a closed order
    order = walked_to(market_order(), CLOSE.code)
    order = order_walk(order, {Role.FINANCE: staff(Role.FINANCE)}, steps=1)
    assert order.step == CLOSED
    # when the supervisor cancels it, then it is refused
    assert refusal(order_cancel, actor=supervisor(), order=order, reason=REASON) == [
        str(ORDER_CLOSED)
    ]


# ---- a cancelled order stays cancelled -----------------------------------------------------


def cancelled(order: Order | None = None) -> Order:
    order = order or scenario("dealer")
    order_cancel(actor=clerk(), order=order, reason=REASON)
    return Order.objects.get(pk=order.pk)


def test_a_cancelled_order_is_not_cancelled_twice():
    order = cancelled()
    assert refusal(order_cancel, actor=clerk(), order=order, reason=REASON) == [
        str(ORDER_CANCELLED)
    ]
    assert order.step_log.filter(step=CANCELLED).count() == 1


def test_a_cancelled_order_is_not_signed():
    # given a cancelled order
    order = cancelled()
    # when the clerk signs its verification, then it is refused
    with pytest.raises(StepRefused) as refused:
        order_step_complete(actor=clerk(), order=order, step="verify")
    assert refused.value.reasons == [str(ORDER_CANCELLED)]


def test_a_cancelled_order_receives_no_money():
    order = cancelled()
    messages = refusal(
        order_receipt_add, actor=staff(Role.FINANCE), order=order, amount=Decimal("10"),
        method=PaymentMethod.CASH,
    )  # fmt: skip
    assert messages == [str(ORDER_CANCELLED)]
    assert Order.objects.get(pk=order.pk).paid == Decimal("0")


def test_a_cancelled_order_is_not_added_to():
    order = cancelled()
    messages = refusal(order_addition_write, actor=clerk(), order=order, text="送货前电话")
    assert messages == [str(ORDER_CANCELLED)]


# ---- the number stays in the log -----------------------------------------------------------


def test_o2_a_cancelled_number_stays_in_the_log_marked_and_is_never_reused(client):
    """O-2: a cancelled order keeps its number in the daily log, marked cancelled; the next
    order registered that day gets the next number."""
    # given an order cancelled
    first = cancelled()
    # when another order is registered the same day
    second = scenario("dealer")
    # then it has the next number, and the log keeps both
    day, counter = first.number.split("-")
    assert second.number == f"{day}-{int(counter) + 1:03d}"
    assert list(order_log(user=clerk(), day=first.log_day, state=LOG_ALL)) == [first, second]
    assert list(order_log(user=clerk(), state=LOG_OPEN)) == [second]
    assert list(order_log(user=clerk(), state=LOG_CANCELLED)) == [first]
    # and the log's page marks it cancelled, under the filter "cancelled"
    client.force_login(clerk())
    page = client.get(reverse("order-log"), {"state": "cancelled"}).content.decode()
    assert first.number in page and second.number not in page and "data-cancelled" in page
    open_page = client.get(reverse("order-log")).content.decode()
    assert first.number not in open_page and second.number in open_page


# ---- it leaves every queue -----------------------------------------------------------------


def test_a_cancelled_order_leaves_the_work_lists():
    # given an order waiting for the clerk's verification, then cancelled
    order = scenario("dealer")
    assert order in orders_waiting_for(clerk())
    cancelled(order)
    # then it waits for nobody
    assert order not in orders_waiting_for(clerk())
    waiting = [item.order for section in work_for(clerk()) for item in section["waiting"]]
    assert order not in waiting


def test_a_cancelled_order_leaves_the_manager_figures_and_overdue_lists():
    # given an order of today and one of an earlier day (overdue: not verified on its day)
    today = timezone.localdate()
    manager = staff(Role.GENERAL_MANAGER)
    late, fresh = scenario("dealer"), scenario("dealer", on=today)
    assert late.pk in overdue_ids(manager, today)["not_verified"]
    # when both are cancelled
    cancelled(late), cancelled(fresh)
    # then no figure counts them
    assert late.pk not in overdue_ids(manager, today)["not_verified"]
    assert open_by_step(manager) == []
    assert [bar.count for bar in registered_counts(manager, today)] == [0, 0]
    assert sales_by_channel(manager, today) == []
    assert sum(bar.count for bar in receivables_ageing(manager, today)) == 0


def test_a_cancelled_order_is_owed_by_nobody_and_delivered_to_nobody():
    # given an order owed and waiting for delivery
    order = scenario("dealer")
    finance = staff(Role.FINANCE)
    assert order in receivable_orders(user=finance)
    assert order in delivery_schedule(user=clerk())
    # when it is cancelled
    cancelled(order)
    # then it is neither owed nor on the delivery schedule
    assert order not in receivable_orders(user=finance)
    assert order not in delivery_schedule(user=clerk())


# ---- its papers are void -------------------------------------------------------------------


def test_its_papers_get_void_versions_and_the_issued_bytes_stay_as_printed():
    # given an order whose order form was printed
    order = scenario("dealer")
    first = document_issue(actor=clerk(), order=order, kind="order_form")
    printed = bytes(first.files.get().pdf)
    # when the order is cancelled and the worker runs its reactions
    cancelled(order)
    effects_due_run()
    # then the order form has a void version: who, when, why; the first keeps its bytes
    first.refresh_from_db()
    void = Document.objects.get(number=first.number, superseded_at=None)
    assert (void.version, void.void_by, void.void_reason) == (2, clerk(), REASON)
    assert void.content["void"]["reason"] == REASON and first.superseded_by == void
    assert bytes(first.files.get().pdf) == printed
    assert bytes(void.files.get().pdf) != printed
    assert AuditEvent.objects.filter(action="document.voided", target_id=str(order.pk)).exists()


def test_a_void_paper_reads_void_on_every_copy_and_is_not_issued_again():
    # given a cancelled order whose order form was made void
    order = scenario("dealer")
    document_issue(actor=clerk(), order=order, kind="order_form")
    order = cancelled(order)
    effects_due_run()
    void = Document.objects.get(order=order, superseded_at=None)
    # then the paper says VOID in its banner and its mark, with who and why
    with translation.override("zh-hans"):
        context = document_context(
            void.content, version=void.version, issued_at=void.issued_at, paper="a4"
        )
        body = render_to_string(TEMPLATE, context | {"layer": "body"})
        marks = render_to_string(TEMPLATE, context | {"layer": "marks", "later_pages": []})
    assert "作废 / VOID" in body and REASON in body and clerk().display_name in body
    assert 'class="void-mark"' in marks
    # and it is neither issued nor refreshed again
    messages = refusal(document_issue, actor=clerk(), order=order, kind="order_form")
    assert messages == [str(PAPERS_VOID)]
    assert documents_refresh(actor=clerk(), order=order, reason="改") == []
    assert Document.objects.filter(order=order).count() == 2


def test_the_reaction_to_a_cancellation_exists():
    from django.utils.module_loading import import_string

    assert all(callable(import_string(action)) for action in CANCEL_EFFECTS)


# ---- the pages and the API -----------------------------------------------------------------


def test_the_clerk_cancels_from_the_order_page_and_the_page_shows_who_when_why(client):
    # given an order, and its page as the clerk sees it: the cancel box with its dialog
    order = scenario("dealer")
    client.force_login(clerk())
    address = reverse("order-cancel", args=[order.pk, "cancel"])
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert address in page and "data-sign-confirm" in page
    # when the clerk sends it with a reason
    response = client.post(address, {"reason": REASON})
    # then the order is cancelled and its page says by whom, when and why
    assert response.status_code == 302
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert 'id="cancelled"' in page and REASON in page and clerk().display_name in page
    assert address not in page


def test_the_page_refuses_a_cancellation_without_reason(client):
    order = scenario("dealer")
    client.force_login(clerk())
    client.post(reverse("order-cancel", args=[order.pk, "cancel"]), {"reason": ""})
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert str(REASON_MISSING) in page
    assert Order.objects.get(pk=order.pk).cancelled_at is None


def test_the_sales_supervisor_approves_from_the_order_page(client):
    # given a clerk's request on a signed order
    order = walked_to(market_order(), "ship")
    client.force_login(clerk())
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert reverse("order-cancel", args=[order.pk, "ask"]) in page
    client.post(reverse("order-cancel", args=[order.pk, "ask"]), {"reason": REASON})
    # when the supervisor opens the page, then approve and refuse are there
    client.force_login(supervisor())
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert reverse("order-cancel", args=[order.pk, "approve"]) in page
    assert reverse("order-cancel", args=[order.pk, "refuse"]) in page
    # when the supervisor approves it, then it is cancelled
    client.post(reverse("order-cancel", args=[order.pk, "approve"]))
    assert Order.objects.get(pk=order.pk).cancelled_by == supervisor()


def test_the_api_cancels_and_refuses_a_second_time(client):
    # given an order
    order = scenario("dealer")
    client.force_login(clerk())
    address = f"/api/orders/{order.pk}/cancel"
    # when the clerk cancels it through the API
    response = client.post(address, {"reason": REASON}, content_type="application/json")
    # then it answers with the cancelled order; a second time it is refused with the rule
    assert response.status_code == 200
    assert (response.json()["step"], response.json()["cancel_reason"]) == (CANCELLED, REASON)
    again = client.post(address, {"reason": REASON}, content_type="application/json")
    assert again.status_code == 422
    assert [error["msg"] for error in again.json()["detail"]] == [str(ORDER_CANCELLED)]


def test_a_dealers_user_cannot_cancel_through_the_api(client):
    order = scenario("dealer")
    client.force_login(UserFactory(roles=[Role.DEALER], partner=order.partner))
    response = client.post(
        f"/api/orders/{order.pk}/cancel", {"reason": REASON}, content_type="application/json"
    )
    assert response.status_code == 403
    assert StepLog.objects.filter(order=order, step=CANCELLED).count() == 0
