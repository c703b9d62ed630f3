from __future__ import annotations

from django import template

from gendan.orders.models import Order
from gendan.orders.routes import ROUTES, Route, Step
from gendan.orders.selectors import StepState, order_current_step

register = template.Library()


@register.filter
def order_step(order: Order) -> Step | None:
    return order_current_step(order)


@register.filter
def order_route_label(order: Order) -> str:
    return str(ROUTES[order.route].label)


@register.filter
def route_steps(route: Route) -> list[StepState]:
    """A route's steps for the diagram, none of them done yet."""
    return [StepState(step, "ahead", None) for step in route.steps]
