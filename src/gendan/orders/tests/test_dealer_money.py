"""Money that balances on a dealer's order with installation (O-11, O-51, O-53, O-54, O-55):
what the homeowner owes, what the driver collects, receipts above it, the dealer's statement."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.guards import PROFIT_NOT_ON_STATEMENT, close_guard
from gendan.orders.models import (
    DealerCharge,
    DealerLedgerEntry,
    Order,
    PayerCredit,
    PaymentMethod,
    PaymentTerms,
    Receipt,
)
from gendan.orders.money import (
    order_amount_owed,
    order_dealer_profit,
    order_outstanding,
    order_profit_note_recount,
    order_receivable,
    order_total,
)
from gendan.orders.routes import CLOSED
from gendan.orders.selectors import receivable_orders, receivables_totals
from gendan.orders.services.cancel import order_cancel
from gendan.orders.services.charges import dealer_charge_offset, dealer_charge_record
from gendan.orders.services.dealer_ledger import (
    SETTLEMENT_ABOVE_BALANCE,
    dealer_balance,
    dealer_profit_credit,
    dealer_settlement_pay,
)
from gendan.orders.services.receipts import ABOVE_OWED, order_receipt_add
from gendan.orders.services.registration import LineInput, order_register
from gendan.orders.tests.helpers import DAY, listed_product, order_registered, staff
from gendan.orders.tests.test_concurrency import at_once
from gendan.parties.tests.factories import CustomerFactory, DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db

# 80 m² at the dealer's settlement price 119.97 (the cost note) and at 163.25 to the homeowner
# (the profit note): the homeowner owes 13,060.00, the dealer's profit is 3,462.40.
COST_NOTE, PROFIT_NOTE, PROFIT = Decimal("9597.60"), Decimal("13060.00"), Decimal("3462.40")


def dealer_install_order(dealer=None, **fields) -> Order:
    """The issue's order: registered by the clerk with the dealer's prices to its homeowner."""
    dealer = dealer or DealerFactory()
    defaults = {
        "customer": dealer, "end_customer": HomeownerFactory(via=dealer),
        "needs_installation": True, "payment_method": PaymentMethod.CASH,
        "payment_terms": PaymentTerms.ON_DELIVERY, "province": "广东省", "city": "广州市",
        "street": "天河路1号", "floor": 3, "contact_phone": "13800000000",
        "expected_delivery_on": DAY, "expected_install_on": DAY,
    }  # fmt: skip
    line = LineInput(product=listed_product("119.97"), quantity=Decimal("80"),
                     unit_price=Decimal("119.97"), end_price=Decimal("163.25"))  # fmt: skip
    return order_register(actor=staff(Role.CLERK), fields=defaults | fields, lines=[line], on=DAY)


def shown(amount: Decimal) -> re.Pattern:
    """An amount as a page may print it, with or without thousands separators."""
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}"
    return re.compile(rf"(?<![\d,.])({whole}|{re.escape(grouped)})\.{cents}(?!\d)")


def receive(order: Order, amount: Decimal, **fields) -> Receipt:
    return order_receipt_add(
        actor=fields.pop("actor", staff(Role.FINANCE)), order=order, amount=amount,
        method=PaymentMethod.CASH, **fields,
    )  # fmt: skip


def profit_entries(order: Order) -> list[tuple[str, Decimal]]:
    return list(order.ledger.values_list("kind", "amount"))


def test_o11_the_homeowner_owes_the_profit_note_total_not_the_cost_note(roles):
    """O-11: on a dealer's order with installation the homeowner owes the profit note's total
    (13,060.00); the order's total stays the cost note's (9,597.60)."""
    # given
    order = dealer_install_order()

    # then
    assert order_total(order) == COST_NOTE
    assert order_amount_owed(order) == PROFIT_NOTE
    assert order_outstanding(order) == PROFIT_NOTE
    assert order_dealer_profit(order) == PROFIT
    assert order_profit_note_recount(order) == order.profit_note_total == PROFIT_NOTE


def test_o11_without_installation_or_end_prices_the_order_owes_its_total(roles):
    """O-11: no installation, or a line without the homeowner's price: no profit note, the
    dealer owes the settlement total."""
    # given
    without_install = dealer_install_order(needs_installation=False)
    unpriced = order_registered(DealerFactory(), needs_installation=True)

    # then
    assert order_amount_owed(without_install) == COST_NOTE
    assert order_amount_owed(unpriced) == order_total(unpriced) == Decimal("1000.00")


def test_o53_the_dealer_keeps_of_the_deposit_only_what_its_profit_covers(roles):
    """O-53: a deposit within the profit stays with the dealer (the homeowner owes the rest);
    above the profit, the dealer passes the excess on: the company is owed the cost note."""
    # given
    within = dealer_install_order(dealer_deposit=Decimal("1000"))
    above = dealer_install_order(dealer_deposit=Decimal("5000"))

    # then
    assert order_amount_owed(within) == PROFIT_NOTE - Decimal("1000")
    assert order_amount_owed(above) == COST_NOTE


def test_the_receivables_sums_agree_with_what_each_order_owes(roles):
    """O-11: the page's sums (database aggregates) equal money.order_receivable per order."""
    # given
    dealer = DealerFactory()
    orders = [
        dealer_install_order(dealer),
        dealer_install_order(dealer, dealer_deposit=Decimal("1000")),
        dealer_install_order(dealer, dealer_deposit=Decimal("5000")),
        dealer_install_order(dealer, needs_installation=False),
        order_registered(CustomerFactory(kind="retail")),
    ]
    receive(orders[0], Decimal("60.00"))
    finance = staff(Role.FINANCE)

    # when
    rows = {order.pk: order.owed_amount for order in receivable_orders(user=finance)}
    totals = receivables_totals(user=finance)

    # then
    for order in orders:
        order.refresh_from_db()
    expected = {order.pk: order_receivable(order) for order in orders}
    assert rows == expected
    assert totals["owed"] == sum(expected.values())


