"""O-61: an urgent self-pickup; the clerk sees the stock of each line by batch before making
the delivery note, and when it is short agrees a substitute with the customer."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.catalog.models import PriceKind, PriceList, PriceListItem
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import Order, VerificationItem
from gendan.orders.routes import DELIVERY_NOTE
from gendan.orders.services.cancel import order_cancel
from gendan.orders.tests.helpers import scenario, staff
from gendan.warehouse.models import Substitution
from gendan.warehouse.selectors_pickup import (
    OTHER_COLOUR,
    OTHER_GRADE,
    order_is_urgent,
    order_pickup,
    urgent_orders,
)
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


# ---- the order page's part, the confirmation page, the API -----------------------------------


def panel(client, order):
    return client.get(reverse("warehouse-pickup", args=[order.pk]))


def choice(order, product, **given):
    return {"line": order.lines.get().pk, "substitute": product.pk, "chosen_by": "王女士"} | given


def test_the_order_page_shows_the_stock_by_batch_before_the_note(short, client):
    """O-61: the order page of a self-pickup loads its stock part; each batch with what it
    has available, no batch covering the line, and the substitutes with their prices."""
    order = short["order"]
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert reverse("warehouse-pickup", args=[order.pk]) in page
    html = panel(client, order).content.decode()
    assert "T601-A" in html and "T601-B" in html
    assert str(_("no single batch covers it")) in html and str(_("urgent")) in html
    for sku, batch in (("colour", "T602-A"), ("dearer", "T603-A"), ("grade", "T601P-A")):
        assert short[sku].sku in html and batch in html
    assert short["thin"].sku not in html and short["few"].sku not in html
    assert "160.00" in html  # the dearer colour's price for this dealer
    assert 'name="chosen_by"' in html


def test_the_page_names_the_batch_the_note_will_reserve(roles, client):
    """O-61 with O-58: one batch covers the line: the page says which, and proposes nothing."""
    asked = floor("T-601")
    batch_received(asked, "T601-A", "80")
    batch_received(asked, "T601-B", "60")
    order = pickup_order(asked)
    client.force_login(staff(Role.CLERK))
    html = panel(client, order).content.decode()
    assert str(_("batch %(batch)s covers it") % {"batch": "T601-B"}) in html  # least left over
    assert 'name="substitute"' not in html


def test_after_the_note_the_order_page_no_longer_asks(roles, client):
    """O-61: once the note is made the reservations say where the goods come from."""
    asked = floor("T-601")
    batch_received(asked, "T601-A", "80")
    order = note_made(pickup_order(asked))
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert reverse("warehouse-pickup", args=[order.pk]) not in page
    assert "T601-A" not in panel(client, order).content.decode()


def test_the_page_asks_to_confirm_then_records_the_choice(short, client):
    """O-61: the first post only shows what will change; confirmed, the choice is recorded
    (who chose, who recorded) and the order page asks for the product's checks again."""
    order, clerk = short["order"], staff(Role.CLERK)
    client.force_login(clerk)
    url = reverse("warehouse-pickup-substitution", args=[order.pk])
    asked = client.post(url, choice(order, short["grade"], note="同色号优等品"))
    assert asked.status_code == 200 and "T601P-A" in asked.content.decode()
    assert not Substitution.objects.exists() and order.lines.get().product == short["asked"]
    done = client.post(url, choice(order, short["grade"], note="同色号优等品", confirmed="yes"))
    assert done.status_code == 302
    chosen = Substitution.objects.get()
    assert (chosen.chosen_by, chosen.recorded_by, chosen.note) == ("王女士", clerk, "同色号优等品")
    assert order.lines.get().product == short["grade"]
    page = client.get(done.url)
    assert page.context["checks_taken_back"]
    shown = _(
        "%(substitute)s instead of %(original)s, chosen by %(who)s; recorded by %(clerk)s, %(at)s"
    ) % {
        "substitute": short["grade"].sku,
        "original": short["asked"].sku,
        "who": "王女士",
        "clerk": clerk.display_name,
        "at": f"{localtime(chosen.recorded_at):%Y-%m-%d %H:%M}",
    }
    assert shown in panel(client, order).content.decode()
    told = _("O-61: %(who)s takes %(product)s instead of %(line)s; confirm the checks again.")
    names = {"who": "王女士", "product": short["grade"], "line": short["asked"]}
    assert told % names in page.content.decode()


