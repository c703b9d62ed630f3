"""E-1: closed orders reach the CRM through the step effects (orders/effects.py), carried out by
the task worker; a CRM that fails does not undo the close and is fed when it is back."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.crm.models import Event, Figures
from gendan.orders.effects import STEP_EFFECTS
from gendan.orders.models import Effect
from gendan.orders.routes import CLOSE, CLOSED
from gendan.orders.services.effects import effects_due_run
from gendan.orders.tests.helpers import order_at_close, staff

FEED = STEP_EFFECTS[CLOSE.code][0]


# The worker closes its database connection between tasks: the test's data must be committed.
@pytest.mark.django_db(transaction=True)
def test_closing_an_order_feeds_the_crm_when_the_task_worker_runs(roles, client):
    # given an order at finance's close
    order = order_at_close()
    client.force_login(staff(Role.FINANCE))
    # when finance closes it
    client.post(reverse("order-step", args=[order.pk, CLOSE.code]))
    # then the CRM has not heard of it yet
    assert not Event.objects.filter(external_id=f"order:{order.number}").exists()
    # when the task worker runs what was queued
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    # then the homeowner bought once, for the order's total
    figures = Figures.objects.get(customer=order.end_customer)
    assert (figures.purchase_count, figures.purchase_amount) == (1, order.total)
    assert Effect.objects.get(action=FEED).state == Effect.State.DONE


@pytest.mark.django_db
def test_a_close_stands_when_the_crm_fails_and_reaches_it_at_the_retry(
    roles, client, monkeypatch, django_capture_on_commit_callbacks
):
    # given an order at finance's close, and the CRM failing to record events
    order = order_at_close()

    def broken(**kwargs: object) -> None:
        raise RuntimeError("the CRM is down")

    monkeypatch.setattr("gendan.crm.services.events.events_record", broken)
    client.force_login(staff(Role.FINANCE))
    # when finance closes it and the worker runs the effect
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("order-step", args=[order.pk, CLOSE.code]))
    effects_due_run()
    # then the close stands, and the effect waits for its retry with its error
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.step == CLOSED
    effect = Effect.objects.get(action=FEED)
    assert effect.state == Effect.State.PENDING and "the CRM is down" in effect.last_error
    # when the CRM is back and the retry is due
    monkeypatch.undo()
    effects_due_run(now=effect.due_at)
    # then the order is in the CRM
    assert Event.objects.get(customer=order.end_customer).external_id == f"order:{order.number}"
