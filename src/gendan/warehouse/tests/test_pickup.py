"""O-61: an urgent self-pickup; the clerk sees the stock of each line by batch before making
the delivery note, and when it is short agrees a substitute with the customer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.catalog.models import PriceKind, PriceList, PriceListItem
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import VerificationItem
from gendan.orders.routes import DELIVERY_NOTE
from gendan.orders.tests.helpers import scenario, staff
from gendan.warehouse.models import Substitution
from gendan.warehouse.selectors_pickup import OTHER_COLOUR, OTHER_GRADE, order_pickup
from gendan.warehouse.services import pickup
from gendan.warehouse.services.pickup import substitution_choose
from gendan.warehouse.tests.helpers import batch_received, stocked_product
from gendan.warehouse.tests.test_reservations import note_made

pytestmark = pytest.mark.django_db

FLOOR = {"board_class": "wide", "length_mm": 960, "width_mm": 123, "thickness_mm": Decimal("17")}


def floor(colour: str, grade: str = "first", price: str = "100", **fields: object):
    return stocked_product(price, colour_code=colour, grade=grade, **(FLOOR | fields))


def pickup_order(product, quantity: str = "50", **fields: object):
    """A dealer's self-pickup order waiting for its delivery note."""
    order = scenario("dealer", product=product, quantity=quantity, self_pickup=True, **fields)
    return walked_to(order, DELIVERY_NOTE.code)


@pytest.fixture
def short(roles):
    """Teak T-601 first grade, 50 m² asked, its batches 30 and 20: no single batch covers it;
    substitutes of both rules have stock, and some that do not qualify."""
    asked = floor("T-601")
    batch_received(asked, "T601-A", "30")
    batch_received(asked, "T601-B", "20")
    colour = floor("T-602", price="100")  # same grade, another colour, same price
    batch_received(colour, "T602-A", "80")
    dearer = floor("T-603", price="160")  # same grade, another colour, dearer
    batch_received(dearer, "T603-A", "60")
    grade = floor("T-601", grade="premium", price="120")  # same colour, another grade
    batch_received(grade, "T601P-A", "55")
    thin = floor("T-604", thickness_mm=Decimal("15"))  # another size: not a substitute
    batch_received(thin, "T604-A", "100")
    few = floor("T-605")  # a substitute by its kind, but no batch covers 50
    batch_received(few, "T605-A", "40")
    return {"asked": asked, "colour": colour, "dearer": dearer, "grade": grade, "few": few,
            "thin": thin, "order": pickup_order(asked)}  # fmt: skip


def test_the_clerk_sees_each_lines_stock_by_batch(short):
    """O-61: on hand, reserved, available of each batch, and that no batch covers the line."""
    [line] = order_pickup(short["order"])
    assert [(b.number, b.on_hand, b.reserved, b.available) for b in line.batches] == [
        ("T601-A", Decimal("30"), Decimal("0"), Decimal("30")),
        ("T601-B", Decimal("20"), Decimal("0"), Decimal("20")),
    ]
    assert (line.needed, line.covered) == (Decimal("50"), False)


def test_substitutes_follow_the_two_rules_ranked_colour_first_then_nearest_price(short):
    """O-61: another colour of the same board class, size and grade first (the nearest price
    first), then the same colour in another grade; only those one batch covers."""
    [line] = order_pickup(short["order"])
    proposed = [(s.product.colour_code, s.product.grade, s.rule, s.batch.number, s.price)
                for s in line.substitutes]  # fmt: skip
    assert proposed == [
        ("T-602", "first", OTHER_COLOUR, "T602-A", Decimal("100")),
        ("T-603", "first", OTHER_COLOUR, "T603-A", Decimal("160")),
        ("T-601", "premium", OTHER_GRADE, "T601P-A", Decimal("120")),
    ]


def test_a_line_one_batch_covers_gets_no_substitutes(roles):
    """O-61: enough in one batch: the stock is shown, nothing is proposed."""
    asked = floor("T-601")
    batch_received(asked, "T601-A", "80")
    batch_received(floor("T-602"), "T602-A", "80")
    [line] = order_pickup(pickup_order(asked))
    assert line.covered and line.substitutes == []


def test_substitutes_are_priced_for_this_customer(short):
    """O-61: the price on the dealer's own contract list, not the general one (O-9)."""
    order = short["order"]
    own = PriceList.objects.create(
        name="李总合同价", kind=PriceKind.DEALER_SETTLEMENT, customer=order.customer,
        valid_from="2026-01-01",
    )  # fmt: skip
    PriceListItem.objects.create(price_list=own, product=short["grade"], price=Decimal("99"))
    [line] = order_pickup(order)
    assert [s.price for s in line.substitutes if s.rule == OTHER_GRADE] == [Decimal("99")]