@pytest.mark.parametrize(
    "bad",
    [
        {"chosen_by": ""},
        {"substitute": "thin"},
        {"substitute": "few"},
        {"substitute": "999999"},
        {"line": "other"},
        {"chosen_by": "王" * 61},
    ],
)
def test_the_page_refuses_bad_input_and_changes_nothing(short, client, bad):
    """O-61: a choice left without a name, a product that is no substitute or no longer
    covered, a line of another order: the order page says why; nothing changes."""
    order = short["order"]
    other = pickup_order(short["asked"])
    given = {
        key: other.lines.get().pk if value == "other"
        else short[value].pk if value in short else value
        for key, value in bad.items()
    }  # fmt: skip
    client.force_login(staff(Role.CLERK))
    url = reverse("warehouse-pickup-substitution", args=[order.pk])
    for confirmed in ("", "yes"):
        answer = client.post(url, choice(order, short["colour"], confirmed=confirmed) | given)
        assert answer.status_code == 302
        [told] = client.get(answer.url).context["messages"]
        assert told.level_tag == "error"
    assert not Substitution.objects.exists() and not order.revisions.exists()
    assert order.lines.get().product == short["asked"]


def test_a_non_self_pickup_order_is_refused_on_the_page(roles, client):
    """O-61: no stock part for an order the company delivers, and a choice posted is refused."""
    asked, colour = floor("T-601"), floor("T-602")
    batch_received(colour, "T602-A", "80")
    order = walked_to(scenario("dealer", product=asked, quantity="50"), DELIVERY_NOTE.code)
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    assert reverse("warehouse-pickup", args=[order.pk]) not in page
    url = reverse("warehouse-pickup-substitution", args=[order.pk])
    answer = client.post(url, choice(order, colour, confirmed="yes"), follow=True)
    assert str(pickup.NOT_SELF_PICKUP) in answer.content.decode()
    assert not Substitution.objects.exists() and order.lines.get().product == asked


def test_the_warehouse_sees_the_stock_but_cannot_choose(short, client):
    """O-61: the warehouse sees the part without the form, nor the dealer's prices (O-11)."""
    order = short["order"]
    client.force_login(staff(Role.WAREHOUSE))
    html = panel(client, order).content.decode()
    assert "T602-A" in html and 'name="chosen_by"' not in html and "160.00" not in html
    url = reverse("warehouse-pickup-substitution", args=[order.pk])
    assert client.post(url, choice(order, short["colour"], confirmed="yes")).status_code == 403
    assert not Substitution.objects.exists()


def test_the_api_gives_the_stock_by_batch_and_the_substitutes(short, client):
    """O-61: the API says what the page says: batches, which covers, substitutes and prices."""
    order = short["order"]
    client.force_login(staff(Role.CLERK))
    body = client.get(f"/api/warehouse/orders/{order.pk}/pickup").json()
    assert (body["self_pickup"], body["urgent"], body["open"]) == (True, True, True)
    [line] = body["lines"]
    assert (line["needed"], line["covered"], line["reserve_from"]) == ("50.000", False, None)
    assert [(b["number"], b["available"], b["covers"]) for b in line["batches"]] == [
        ("T601-A", "30.000", False), ("T601-B", "20.000", False),
    ]  # fmt: skip
    assert [(s["sku"], s["rule"], s["batch"], s["price"]) for s in line["substitutes"]] == [
        (short["colour"].sku, "colour", "T602-A", "100.00"),
        (short["dearer"].sku, "colour", "T603-A", "160.00"),
        (short["grade"].sku, "grade", "T601P-A", "120.00"),
    ]  # fmt: skip


