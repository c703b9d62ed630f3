"""Project clients' contracts and their payment stages (O-48)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.accounts.roles import Role
from gendan.parties.models import Contract, CustomerKind
from gendan.parties.services import contract_create
from gendan.parties.tests.factories import CustomerFactory, DealerFactory

pytestmark = pytest.mark.django_db
FIELDS = {
    "number": "HT-1",
    "title": "精装项目",
    "signed_on": dt.date(2026, 3, 1),
    "amount": "100000",
}


def stages(*percents: str) -> list[dict[str, object]]:
    return [{"name": f"第{n}期", "percent": Decimal(p)} for n, p in enumerate(percents, 1)]


def test_o48_a_project_contract_is_paid_in_stages_that_share_out_the_whole_amount(user_with):
    """O-48: projects pay per contract; the stages say how much falls due when."""
    project = CustomerFactory(kind=CustomerKind.PROJECT)

    contract = contract_create(
        actor=user_with(Role.SALES_SUPERVISOR),
        customer=project,
        fields=FIELDS,
        stages=stages("30", "65", "5"),
    )

    amounts = [amount for _stage, amount in contract.payment_schedule()]
    assert amounts == [Decimal("30000.00"), Decimal("65000.00"), Decimal("5000.00")]


def test_the_stage_amounts_always_add_up_to_the_contract_to_the_cent(user_with):
    project = CustomerFactory(kind=CustomerKind.PROJECT)
    fields = FIELDS | {"amount": "100.01"}

    contract = contract_create(
        actor=user_with(Role.FINANCE), customer=project, fields=fields, stages=stages("50", "50")
    )

    amounts = [amount for _stage, amount in contract.payment_schedule()]
    assert amounts == [Decimal("50.00"), Decimal("50.01")] and sum(amounts) == Decimal("100.01")


def test_stages_that_do_not_add_up_to_the_whole_are_refused(user_with):
    project = CustomerFactory(kind=CustomerKind.PROJECT)

    with pytest.raises(ValidationError, match="95"):
        contract_create(
            actor=user_with(Role.FINANCE),
            customer=project,
            fields=FIELDS,
            stages=stages("30", "65"),
        )
    assert not Contract.objects.exists()


def test_contracts_are_for_projects_and_decoration_firms_only(user_with):
    with pytest.raises(ValidationError):
        contract_create(
            actor=user_with(Role.FINANCE),
            customer=DealerFactory(),
            fields=FIELDS,
            stages=stages("100"),
        )
