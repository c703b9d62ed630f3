"""O-61, urgent self-pickup: the customer, at the counter, chose a substitute for a line whose
stock no single batch covers. The choice is recorded and the line changed in one transaction,
through the orders app's change service (O-7), so the order's revisions, the checks a change
takes back and its papers follow as for any change; the customer chose in person, so the
re-issued order is confirmed by the same name at once.
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.orders.models import Order, OrderLine
from gendan.orders.services.registration import LineInput
from gendan.orders.services.verification import order_change, order_change_confirm
from gendan.warehouse.audit_events import substitution_chosen_event
from gendan.warehouse.models import Substitution
from gendan.warehouse.selectors_pickup import (
    Substitute,
    line_covered,
    line_substitute,
    pickup_open,
    substitute_candidates,
)

NOT_SELF_PICKUP = _("O-61: substitutes are agreed on a self-pickup order only.")
NOTE_SIGNED = _(
    "O-61: the delivery note of this order is made; a substitute is agreed before it is."
)
NOT_THE_ORDERS_LINE = _("This line is not one of the order's.")
CHOSEN_BY_MISSING = _("O-61: say who chose the substitute (the customer's name).")
NOT_PROPOSED = _("O-61: %(product)s is not a substitute proposed for %(line)s.")
NO_LONGER_COVERED = _(
    "O-61: no single batch of %(product)s covers %(quantity)s %(unit)s any more; choose again."
)
CHANGE_REASON = _("O-61 self-pickup: the customer %(who)s chose %(product)s instead of %(line)s.")


@transaction.atomic
def substitution_choose(
    *,
    actor: User,
    order: Order,
    line: OrderLine,
    substitute: Product,
    chosen_by: str,
    note: str = "",
) -> Substitution:
    """Record the customer's choice and put the substitute on the line, at its price for this
    customer; refused, nothing changes."""
    if not actor.has_perm("warehouse.add_substitution"):
        raise PermissionDenied
    # The order's row first, as the step service takes it: the delivery note cannot be
    # signed between the check below and the change.
    order = Order.objects.select_for_update().get(pk=order.pk)
    chosen_by = chosen_by.strip()
    choice = substitution_check(order, line, substitute, chosen_by)
    substitution = Substitution.objects.create(
        order=order, original=line.product, substitute=substitute, chosen_by=chosen_by,
        note=note.strip()[:200], recorded_by=actor,
    )  # fmt: skip
    reason = CHANGE_REASON % {"who": chosen_by, "product": substitute, "line": line.product}
    lines = [
        replace(
            line_input(row), product=substitute, colour_code=substitute.colour_code,
            unit_price=choice.price,
        ) if row.pk == line.pk else line_input(row)
        for row in order.lines.select_related("product")
    ]  # fmt: skip
    order = order_change(actor=actor, order=order, fields={}, lines=lines, reason=str(reason))
    order_change_confirm(actor=actor, order=order, confirmed_by=chosen_by)
    substitution_chosen_event(actor=actor, substitution=substitution)
    return substitution


def substitution_check(
    order: Order, line: OrderLine, substitute: Product, chosen_by: str
) -> Substitute:
    """The proposed substitute the choice is, or the reason it is refused."""
    if not order.self_pickup:
        raise ValidationError(NOT_SELF_PICKUP)
    if not pickup_open(order):
        raise ValidationError(NOTE_SIGNED)
    if line.order_id != order.pk:
        raise ValidationError({"line": NOT_THE_ORDERS_LINE})
    if not chosen_by:
        raise ValidationError({"chosen_by": CHOSEN_BY_MISSING})
    names = {"product": substitute, "line": line.product}
    proposable = substitute_candidates(line.product).filter(pk=substitute.pk).exists()
    if not proposable or line_covered(order, line):
        raise ValidationError({"substitute": NOT_PROPOSED % names})
    choice = line_substitute(order, line, substitute)
    if choice is None:
        raise ValidationError({"substitute": NO_LONGER_COVERED % {
            "product": substitute, "quantity": line.quantity,
            "unit": substitute.get_unit_display(),
        }})  # fmt: skip
    return choice


def line_input(line: OrderLine) -> LineInput:
    """An order line as the change service takes it back: the same product, price and colour."""
    return LineInput(
        product=line.product, quantity=line.quantity, unit_price=line.unit_price,
        colour_code=line.colour_code, end_price=line.end_price,
    )  # fmt: skip