def test_the_api_records_the_choice(short, client):
    """O-61: posted, the choice is recorded with who chose and who recorded it."""
    order, clerk = short["order"], staff(Role.CLERK)
    client.force_login(clerk)
    payload = {"line_id": order.lines.get().pk, "substitute_id": short["colour"].pk,
               "chosen_by": "王女士", "note": "换色"}  # fmt: skip
    answer = client.post(
        f"/api/warehouse/orders/{order.pk}/substitutions", payload, content_type="application/json"
    )
    assert answer.status_code == 201
    assert (answer.json()["substitute"], answer.json()["chosen_by"]) == (
        short["colour"].sku,
        "王女士",
    )
    assert answer.json()["recorded_by"] == clerk.display_name
    assert order.lines.get().product == short["colour"]
    [recorded] = client.get(f"/api/warehouse/orders/{order.pk}/pickup").json()["substitutions"]
    assert (recorded["original"], recorded["note"]) == (short["asked"].sku, "换色")


def test_the_api_refuses_a_non_self_pickup(roles, client):
    """O-61: an order the company delivers has no stock check before its note in the API,
    and a choice posted for it is refused (422, the rule's words)."""
    asked, colour = floor("T-601"), floor("T-602")
    batch_received(colour, "T602-A", "80")
    order = walked_to(scenario("dealer", product=asked, quantity="50"), DELIVERY_NOTE.code)
    client.force_login(staff(Role.CLERK))
    body = client.get(f"/api/warehouse/orders/{order.pk}/pickup").json()
    assert (body["self_pickup"], body["urgent"], body["open"], body["lines"]) == (
        False, False, False, [],
    )  # fmt: skip
    payload = {"line_id": order.lines.get().pk, "substitute_id": colour.pk, "chosen_by": "王女士"}
    answer = client.post(
        f"/api/warehouse/orders/{order.pk}/substitutions", payload, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["msg"] == str(pickup.NOT_SELF_PICKUP)
    assert not Substitution.objects.exists() and order.lines.get().product == asked


def test_the_api_refuses_a_choice_and_changes_nothing(short, client):
    """O-61: not proposed (422, the rule's words), a line of another order (404), the
    warehouse (403): nothing changes."""
    order = short["order"]
    other = pickup_order(short["asked"])
    url = f"/api/warehouse/orders/{order.pk}/substitutions"

    def post(user, **given):
        client.force_login(user)
        payload = {"line_id": order.lines.get().pk, "substitute_id": short["thin"].pk,
                   "chosen_by": "王女士"} | given  # fmt: skip
        return client.post(url, payload, content_type="application/json")

    clerk = staff(Role.CLERK)
    refused = post(clerk)
    names = {"product": short["thin"], "line": short["asked"]}
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == str(pickup.NOT_PROPOSED % names)
    assert post(clerk, line_id=other.lines.get().pk).status_code == 404
    assert post(staff(Role.WAREHOUSE), substitute_id=short["colour"].pk).status_code == 403
    assert not Substitution.objects.exists() and order.lines.get().product == short["asked"]


def test_a_self_pickup_is_urgent_until_its_goods_leave(roles):
    """O-61: the warehouse sees a self-pickup as urgent; not an order it delivers, nor one
    cancelled."""
    asked = floor("T-601")
    pickup, delivered = pickup_order(asked), scenario("dealer", product=asked, quantity="5")
    cancelled = pickup_order(asked)
    order_cancel(actor=staff(Role.CLERK), order=cancelled, reason="客户不要了")
    cancelled.refresh_from_db()
    assert [order_is_urgent(o) for o in (pickup, delivered, cancelled)] == [True, False, False]
    assert list(urgent_orders(Order.objects.all())) == [pickup]
