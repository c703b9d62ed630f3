"""Merging the same person's two customer records: within one partner, by the shop's owners."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.crm.services.customers import MERGE_PARTNERS, customer_merge
from gendan.orders.audit_events import ORDER_CUSTOMER_MOVED
from gendan.orders.models import Order
from gendan.orders.tests.helpers import order_registered, staff
from gendan.parties.tests.factories import CustomerFactory, DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def merge_url(keep) -> str:
    return f"/api/crm/customers/{keep.pk}/merge"


def test_homeowners_of_two_dealers_are_not_merged_and_each_keeps_its_orders(client, roles):
    # given a homeowner of each of two dealers, each with an order
    first, second = DealerFactory(), DealerFactory()
    mine, theirs = HomeownerFactory(via=first), HomeownerFactory(via=second)
    order = order_registered(second, end_customer=theirs)
    client.force_login(staff(Role.GENERAL_MANAGER))
    # when the general manager merges the other dealer's homeowner into the first's
    answer = client.post(merge_url(mine), {"absorb_id": theirs.pk}, content_type=JSON)
    # then the merge is refused and the order still belongs to the second dealer's homeowner
    assert answer.status_code == 422
    assert [error["msg"] for error in answer.json()["detail"]] == [str(MERGE_PARTNERS)]
    order.refresh_from_db()
    assert (order.end_customer, order.partner) == (theirs, second)
    theirs.refresh_from_db()
    assert theirs.merged_into is None and theirs.is_active


def test_a_dealers_homeowner_is_not_merged_into_a_walk_in_customer(roles):
    # given a walk-in customer of the company and a dealer's homeowner
    walk_in, homeowner = CustomerFactory(kind="retail"), HomeownerFactory(via=DealerFactory())
    # when they are merged, then it is refused: one has a partner, the other none
    with pytest.raises(ValidationError) as refused:
        customer_merge(actor=staff(Role.GENERAL_MANAGER), keep=walk_in, absorb=homeowner)
    assert refused.value.messages == [str(MERGE_PARTNERS)]


@pytest.mark.parametrize("role", [Role.CLERK, Role.SALES_REP, Role.SERVICE, Role.FINANCE])
def test_roles_that_do_not_own_shop_data_do_not_merge(client, roles, role):
    # given two walk-in customers who are the same person
    keep, absorb = CustomerFactory(kind="retail"), CustomerFactory(kind="retail")
    client.force_login(staff(role))
    # when someone outside the shop's owners merges them
    answer = client.post(merge_url(keep), {"absorb_id": absorb.pk}, content_type=JSON)
    # then it is refused, through the API and the service alike
    assert answer.status_code == 403
    with pytest.raises(PermissionDenied):
        customer_merge(actor=staff(role), keep=keep, absorb=absorb)
    absorb.refresh_from_db()
    assert absorb.merged_into is None


@pytest.mark.parametrize("role", [Role.SALES_VP, Role.GENERAL_MANAGER])
def test_one_dealers_homeowner_found_twice_is_merged_with_the_orders_and_audited(
    client, roles, role
):
    # given one dealer's homeowner recorded twice, the second with an order
    dealer = DealerFactory()
    keep, absorb = HomeownerFactory(via=dealer), HomeownerFactory(via=dealer)
    order = order_registered(dealer, end_customer=absorb)
    client.force_login(staff(role))
    # when a role that owns shop data merges them
    answer = client.post(merge_url(keep), {"absorb_id": absorb.pk}, content_type=JSON)
    # then the order is the kept homeowner's, still the dealer's, and both steps are audited
    assert answer.status_code == 200, answer.json()
    order.refresh_from_db()
    assert (order.end_customer, order.partner) == (keep, dealer)
    merged = AuditEvent.objects.get(action="customer.merge", target_id=str(keep.pk))
    assert merged.changes["orders"] == 1 and merged.actor == staff(role)
    moved = AuditEvent.objects.get(action=ORDER_CUSTOMER_MOVED, target_id=str(order.pk))
    assert moved.changes == {"from": absorb.pk, "to": keep.pk}
    assert Order.objects.filter(end_customer=absorb).count() == 0
