from __future__ import annotations

from decimal import Decimal

from django import template

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.money import order_outstanding
from gendan.orders.reading import record_rows, step_skip_text
from gendan.orders.returns import APPROVERS, approvals_waiting
from gendan.orders.routes import ROUTES, Route, Step
from gendan.orders.selectors import StepState, order_current_step

register = template.Library()


@register.filter
def order_step(order: Order) -> Step | None:
    return order_current_step(order)


@register.filter
def order_to_collect(order: Order) -> Decimal:
    """What is still to collect on the order (O-11, O-51: the homeowner's price less what was
    paid), never a dealer's settlement."""
    return order_outstanding(order)


@register.filter
def order_route_label(order: Order) -> str:
    return str(ROUTES[order.route].label)


@register.filter
def route_steps(route: Route) -> list[StepState]:
    """A route's steps for the diagram, none of them done yet."""
    return [StepState(step, "ahead", None) for step in route.steps]


@register.simple_tag
def returns_of(order: Order, user: User) -> list[dict]:
    """The order's returns with what this user may do on each now (O-62, O-63)."""
    shown = []
    for goods_return in order.returns.prefetch_related("lines__product").select_related(
        "received_by", "note_made_by"
    ):
        waiting = approvals_waiting(goods_return)
        approved = set(goods_return.approvals)
        mine = [
            role for role in waiting
            if user.has_role(role) and all(
                earlier.value in approved for earlier in APPROVERS[: min(APPROVERS.index(role), 2)]
            )
        ]  # fmt: skip
        shown.append({
            "goods_return": goods_return, "waiting": waiting, "may_approve": mine,
            "may_receive": not waiting and not goods_return.received_at
            and user.has_role(Role.WAREHOUSE),
            "may_make_note": bool(goods_return.received_at) and not goods_return.note_made_at
            and user.has_role(Role.CLERK),
        })  # fmt: skip
    return shown


@register.filter
def step_skip_reason(entry: object) -> str:
    """``{{ entry|step_skip_reason }}``: why the step was passed over, in the page's language."""
    return step_skip_text(entry)


@register.filter
def step_record(item: StepState) -> list[tuple[str, str]]:
    """What a signed step recorded, by its fields' labels: [(label, value), ...]."""
    if item.entry is None or not item.entry.data:
        return []
    return record_rows(item.step.record, item.entry.data)