def test_o51_the_driver_sees_the_amount_to_collect_and_never_the_cost_note_or_profit(roles, client):
    """O-51, O-11: at the delivery the driver's page shows 13,060.00 to collect, labelled so,
    and neither the cost note's total, its prices nor the dealer's profit."""
    # given
    order = walked_to(dealer_install_order(), "deliver")
    client.force_login(staff(Role.DRIVER))

    # when
    page = client.get("/en" + reverse("order-detail", args=[order.pk]))
    text = page.content.decode()

    # then
    assert page.status_code == 200
    assert re.search(r"To collect: " + shown(PROFIT_NOTE).pattern, text)
    for hidden in (COST_NOTE, PROFIT, Decimal("119.97")):
        assert not shown(hidden).search(text), hidden


def test_a_receipt_above_what_is_owed_is_refused_and_changes_nothing(roles):
    """O-47: finance cannot record more than the order still owes by mistake."""
    # given
    order = dealer_install_order()

    # when
    with pytest.raises(ValidationError) as refused:
        receive(order, PROFIT_NOTE + Decimal("0.01"))

    # then
    order.refresh_from_db()
    assert ABOVE_OWED % {"owed": PROFIT_NOTE} in refused.value.messages
    assert (order.paid, order.receipts.count(), PayerCredit.objects.count()) == (0, 0, 0)


def test_finance_keeps_the_excess_as_the_payers_credit(roles, client):
    """O-47: marked so by finance, the receipt is recorded and the excess kept for the payer
    (the homeowner of a profit-note order), shown to finance on the order."""
    # given
    order = dealer_install_order()

    # when
    receive(order, PROFIT_NOTE + Decimal("100"), excess_as_credit=True)

    # then
    credit = PayerCredit.objects.get()
    assert (credit.customer, credit.order, credit.amount) == (
        order.end_customer,
        order,
        Decimal("100.00"),
    )
    client.force_login(staff(Role.FINANCE))
    page = client.get("/en" + reverse("order-detail", args=[order.pk]))
    assert "Kept as the credit of" in page.content.decode()


def test_the_page_form_refuses_an_excess_and_keeps_it_when_ticked(roles, client):
    """O-47: the order page's receipt form says why it refuses, and the tick keeps the excess."""
    # given
    order = dealer_install_order()
    client.force_login(staff(Role.FINANCE))
    url = "/en" + reverse("order-receipt", args=[order.pk])
    posted = {"amount": "13100.00", "method": PaymentMethod.CASH}

    # when
    refused = client.post(url, posted, follow=True)
    kept = client.post(url, posted | {"excess_as_credit": "on"}, follow=True)

    # then
    assert "a receipt above that is refused" in refused.content.decode()
    order.refresh_from_db()
    assert order.paid == Decimal("13100.00") and kept.status_code == 200
    assert PayerCredit.objects.get().amount == Decimal("40.00")


