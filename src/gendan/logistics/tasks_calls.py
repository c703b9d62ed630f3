"""Background work of the call list, run by the task worker (`gendan worker`)."""

from __future__ import annotations

from django_tasks import task

from gendan.accounts.models import User
from gendan.logistics.models import RoutePlan
from gendan.logistics.services.calls import calls_mail_send


@task()
def calls_mail_run(plan_id: int, actor_id: int | None) -> int:
    """O-43: the day's message e-mailed to each customer with an address not e-mailed yet,
    signed in the audit log by who asked for it."""
    plan = RoutePlan.objects.get(pk=plan_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return calls_mail_send(plan=plan, actor=actor)
