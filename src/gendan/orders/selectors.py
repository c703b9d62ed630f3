"""Reads of orders, scoped to the asking user, and the route state of one order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DecimalField,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.audit.selectors import audit_events_for
from gendan.orders.guards import overdue_kind, overdue_reason
from gendan.orders.models import (
    DealerCharge,
    DealerLedgerEntry,
    Order,
    PayerCredit,
    StepLog,
    day_counter,
)
from gendan.orders.money import (
    AGEING_CODES,
    ageing_window,
    order_dealer_profit,
    order_has_profit_note,
    order_profit_left,
    order_receivable,
    owed_expression,
)
from gendan.orders.routes import CANCELLED, CLOSED, DELIVER, FINISHED, ROUTES, Step
from gendan.parties.models import CustomerKind


def order_visible(user: User) -> QuerySet[Order]:
    """Every order for company staff; a partner's users see that partner's orders only."""
    orders = Order.objects.select_related("customer", "end_customer")
    if user.partner_id is None:
        return orders
    return orders.filter(partner_id=user.partner_id)


def order_get(*, user: User, pk: int) -> Order:
    return get_object_or_404(order_visible(user), pk=pk)


def order_settlement_visible(user: User, order: Order) -> bool:
    """A dealer order's prices are the dealer's settlement (the cost note, O-11): for those who
    see receivables. The road and the warehouse carry the profit note, the homeowner's prices."""
    return order.channel != CustomerKind.DEALER or user.has_perm("orders.view_receivables")


# Which orders the log shows: those still open (neither closed nor cancelled), every one, the
# closed ones or the cancelled ones (their numbers stay in the log, O-2).
LOG_OPEN, LOG_ALL, LOG_CLOSED, LOG_CANCELLED = "open", "all", "closed", "cancelled"
LOG_STATES = (LOG_OPEN, LOG_ALL, LOG_CLOSED, LOG_CANCELLED)
LOG_STATE_LABELS = [
    (LOG_OPEN, gettext_lazy("Open orders")),
    (LOG_ALL, gettext_lazy("All orders")),
    (LOG_CLOSED, gettext_lazy("Closed orders")),
    (LOG_CANCELLED, gettext_lazy("Cancelled orders")),
]


def order_log(
    *,
    user: User,
    day: dt.date | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    search: str = "",
    step: str = "",
    state: str = LOG_ALL,
) -> QuerySet[Order]:
    """O-2: the order log, by the days orders were registered on, in order of arrival."""
    start, end = (day, day) if day is not None else (start, end)
    orders = order_visible(user).select_related("customer__sales_rep")
    if start is not None:
        orders = orders.filter(log_day__gte=start)
    if end is not None:
        orders = orders.filter(log_day__lte=end)
    if state == LOG_OPEN:
        orders = orders.exclude(step__in=FINISHED)
    elif state == LOG_CLOSED:
        orders = orders.filter(step=CLOSED)
    elif state == LOG_CANCELLED:
        orders = orders.filter(step=CANCELLED)
    if search:
        orders = orders.filter(
            Q(number__icontains=search)
            | Q(customer__name__icontains=search)
            | Q(end_customer__name__icontains=search)
            | Q(contact_phone__contains=search)
        )
    if step:
        orders = orders.filter(step=step)
    return orders.order_by("log_day", day_counter())


def order_log_amount(user: User, order: Order) -> Decimal | None:
    """The order's amount as the log shows it: None where it is a settlement the user may not
    see (O-11)."""
    return order.total if order_settlement_visible(user, order) else None


def order_sales_rep(order: Order) -> User | None:
    """The sales rep who looks after the order's customer (the dealer, for its homeowners)."""
    return order.customer.sales_rep


def steps_of(roles: frozenset[Role]) -> Q:
    """Orders standing at a step one of these roles signs."""
    query = Q(pk__in=[])
    for route in ROUTES.values():
        codes = [step.code for step in route.steps if step.role in roles]
        if codes:
            query |= Q(route=route.code, step__in=codes)
    return query


def orders_waiting_for(user: User) -> QuerySet[Order]:
    """The user's work queue: orders at a step of one of the user's roles, oldest first."""
    if not user.roles:
        return Order.objects.none()
    waiting = steps_of(user.roles)
    if Role.SALES_REP in user.roles:
        waiting |= REFERRED  # O-6: payment questions wait for the sales rep
    if Role.SALES_SUPERVISOR in user.roles:
        waiting |= CANCEL_ASKED  # a cancellation after finance's signature waits for approval
    return order_visible(user).filter(waiting).exclude(step=CANCELLED).order_by("step_since", "pk")


REFERRED = Q(referred_at__isnull=False, referral_answered_at__isnull=True)
CANCEL_ASKED = Q(cancel_requested_at__isnull=False)


def order_referred(order: Order) -> bool:
    return order.referred_at is not None and order.referral_answered_at is None


def order_current_step(order: Order) -> Step | None:
    return None if order.step in FINISHED else ROUTES[order.route].step(order.step)