def test_the_api_refuses_an_excess_and_keeps_it_when_asked(roles, client):
    """O-47: the same through the JSON API."""
    # given
    order = dealer_install_order()
    client.force_login(staff(Role.FINANCE))
    url = f"/api/orders/{order.pk}/receipts"
    body = {"amount": "13100.00", "method": "cash"}

    # when
    refused = client.post(url, body, content_type="application/json")
    kept = client.post(url, body | {"excess_as_credit": True}, content_type="application/json")

    # then
    assert refused.status_code in (400, 422)
    assert kept.status_code == 200, kept.content
    assert PayerCredit.objects.get().amount == Decimal("40.00")


def test_o11_o54_end_to_end_paid_credited_settled_closed(roles):
    """O-11, O-51, O-54: delivered, the 13,060.00 received by finance credits the dealer's
    3,462.40 on its statement; the order closes; finance settles the balance, no more."""
    # given
    order = walked_to(dealer_install_order(), "goods_paid")
    finance = staff(Role.FINANCE)

    # when
    receive(order, Decimal("13000.00"))
    assert profit_entries(order) == []  # not paid in full yet
    receive(order, Decimal("60.00"))
    order.refresh_from_db()
    order = walked_to(order, CLOSED)

    # then
    assert profit_entries(order) == [(DealerLedgerEntry.Kind.PROFIT, PROFIT)]
    assert dealer_balance(order.customer_id) == PROFIT
    with pytest.raises(ValidationError) as refused:
        dealer_settlement_pay(actor=finance, dealer=order.customer, amount=PROFIT + 1,
                              method=PaymentMethod.BANK_TRANSFER)  # fmt: skip
    assert SETTLEMENT_ABOVE_BALANCE % {"balance": PROFIT, "amount": PROFIT + 1} in (
        refused.value.messages
    )
    dealer_settlement_pay(actor=finance, dealer=order.customer, amount=PROFIT,
                          method=PaymentMethod.BANK_TRANSFER, reference="TX-1")  # fmt: skip
    assert dealer_balance(order.customer_id) == 0


def test_o53_the_dealers_credit_is_its_profit_less_the_deposit_it_kept(roles):
    """O-53: with 1,000 kept from the deposit, the dealer is credited 2,462.40."""
    # given
    order = dealer_install_order(dealer_deposit=Decimal("1000"))

    # when
    receive(order, PROFIT_NOTE - Decimal("1000"))

    # then
    assert profit_entries(order) == [(DealerLedgerEntry.Kind.PROFIT, PROFIT - Decimal("1000"))]


def test_o55_an_installation_fee_paid_to_the_dealer_is_offset_against_the_profit(roles):
    """O-55: the homeowner paid the 450 installation fee to the dealer: once the order is paid,
    the fee is taken from the profit credited."""
    # given
    order = walked_to(dealer_install_order(), "return_measurement")
    order.signed["agree_install"] |= {"paid_to_dealer": True, "install_fee": "450.00"}
    Order.objects.filter(pk=order.pk).update(signed=order.signed)

    # when
    receive(order, PROFIT_NOTE)

    # then
    assert profit_entries(order) == [
        (DealerLedgerEntry.Kind.PROFIT, PROFIT),
        (DealerLedgerEntry.Kind.INSTALL_FEE, Decimal("-450.00")),
    ]
    assert dealer_balance(order.customer_id) == PROFIT - Decimal("450")


def test_o54_a_charge_taken_from_the_profit_leaves_the_dealers_balance(roles):
    """O-54: a shortfall on one order taken from the profit of another is on the statement."""
    # given
    dealer = DealerFactory()
    paid, short = dealer_install_order(dealer), dealer_install_order(dealer)
    receive(paid, PROFIT_NOTE)
    finance = staff(Role.FINANCE)
    charge = dealer_charge_record(actor=finance, order=short, kind=DealerCharge.Kind.SHORTFALL,
                                  amount=Decimal("500"))  # fmt: skip

    # when
    dealer_charge_offset(actor=finance, charge=charge, against=paid)

    # then
    assert profit_entries(paid)[-1] == (DealerLedgerEntry.Kind.CHARGE, Decimal("-500.00"))
    assert dealer_balance(dealer.pk) == PROFIT - Decimal("500")