def test_the_customers_choice_is_recorded_and_the_line_changed(short):
    """O-61: who chose, who recorded, when; the line now the substitute at its price, as a
    revision of the order confirmed by the customer who chose in person (O-7)."""
    # given
    order, clerk = short["order"], staff(Role.CLERK)
    line = order.lines.get()
    # when
    chosen = substitution_choose(
        actor=clerk, order=order, line=line, substitute=short["grade"], chosen_by="王女士",
        note="同色号优等品",
    )  # fmt: skip
    # then
    assert (chosen.original, chosen.substitute, chosen.chosen_by, chosen.recorded_by) == (
        short["asked"], short["grade"], "王女士", clerk,
    )  # fmt: skip
    order.refresh_from_db()
    [new_line] = order.lines.all()
    assert (new_line.product, new_line.colour_code, new_line.unit_price) == (
        short["grade"], "T-601", Decimal("120.00"),
    )  # fmt: skip
    assert new_line.quantity == Decimal("50")
    revision = order.revisions.get()
    assert "O-61" in revision.reason and revision.confirmed_by == "王女士"
    assert not order.awaiting_confirmation
    assert AuditEvent.objects.filter(action="stock.substitution").count() == 1


def test_after_the_choice_the_delivery_note_reserves_the_substitutes_batch(short, client):
    """O-61 with O-58 and O-7: the choice changes the line, which takes back the checks of
    its product; the clerk confirms them again on the order page, then the note made
    reserves the batch proposed."""
    # given
    order, clerk = short["order"], staff(Role.CLERK)
    substitution_choose(
        actor=clerk, order=order, line=order.lines.get(), substitute=short["colour"],
        chosen_by="王女士",
    )  # fmt: skip
    client.force_login(clerk)
    taken_back = client.get(reverse("order-detail", args=[order.pk])).context["checks_taken_back"]
    assert {item.value for item in taken_back} == {
        VerificationItem.PRODUCT_NAME, VerificationItem.SKU, VerificationItem.COLOUR_CODE,
    }  # fmt: skip
    # when
    client.post(
        reverse("order-checks", args=[order.pk]), {"items": [item.value for item in taken_back]}
    )
    order = note_made(order)
    # then
    assert [r.batch.number for r in order.reservations.all()] == ["T602-A"]


def refused(short, message, **given):
    """Choosing is refused with the message, and nothing of the order changes."""
    order = short["order"]
    before = list(order.lines.values_list("product", "unit_price"))
    kwargs = {"actor": staff(Role.CLERK), "order": order, "line": order.lines.get(),
              "substitute": short["colour"], "chosen_by": "王女士"} | given  # fmt: skip
    with pytest.raises(ValidationError) as error:
        substitution_choose(**kwargs)
    assert str(message) in str(error.value)
    assert list(order.lines.values_list("product", "unit_price")) == before
    assert not Substitution.objects.exists() and not order.revisions.exists()


def test_a_product_not_proposed_is_refused(short):
    """O-61: another size is no substitute; nothing changes."""
    names = {"product": short["thin"], "line": short["asked"]}
    refused(short, pickup.NOT_PROPOSED % names, substitute=short["thin"])


def test_a_substitute_no_batch_covers_any_more_is_refused(short):
    """O-61: a substitute of the right kind whose batches are too small is refused."""
    few = short["few"]
    names = {"product": few, "quantity": Decimal("50.000"), "unit": few.get_unit_display()}
    refused(short, pickup.NO_LONGER_COVERED % names, substitute=short["few"])


def test_the_choice_needs_who_chose(short):
    """O-61: the customer's name is recorded, so it is asked for."""
    refused(short, pickup.CHOSEN_BY_MISSING, chosen_by="  ")


def test_no_substitute_once_the_delivery_note_is_made(roles):
    """O-61: the choice is made before the note; after it, it is refused."""
    asked = floor("T-601")
    batch_received(asked, "T601-A", "80")
    colour = floor("T-602")
    batch_received(colour, "T602-A", "80")
    order = note_made(pickup_order(asked))
    with pytest.raises(ValidationError) as error:
        substitution_choose(
            actor=staff(Role.CLERK), order=order, line=order.lines.get(), substitute=colour,
            chosen_by="王女士",
        )  # fmt: skip
    assert str(pickup.NOTE_SIGNED) in str(error.value)
    assert order_pickup(order) is None


def test_an_order_collected_by_no_one_is_refused(roles):
    """O-61: substitutes belong to self-pickup orders."""
    asked = floor("T-601")
    colour = floor("T-602")
    batch_received(colour, "T602-A", "80")
    order = walked_to(scenario("dealer", product=asked, quantity="50"), DELIVERY_NOTE.code)
    with pytest.raises(ValidationError) as error:
        substitution_choose(
            actor=staff(Role.CLERK), order=order, line=order.lines.get(), substitute=colour,
            chosen_by="王女士",
        )  # fmt: skip
    assert str(pickup.NOT_SELF_PICKUP) in str(error.value)


def test_only_the_clerk_records_a_substitution(short):
    """O-61: the warehouse sees the stock but does not change the order."""
    order = short["order"]
    with pytest.raises(PermissionDenied):
        substitution_choose(
            actor=staff(Role.WAREHOUSE), order=order, line=order.lines.get(),
            substitute=short["colour"], chosen_by="王女士",
        )  # fmt: skip
    assert not Substitution.objects.exists()