def order_overdue_reason(order: Order, today: dt.date | None = None) -> str:
    """Why an order is late, as a work queue marks it; empty when it is not."""
    return overdue_reason(order, today or timezone.localdate())


def order_overdue_kind(order: Order, today: dt.date) -> str:
    """The kind of the order's overdue mark (guards.NOT_VERIFIED, ...); empty when none."""
    return overdue_kind(order, today)[0]


@dataclass(frozen=True)
class StepState:
    step: Step
    state: str  # done, skipped, current or ahead
    entry: StepLog | None


def order_route_state(order: Order) -> list[StepState]:
    """The order's route, step by step: who signed what and when, where it is, what is ahead."""
    entries = {entry.step: entry for entry in order.step_log.select_related("actor")}
    states = []
    for step in ROUTES[order.route].steps:
        entry = entries.get(step.code)
        if entry is not None and entry.outcome == StepLog.Outcome.SENT_BACK:
            entry = None  # its signature was withdrawn; it is signed again (send_back.py)
        if entry is not None:
            states.append(StepState(step, entry.outcome, entry))
        elif step.code == order.step:
            states.append(StepState(step, "current", None))
        else:
            states.append(StepState(step, "ahead", None))
    return states


def delivery_schedule(
    *,
    user: User,
    start: dt.date | None = None,
    end: dt.date | None = None,
    city: str = "",
    search: str = "",
) -> QuerySet[Order]:
    """Orders still to deliver, by the day booked with the customer (O-41), else expected."""
    booked = KT("signed__delivery_note__delivery_booked_for")
    orders = (
        order_visible(user)
        .exclude(step__in=FINISHED)
        .exclude(self_pickup=True)
        .exclude(signed__has_key="deliver")
        .annotate(
            delivery_on=Coalesce(
                booked, Cast("expected_delivery_on", TextField()), output_field=TextField()
            )
        )
    )
    if start is not None:
        orders = orders.filter(delivery_on__gte=start.isoformat())
    if end is not None:
        orders = orders.filter(delivery_on__lte=end.isoformat())
    if city:
        orders = orders.filter(city__icontains=city)
    if search:
        orders = orders.filter(
            Q(number__icontains=search) | Q(customer__name__icontains=search)
            | Q(end_customer__name__icontains=search) | Q(contact_phone__contains=search)
        )  # fmt: skip
    return orders.order_by(F("delivery_on").asc(nulls_last=True), "log_day", day_counter())


@dataclass(frozen=True)
class ReceivablesFilter:
    """The receivables page's filters: names contain the text; days an amount became owed."""

    customer: str = ""  # the customer's or homeowner's name
    dealer: str = ""  # the dealer's name
    channel: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def receivable_orders(*, user: User, filters: ReceivablesFilter | None = None) -> QuerySet[Order]:
    """Orders that count as owed: what they owe the company (money.order_amount_owed: the
    homeowner's profit-note price on a dealer order with installation, O-11, else the total)
    is more than the goods payments received (the retention held back, O-56, included), at any
    step. Each with ``owed_amount`` and ``owed_since``:
    the agreed payment date; else the day the goods were delivered, or before that the
    expected delivery; else the day the order was registered."""
    filters = filters or ReceivablesFilter()
    delivered = StepLog.objects.filter(
        order=OuterRef("pk"), step=DELIVER.code, outcome=StepLog.Outcome.DONE
    ).annotate(on=TruncDate("at"))
    orders = (
        order_visible(user)
        .annotate(owed_total=owed_expression())
        .filter(owed_total__gt=F("paid"))
        .exclude(step=CANCELLED)  # nothing is owed on a cancelled order
        .annotate(
            owed_amount=F("owed_total") - F("paid"),
            owed_since=Coalesce(
                "payment_due", Subquery(delivered.values("on")[:1]), "expected_delivery_on",
                "log_day", output_field=DateField(),
            ),
        )
    )  # fmt: skip
    if filters.customer:
        orders = orders.filter(
            Q(customer__name__icontains=filters.customer)
            | Q(end_customer__name__icontains=filters.customer)
        )
    if filters.dealer:
        orders = orders.filter(
            partner__kind=CustomerKind.DEALER, partner__name__icontains=filters.dealer
        )
    if filters.channel:
        orders = orders.filter(channel=filters.channel)
    if filters.start is not None:
        orders = orders.filter(owed_since__gte=filters.start)
    if filters.end is not None:
        orders = orders.filter(owed_since__lte=filters.end)
    return orders


def ageing_sums(today: dt.date) -> dict[str, Sum]:
    """What is owed in each ageing bucket (money.AGEING_BUCKETS), as aggregates."""
    sums = {}
    for code in AGEING_CODES:
        earliest, latest = ageing_window(code, today)
        when = Q()
        if earliest is not None:
            when &= Q(owed_since__gte=earliest)
        if latest is not None:
            when &= Q(owed_since__lte=latest)
        sums[code] = Coalesce(
            Sum("owed_amount", filter=when), Decimal("0"), output_field=DecimalField()
        )
    return sums