def test_o54_an_order_does_not_close_while_its_dealers_profit_is_not_on_the_statement(roles):
    """O-54, O-22: an order paid before the statement existed (no profit entry) does not close
    until finance credits the dealer's profit."""
    # given: paid in full, as the data before the statement stood
    order = dealer_install_order()
    Receipt.objects.create(order=order, amount=PROFIT_NOTE, method=PaymentMethod.CASH,
                           received_by=staff(Role.FINANCE))  # fmt: skip
    Order.objects.filter(pk=order.pk).update(paid=PROFIT_NOTE)
    order.refresh_from_db()
    assert close_guard(order) == [str(PROFIT_NOT_ON_STATEMENT)]

    # when
    dealer_profit_credit(actor=staff(Role.FINANCE), order=order)

    # then
    assert close_guard(order) == []


def test_o11_the_profit_is_credited_once(roles):
    """O-11: crediting a paid order's profit a second time is refused."""
    order = dealer_install_order()
    receive(order, PROFIT_NOTE)

    with pytest.raises(ValidationError):
        dealer_profit_credit(actor=staff(Role.FINANCE), order=order)
    assert len(profit_entries(order)) == 1


def test_the_dealer_reads_its_own_statement_and_no_other(roles, client):
    """O-54: a dealer sees its own statement, read-only; another dealer's is not found."""
    # given
    order = dealer_install_order()
    receive(order, PROFIT_NOTE)
    own = staff(Role.DEALER, "t-dealer-own", partner=order.customer)
    client.force_login(own)

    # when
    page = client.get("/en" + reverse("dealer-account", args=[order.customer_id]))
    other = client.get(reverse("dealer-account", args=[DealerFactory().pk]))
    settle = client.post(reverse("dealer-account", args=[order.customer_id]),
                         {"action": "settle", "amount": "1", "method": "cash"})  # fmt: skip
    order_page = client.get(reverse("order-detail", args=[order.pk])).content.decode()

    # then
    assert page.status_code == 200
    assert shown(PROFIT).search(page.content.decode())
    assert "Record the settlement" not in page.content.decode()
    assert other.status_code == 404
    assert settle.status_code == 403
    assert dealer_balance(order.customer_id) == PROFIT
    assert reverse("dealer-account", args=[order.customer_id]) in order_page


def test_finance_settles_from_the_statement_page(roles, client):
    """Finance records a settlement paid (method, reference) on the statement page."""
    # given
    order = dealer_install_order()
    receive(order, PROFIT_NOTE)
    client.force_login(staff(Role.FINANCE))
    url = reverse("dealer-account", args=[order.customer_id])

    # when
    client.post(url, {"action": "settle", "amount": "3000.00", "method": "bank_transfer",
                      "reference": "TX-9"})  # fmt: skip
    page = client.get("/en" + url)
    workbook = client.get(url + "?format=xlsx")

    # then
    entry = DealerLedgerEntry.objects.get(kind=DealerLedgerEntry.Kind.SETTLEMENT)
    assert (entry.amount, entry.reference) == (Decimal("-3000.00"), "TX-9")
    assert shown(Decimal("462.40")).search(page.content.decode())
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_payers_credit_is_on_its_customer_page(roles, client):
    """O-47: finance finds the homeowner's credit from the homeowner's page."""
    # given
    order = dealer_install_order()
    receive(order, PROFIT_NOTE + Decimal("100"), excess_as_credit=True)
    client.force_login(staff(Role.FINANCE))

    # when
    detail = client.get(reverse("customer-detail", args=[order.end_customer_id]))
    credits = client.get(reverse("customer-credits", args=[order.end_customer_id]))

    # then
    assert reverse("customer-credits", args=[order.end_customer_id]) in detail.content.decode()
    assert order.number in credits.content.decode()
    assert shown(Decimal("100")).search(credits.content.decode())


