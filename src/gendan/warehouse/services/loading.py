"""The day's loading runs (O-43): a truck at a time, its orders in loading order (the last
drop loaded first), as whoever plans the routes publishes them. The warehouse does not know
routes: it is given labels, departure times and order ids, and the pick list reads them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.warehouse.audit_events import loading_runs_set_event
from gendan.warehouse.models import LoadingRun, LoadingRunOrder

# (label, departs_at, [order ids in loading order])
Run = tuple[str, dt.time | None, Sequence[int]]

ORDER_TWICE = _("Order %(number)s is on more than one truck of the day.")
NO_SUCH_ORDER = _("No order with id %(id)s.")


@transaction.atomic
def loading_runs_replace(*, actor: User, day: dt.date, runs: Sequence[Run]) -> list[LoadingRun]:
    """The day's runs, in the order given, replacing the day's earlier ones (none: cleared)."""
    wanted = [order_id for _label, _departs, ids in runs for order_id in ids]
    orders = Order.objects.in_bulk(set(wanted))
    for order_id in wanted:
        if order_id not in orders:
            raise ValidationError(NO_SUCH_ORDER, params={"id": order_id})
        if wanted.count(order_id) > 1:
            raise ValidationError(ORDER_TWICE, params={"number": orders[order_id].number})
    LoadingRun.objects.filter(day=day).delete()
    made = []
    for position, (label, departs_at, ids) in enumerate(runs):
        run = LoadingRun.objects.create(
            day=day, label=label[:80], departs_at=departs_at, position=position, made_by=actor
        )
        LoadingRunOrder.objects.bulk_create(
            LoadingRunOrder(run=run, order_id=order_id, sequence=number)
            for number, order_id in enumerate(ids, start=1)
        )
        made.append(run)
    described = [f"{label}: " + ", ".join(orders[i].number for i in ids) for label, _d, ids in runs]
    if made:
        loading_runs_set_event(actor=actor, run=made[0], day=day, runs=described)
    return made
