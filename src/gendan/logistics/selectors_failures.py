"""What the failed-deliveries pages read (O-44): the failures, open ones first, each with what
is still to do; and the redelivery freight a customer owes on an order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.logistics.models import FailedDelivery, Fault
from gendan.orders.models import Order
from gendan.orders.selectors import order_visible

CENT = Decimal("0.01")
# O-44: "at once": a failure not told within this of the driver's report is flagged.
TELL_WITHIN = dt.timedelta(hours=2)
DONE = Q(
    goods_back_at__isnull=False, customer_told_at__isnull=False, rebooking__isnull=False,
    charged_at__isnull=False,
)  # fmt: skip
STATES = {"open": ~DONE, "done": DONE, "all": Q()}
TODO = {
    "goods_back": _("Goods back into stock"),
    "told": _("Tell the customer"),
    "rebooked": _("Rebook"),
    "charged": _("Charge the freight"),
}
SORTS = {
    "new": ("-reported_at", "-pk"),
    "old": ("reported_at", "pk"),
    "order": ("order__log_day", "order__pk", "pk"),
}


@dataclass(frozen=True)
class FailureRow:
    failure: FailedDelivery
    todo: list[str]  # the codes of TODO still to do, in order
    late_told: bool  # O-44: not told "at once" (within TELL_WITHIN of the report)

    @property
    def todo_labels(self) -> list[str]:
        return [str(TODO[code]) for code in self.todo]


def failures_visible(user: User) -> QuerySet[FailedDelivery]:
    """The failures of the orders the user may see."""
    return FailedDelivery.objects.filter(order__in=order_visible(user)).select_related(
        "order__customer", "order__end_customer", "drop__plan", "drop__route__truck",
        "reported_by", "rebooking",
    )  # fmt: skip


def failures_list(
    user: User, *, q: str = "", state: str = "open", fault: str = "", sort: str = "new"
) -> QuerySet[FailedDelivery]:
    """Open ones first, then by ``sort``; searched by order number, customer or what happened."""
    rows = failures_visible(user).filter(STATES.get(state, STATES["open"]))
    if fault in Fault.values:
        rows = rows.filter(fault=fault)
    if q:
        rows = rows.filter(
            Q(order__number__icontains=q) | Q(order__customer__name__icontains=q)
            | Q(order__end_customer__name__icontains=q) | Q(detail__icontains=q)
        )  # fmt: skip
    done_last = Case(When(DONE, then=Value(1)), default=Value(0), output_field=IntegerField())
    return rows.order_by(done_last, *SORTS.get(sort, SORTS["new"]))


def failure_row(failure: FailedDelivery, *, now=None) -> FailureRow:
    now = now or timezone.now()
    todo = [
        code for code, done in (
            ("goods_back", failure.goods_back_at), ("told", failure.customer_told_at),
            ("rebooked", failure.rebooking_id), ("charged", failure.charged_at),
        ) if not done
    ]  # fmt: skip
    told_at = failure.customer_told_at or now
    return FailureRow(failure, todo, told_at - failure.reported_at > TELL_WITHIN)


def redelivery_freight_owed(order: Order) -> Decimal:
    """O-44: the redelivery freight charged to the customer on the order (its share). Read
    from ``order.failed_deliveries`` so that a page of many orders prefetches them once (the
    driver's route, selectors_driver.py)."""
    charged = [
        (failure.freight, failure.fault_share)
        for failure in order.failed_deliveries.all()
        if failure.fault == Fault.CUSTOMER and failure.charged_at is not None
    ]
    shares = (
        (freight * share).quantize(CENT, rounding=ROUND_HALF_UP) for freight, share in charged
    )
    return sum(shares, Decimal("0.00"))
