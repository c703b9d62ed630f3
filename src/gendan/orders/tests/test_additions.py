"""O-7: what verification finds missing is added onto the order; what is there is changed
with a new version, and the change takes back the verification checks it touches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.catalog.tests.factories import ProductFactory
from gendan.documents.tests.helpers import walked_to
from gendan.orders.guards import CHECKS_TAKEN_BACK, FIELDS_MISSING
from gendan.orders.models import Order, VerificationItem
from gendan.orders.services.registration import LineInput
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.services.verification import (
    ALREADY_WRITTEN,
    NOT_AN_ADDITION,
    order_addition_write,
    order_change,
    order_change_confirm,
    order_checks_confirm,
)
from gendan.orders.tests.helpers import DAY, all_checks_confirmed, order_registered, staff
from gendan.parties.tests.factories import CustomerFactory, DealerFactory
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db
JSON = "application/json"
MISSING = {"floor": None, "contact_phone": "", "expected_delivery_on": None,
           "expected_install_on": None, "payment_due": None}  # fmt: skip


def confirmed(order: Order) -> set[str]:
    return set(order.checks.values_list("item", flat=True))


def told(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_o7_an_addition_writes_the_missing_fields_onto_the_order_without_a_new_version(roles):
    """O-7: the floor, phone, delivery and installation time and payment date found missing
    at verification go straight onto the order, signed in its history; no re-issue."""
    # given a dealer's order with installation registered without them
    order = order_registered(DealerFactory(), needs_installation=True, **MISSING)
    clerk = staff(Role.CLERK)
    # when the clerk writes them onto the order
    added = {"floor": 6, "contact_phone": "13912345678", "payment_due": DAY,
             "expected_delivery_on": DAY + dt.timedelta(days=5),
             "expected_install_on": DAY + dt.timedelta(days=6)}  # fmt: skip
    order = order_addition_write(actor=clerk, order=order, fields=added, text="电梯可用")
    # then the order carries them, as the same version, waiting for nobody
    order.refresh_from_db()
    assert (order.floor, order.contact_phone, order.payment_due) == (6, "13912345678", DAY)
    assert order.expected_install_on == DAY + dt.timedelta(days=6)
    assert "电梯可用" in order.other_requests
    assert order.revision == 1 and not order.revisions.exists()
    assert not order.awaiting_confirmation
    # and the history says who added what
    event = AuditEvent.objects.get(action="order.addition", target_id=str(order.pk))
    assert event.actor == clerk and event.changes["floor"] == [None, 6]
    assert event.changes["expected_delivery_on"] == [None, "2026-11-26"]


def test_o7_an_addition_lets_verification_finish_without_a_new_version(roles):
    """O-7 with O-5: the missing delivery date added, the twelve checks let the order on."""
    # given an order with every check confirmed but no delivery date
    order = order_registered(DealerFactory(), expected_delivery_on=None)
    clerk = staff(Role.CLERK)
    all_checks_confirmed(order, clerk)
    with pytest.raises(StepRefused) as held:
        order_step_complete(actor=clerk, order=order, step="verify")
    # when the clerk adds the delivery date
    order_addition_write(actor=clerk, order=order, fields={"expected_delivery_on": DAY})
    order = order_step_complete(actor=clerk, order=order, step="verify")
    # then the order moves on, still its first version
    assert FIELDS_MISSING % {"fields": VerificationItem.DELIVERY_TIME.label} in held.value.reasons
    assert order.step == "delivery_note" and order.revision == 1


def test_o7_an_addition_is_refused_for_a_field_already_written(roles):
    """O-7: a field that holds a value is changed, not added to: a new version."""
    # given an order on the 8th floor
    order = order_registered(DealerFactory(), floor=8)
    # when the clerk "adds" the 9th floor
    with pytest.raises(ValidationError) as refused:
        order_addition_write(actor=staff(Role.CLERK), order=order, fields={"floor": 9})
    # then it is refused, naming the floor written, and the order keeps it
    floor = Order._meta.get_field("floor").verbose_name
    assert refused.value.message_dict["floor"] == [ALREADY_WRITTEN % {"field": floor, "value": 8}]
    order.refresh_from_db()
    assert order.floor == 8 and not AuditEvent.objects.filter(action="order.addition").exists()


def test_o7_an_addition_cannot_touch_the_address_or_the_lines(roles):
    """O-7: the street is changed with a new version; an addition only fills what is missing."""
    # given an order
    order = order_registered(DealerFactory(), district="")
    # when the API is asked to "add" a street
    with pytest.raises(ValidationError) as refused:
        order_addition_write(actor=staff(Role.CLERK), order=order, fields={"street": "新街1号"})
    # then it is refused
    assert refused.value.message_dict["street"] == [NOT_AN_ADDITION % {"field": "street"}]
    order.refresh_from_db()
    assert order.street == "天河路1号"


def test_o7_the_order_page_offers_only_the_missing_fields_and_writes_them(client, roles):
    """O-7: the addition form on the order page shows the fields still empty, nothing else."""
    # given an order without floor or delivery date, its phone written
    order = order_registered(DealerFactory(), floor=None, expected_delivery_on=None)
    client.force_login(staff(Role.CLERK))
    # when the clerk opens the order page
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    form = page.split('class="addition"')[1].split("</form>")[0]
    # then the addition form asks for the floor and the delivery date, not for the phone
    assert 'name="floor"' in form and 'name="expected_delivery_on"' in form
    assert 'name="contact_phone"' not in form and 'name="payment_method"' not in form
    # and when the clerk fills in the floor, it is on the order
    action = reverse("order-note-action", args=[order.pk, "addition"])
    answer = client.post(action, {"floor": "12", "text": ""})
    order.refresh_from_db()
    assert order.floor == 12 and order.revision == 1
    assert in_chinese("Addition written onto the order.") in told(answer)


def test_o7_the_api_adds_missing_fields_and_refuses_written_ones(client, roles):
    """O-7: POST /api/orders/{id}/additions with ``fields``, checked as the page checks them."""
    # given an order without a floor
    order = order_registered(DealerFactory(), floor=None)
    client.force_login(staff(Role.CLERK))
    url = f"/api/orders/{order.pk}/additions"
    # when the floor is added, then added again, then a bad phone and a street are sent
    added = client.post(url, {"fields": {"floor": 3}}, content_type=JSON)
    again = client.post(url, {"fields": {"floor": 4}}, content_type=JSON)
    street = client.post(url, {"fields": {"street": "x"}}, content_type=JSON)
    # then the first is written and the others are refused
    assert added.status_code == 200 and Order.objects.get(pk=order.pk).floor == 3
    assert (again.status_code, street.status_code) == (422, 422)
    assert Order.objects.get(pk=order.pk).floor == 3


def line_of(order: Order, **changes) -> LineInput:
    line = order.lines.get()
    fields = {"product": line.product, "quantity": line.quantity, "unit_price": line.unit_price,
              "colour_code": line.colour_code}  # fmt: skip
    return LineInput(**(fields | changes))


PRICE, QUANTITY = VerificationItem.PRICE, VerificationItem.QUANTITY
PRODUCT = {VerificationItem.PRODUCT_NAME, VerificationItem.SKU, VerificationItem.COLOUR_CODE}


@pytest.mark.parametrize(
    ("what", "fields", "line", "taken_back"),
    [
        ("price", {}, {"unit_price": Decimal("120")}, {PRICE}),
        ("quantity", {}, {"quantity": Decimal("12")}, {QUANTITY}),
        ("product", {}, {"product": "another"}, PRODUCT),
        ("street", {"street": "季华路8号"}, {}, {VerificationItem.ADDRESS}),
        ("delivery", {"expected_delivery_on": DAY}, {}, {VerificationItem.DELIVERY_TIME}),
        ("floor filled in", {"floor": 5}, {}, set()),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_o7_a_change_takes_back_the_checks_it_touches_and_no_other(
    roles, what, fields, line, taken_back
):
    """O-7: a revision un-confirms the checks of what it changed; the rest stay confirmed.
    A floor filled in where it was empty takes nothing back."""
    # given an order with its twelve checks confirmed
    order = order_registered(DealerFactory(), floor=None)
    clerk = staff(Role.CLERK)
    all_checks_confirmed(order, clerk)
    if line.get("product") == "another":
        line = {"product": ProductFactory()}
    # when the clerk changes one thing
    order = order_change(
        actor=clerk, order=order, fields=fields, lines=[line_of(order, **line)], reason=what
    )
    # then only its checks are to confirm again, the old version kept, the customer asked
    assert confirmed(order) == set(VerificationItem.values) - taken_back
    assert order.revisions.get(number=1).reason == what and order.awaiting_confirmation
    reset = AuditEvent.objects.filter(action="order.checks_reset", target_id=str(order.pk))
    assert {item for event in reset for item in event.changes} == taken_back


def test_o7_a_supermarket_order_is_changed_without_a_reissue_but_loses_the_checks(roles):
    """O-7: the re-issued order the customer confirms is for non-supermarket orders; the
    checks of what changed are confirmed again all the same."""
    # given a supermarket's order with its checks confirmed
    order = order_registered(CustomerFactory(kind="supermarket"), payment_terms="contract")
    verifier = staff(Role.ACCOUNT_MANAGER)
    all_checks_confirmed(order, verifier)
    # when its price is changed
    line = line_of(order, unit_price=Decimal("90"))
    order = order_change(actor=verifier, order=order, fields={}, lines=[line], reason="改价")
    # then it waits for no confirmation, keeps its old version, and the price is open again
    assert not order.awaiting_confirmation and order.revisions.count() == 1
    assert confirmed(order) == set(VerificationItem.values) - {PRICE}


def test_o7_a_change_after_verification_holds_the_order_until_its_checks_are_confirmed(roles):
    """O-5, O-7: after verification, the checks a change took back must be confirmed again
    (with the customer's confirmation) before the next step is signed."""
    # given a dealer's order past verification, at the delivery note
    order = walked_to(order_registered(DealerFactory()), "delivery_note")
    clerk = staff(Role.CLERK)
    # when its quantity is changed and the customer confirms the new version
    line = line_of(order, quantity=Decimal("11"))
    order = order_change(actor=clerk, order=order, fields={}, lines=[line], reason="加1平方")
    order_change_confirm(actor=clerk, order=order, confirmed_by="经销商 李总")
    with pytest.raises(StepRefused) as held:
        order_step_complete(actor=clerk, order=order, step="delivery_note", data=NOTE_RECORD)
    # then the note waits for the quantity check, and goes once it is confirmed again
    label = VerificationItem.QUANTITY.label
    assert held.value.reasons == [CHECKS_TAKEN_BACK % {"items": label}]
    order_checks_confirm(actor=clerk, order=order, items=[QUANTITY])
    order = order_step_complete(actor=clerk, order=order, step="delivery_note", data=NOTE_RECORD)
    assert order.step != "delivery_note"


NOTE_RECORD = {"delivery_booked_for": "2026-11-28", "booked_with": "王先生",
               "payment_reconfirmed": True}  # fmt: skip


def test_o7_the_change_page_says_which_checks_a_change_takes_back(client, roles):
    """O-7: before saving, the change page lists each confirmed check and what takes it back;
    after saving, the message names the checks to confirm again."""
    # given an order with its price confirmed by the clerk
    order = order_registered(DealerFactory())
    clerk = staff(Role.CLERK)
    order_checks_confirm(actor=clerk, order=order, items=[PRICE])
    client.force_login(clerk)
    # when the clerk opens the change page
    page = client.get(reverse("order-change", args=[order.pk])).content.decode()
    # then the price check is listed with what takes it back
    listed = page.split('class="checks-at-stake"')[1].split("</ul>")[0]
    assert str(VerificationItem.PRICE.label) in listed and clerk.display_name in listed
    assert in_chinese("a line's price") in listed
    # and when the price is changed, the message names the check to confirm again
    line = order.lines.get()
    change = {
        "reason": "改价", "province": "广东省", "city": "广州市", "street": "天河路1号",
        "floor": "8", "contact_phone": "13800000000", "payment_method": "bank_transfer",
        "payment_terms": "prepay", "expected_delivery_on": "2026-11-28",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "1", "lines-MIN_NUM_FORMS": "1",
        "lines-0-product": line.product_id, "lines-0-quantity": "10", "lines-0-unit_price": "110",
    }  # fmt: skip
    answer = client.post(reverse("order-change", args=[order.pk]), change)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    again = in_chinese("Checks to confirm again: %(items)s.") % {"items": "价格"}
    assert any(again in message for message in told(answer))
    assert not confirmed(order)


def test_o7_the_order_page_asks_to_confirm_again_the_checks_a_change_took_back(client, roles):
    """O-7: past verification, the order page lists the checks taken back, to tick again."""
    # given a dealer's order past verification whose price was changed and confirmed
    order = walked_to(order_registered(DealerFactory()), "delivery_note")
    clerk = staff(Role.CLERK)
    line = line_of(order, unit_price=Decimal("95"))
    order = order_change(actor=clerk, order=order, fields={}, lines=[line], reason="降价")
    order_change_confirm(actor=clerk, order=order, confirmed_by="经销商 李总")
    client.force_login(clerk)
    # when the clerk opens the order page
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    form = page.split('class="checks-again"')[1].split("</form>")[0]
    # then only the price is offered, and ticking it confirms it again
    assert f'value="{PRICE}"' in form and f'value="{QUANTITY}"' not in form
    client.post(reverse("order-checks", args=[order.pk]), {"items": [PRICE]})
    assert confirmed(order) == set(VerificationItem.values)