def receivables(
    *,
    user: User,
    by: str = "customer",
    filters: ReceivablesFilter | None = None,
    today: dt.date | None = None,
) -> QuerySet:
    """What is owed, per customer or per dealer (the dealer's homeowners' orders together),
    with its ageing."""
    key = "partner" if by == "dealer" else "customer"
    return (
        receivable_orders_by(user=user, by=by, filters=filters)
        .values(f"{key}_id", f"{key}__name", f"{key}__kind")
        .annotate(
            orders=Count("id"),
            billed=Sum("owed_total"),
            received=Sum("paid"),
            owed=Sum("owed_amount"),
            retention=Sum("retention_amount"),
            oldest=Min("log_day"),
            **ageing_sums(today or timezone.localdate()),
        )
        .order_by("-owed", f"{key}_id")
    )


def receivable_orders_by(
    *, user: User, by: str, filters: ReceivablesFilter | None = None
) -> QuerySet[Order]:
    """The orders owed, per dealer only those of dealers."""
    orders = receivable_orders(user=user, filters=filters)
    return orders.filter(partner__kind=CustomerKind.DEALER) if by == "dealer" else orders


def receivables_totals(
    *,
    user: User,
    by: str = "customer",
    filters: ReceivablesFilter | None = None,
    today: dt.date | None = None,
) -> dict[str, Decimal]:
    """What is owed overall (``owed``) and in each ageing bucket, over every filtered order."""
    orders = receivable_orders_by(user=user, by=by, filters=filters)
    sums = {"owed": Coalesce(Sum("owed_amount"), Decimal("0"), output_field=DecimalField())}
    return orders.aggregate(**sums, **ageing_sums(today or timezone.localdate()))


@dataclass(frozen=True)
class DealerAccount:
    """O-54: a dealer's profit on its open orders beside what it owes the company."""

    orders: list[tuple[Order, Decimal | None, Decimal]]  # order, profit, profit left
    open_charges: list
    profit_left: Decimal
    owed: Decimal


def dealer_account(*, user: User, dealer_id: int) -> DealerAccount:
    orders = list(
        order_visible(user)
        .filter(customer_id=dealer_id, channel=CustomerKind.DEALER)
        .exclude(step=CANCELLED)
    )
    rows = [(order, order_dealer_profit(order), order_profit_left(order)) for order in orders]
    charges = list(
        DealerCharge.objects.filter(dealer_id=dealer_id, offset_against__isnull=True)
        .filter(order__in=orders)
        .select_related("order")
    )
    return DealerAccount(
        orders=rows,
        open_charges=charges,
        profit_left=sum((left for _o, _p, left in rows), Decimal("0")),
        owed=sum((charge.amount for charge in charges), Decimal("0")),
    )


@dataclass(frozen=True)
class DealerStatement:
    """O-11, O-50, O-54, O-55: what the company owes a dealer, entry by entry."""

    rows: list[tuple[DealerLedgerEntry, Decimal]]  # each entry with the balance after it
    totals: list[tuple[str, str, Decimal]]  # kind, label, sum
    balance: Decimal
    uncredited: list[Order]  # paid profit-note orders whose profit is not on the statement
    credits: list[PayerCredit]  # money kept for the payers of the dealer's orders


def dealer_statement(*, user: User, dealer_id: int) -> DealerStatement:
    entries = DealerLedgerEntry.objects.filter(dealer_id=dealer_id).select_related(
        "order", "recorded_by"
    )
    rows, balance = [], Decimal("0")
    for entry in entries:
        balance += entry.amount
        rows.append((entry, balance))
    sums = dict(entries.values_list("kind").annotate(sum=Sum("amount")).order_by())
    totals = [
        (kind, label, sums.get(kind, Decimal("0")))
        for kind, label in DealerLedgerEntry.Kind.choices
    ]
    orders = order_visible(user).filter(customer_id=dealer_id, channel=CustomerKind.DEALER)
    return DealerStatement(
        rows=rows, totals=totals, balance=balance,
        uncredited=[order for order in orders.exclude(ledger__kind=DealerLedgerEntry.Kind.PROFIT)
                    if order_has_profit_note(order) and order_receivable(order) <= 0],
        credits=list(PayerCredit.objects.filter(order__in=orders).select_related("order")),
    )  # fmt: skip


# O-11: what in an order's history carries a dealer's settlement (the cost note's total and
# prices, the dealer's profit, charges): left out for those who do not see settlements.
SETTLEMENT_CHANGES = frozenset({"total", "unit_price", "amount", "lines", "profit", "charge"})


def order_history(*, user: User, order: Order, limit: int = 50) -> list:
    """The order's signed history, newest first, as the user may read it."""
    events = list(audit_events_for(order)[:limit])
    if order_settlement_visible(user, order):
        return events
    return [
        event for event in events
        if not event.action.startswith("dealer.") and not SETTLEMENT_CHANGES & set(event.changes)
    ]  # fmt: skip


def payer_credits(*, user: User, customer_id: int) -> QuerySet[PayerCredit]:
    """What the customer paid beyond what its orders owed, on the orders the user may see."""
    return PayerCredit.objects.filter(
        customer_id=customer_id, order__in=order_visible(user)
    ).select_related("order", "recorded_by")