def test_o51_the_delivery_schedule_gives_the_driver_the_amount_to_collect(roles, client):
    """O-51, O-11: the schedule the driver works from, on the page and in .xlsx, says 13,060.00
    to collect and never the cost note's 9,597.60."""
    # given
    order = walked_to(dealer_install_order(), "ship")
    client.force_login(staff(Role.DRIVER))

    # when
    page = client.get("/en" + reverse("delivery-schedule")).content.decode()
    sheet = client.get(reverse("delivery-schedule"), {"format": "xlsx"})
    rows = [list(row) for row in load_workbook(io.BytesIO(sheet.content)).active.values]

    # then
    assert order.number in page and "To collect (CNY)" in page
    assert shown(PROFIT_NOTE).search(page) and not shown(COST_NOTE).search(page)
    assert rows[1][-2:] == [None, float(PROFIT_NOTE)]


def test_the_dealer_statement_is_append_only_in_the_database(roles):
    """O-54: an entry of the statement cannot be rewritten, even past the services."""
    # given
    order = dealer_install_order()
    receive(order, PROFIT_NOTE)

    # when / then
    with pytest.raises(DatabaseError), transaction.atomic():
        DealerLedgerEntry.objects.filter(order=order).update(amount=Decimal("99999"))
    assert dealer_balance(order.customer_id) == PROFIT


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_two_receipts_completing_the_payment_at_once_credit_the_profit_once(roles):
    """O-11: the order's lock lets one receipt complete the payment; the other is refused as
    above what is owed, and the profit is on the statement once."""
    # given
    order = dealer_install_order()
    finance = staff(Role.FINANCE)

    # when
    results = at_once(lambda: receive(Order.objects.get(pk=order.pk), PROFIT_NOTE, actor=finance))

    # then
    assert len([result for result in results if isinstance(result, ValidationError)]) == 1
    assert profit_entries(order) == [(DealerLedgerEntry.Kind.PROFIT, PROFIT)]


def test_o11_the_receivables_page_counts_the_homeowners_price(roles, client):
    """O-11: per dealer, the page owes 13,060.00 on the order, as order_receivable says."""
    # given
    order = dealer_install_order()
    client.force_login(staff(Role.FINANCE))

    # when
    page = client.get("/en" + reverse("receivables"), {"by": "dealer"}).content.decode()

    # then
    total = page[page.index('id="receivables-total"') :].split("</tr>")[0]
    assert shown(order_receivable(order)).search(total)
    assert "the homeowner's price" in page


def test_finance_sees_on_the_order_whether_the_profit_is_on_the_statement(roles, client):
    """O-54: beside the dealer's profit, the order page says whether it is credited yet."""
    # given
    order = dealer_install_order()
    client.force_login(staff(Role.FINANCE))
    url = "/en" + reverse("order-detail", args=[order.pk])
    before = client.get(url).content.decode()

    # when
    receive(order, PROFIT_NOTE)
    after = client.get(url).content.decode()

    # then
    assert "not yet credited" in before
    assert re.search("credited " + shown(PROFIT).pattern + " on ", after)


def test_a_cancelled_order_keeps_what_was_paid_as_the_payers_credit_and_takes_back_the_profit(
    roles,
):
    """O-11, O-54: a paid order cancelled before finance signs: the homeowner's 13,060.00
    becomes the homeowner's credit, and the dealer's 3,462.40 leaves its statement."""
    # given a dealer's order the homeowner paid in full, 60.00 of it beyond what was owed
    order = dealer_install_order()
    receive(order, PROFIT_NOTE)
    receive(order, Decimal("60.00"), excess_as_credit=True)
    assert dealer_balance(order.customer_id) == PROFIT

    # when the clerk cancels it
    order_cancel(actor=staff(Role.CLERK), order=order, reason="重复录入")

    # then all the homeowner paid is the homeowner's credit, once, and the dealer is owed nothing
    credits = PayerCredit.objects.filter(order=order)
    assert sum(credit.amount for credit in credits) == PROFIT_NOTE + Decimal("60.00")
    assert {credit.customer_id for credit in credits} == {order.end_customer_id}
    assert profit_entries(order)[-1] == (DealerLedgerEntry.Kind.WITHDRAWN, -PROFIT)
    assert dealer_balance(order.customer_id) == 0
