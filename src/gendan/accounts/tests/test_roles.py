"""Every role of the glossary is a group with its permissions; partners' users are bound."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from gendan.accounts.roles import ROLE_PERMISSIONS, Role
from gendan.accounts.services import user_create, user_roles_check
from gendan.audit.models import AuditEvent
from gendan.parties.tests.factories import DealerFactory, StoreFactory, SupermarketFactory

pytestmark = pytest.mark.django_db

GLOSSARY_ROLES = {
    "clerk", "account_manager", "sales_rep", "sales_supervisor", "sales_vp", "general_manager",
    "finance", "warehouse", "driver", "logistics", "service", "service_manager", "installer",
    "promoter", "store_staff", "dealer",
}  # fmt: skip


def test_every_glossary_role_is_a_group_with_exactly_its_permissions(roles):
    assert set(Role.values) == GLOSSARY_ROLES
    for role, codes in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(codes), role


def test_a_user_may_hold_several_roles(user_with):
    person = user_with(Role.SERVICE, Role.INSTALLER)

    assert person.roles == {Role.SERVICE, Role.INSTALLER}
    assert person.has_perm("parties.change_customer")  # from service
    assert person.has_role(Role.INSTALLER) and not person.has_role(Role.FINANCE)


def test_only_managers_and_finance_may_change_prices(user_with):
    may = {
        role
        for role in Role
        if user_with(role, username=f"u-{role}").has_perm("catalog.change_pricelist")
    }

    assert may == {Role.SALES_VP, Role.GENERAL_MANAGER, Role.FINANCE}


def test_a_dealer_user_must_belong_to_a_dealer(roles):
    with pytest.raises(ValidationError) as refused:
        user_roles_check(roles={Role.DEALER}, partner=None)
    assert "partner" in refused.value.message_dict

    with pytest.raises(ValidationError):
        user_roles_check(roles={Role.STORE_STAFF}, partner=SupermarketFactory())


def test_a_promoter_must_belong_to_a_supermarket(roles):
    with pytest.raises(ValidationError):
        user_roles_check(roles={Role.PROMOTER}, partner=DealerFactory())
    user_roles_check(roles={Role.PROMOTER}, partner=SupermarketFactory())


def test_a_partners_user_cannot_also_hold_a_company_role(roles):
    with pytest.raises(ValidationError) as refused:
        user_roles_check(roles={Role.DEALER, Role.FINANCE}, partner=DealerFactory())
    assert "roles" in refused.value.message_dict


def test_store_staff_store_must_be_their_dealers(roles):
    dealer = DealerFactory()
    with pytest.raises(ValidationError):
        user_roles_check(roles={Role.STORE_STAFF}, partner=dealer, store=StoreFactory())
    user_roles_check(roles={Role.STORE_STAFF}, partner=dealer, store=StoreFactory(customer=dealer))


def test_creating_a_user_is_signed_with_the_roles(roles, user_with):
    manager = user_with(Role.GENERAL_MANAGER)

    clerk = user_create(actor=manager, username="new-clerk", password="x" * 12, roles={Role.CLERK})

    event = AuditEvent.objects.get(action="user.create")
    assert (event.actor, event.target_id, event.changes) == (
        manager,
        str(clerk.pk),
        {"roles": ["clerk"]},
    )


def test_a_partners_user_may_not_enter_the_admin(roles):
    """The admin is not scoped; a dealer with staff status would see every dealer's records."""
    with pytest.raises(ValidationError) as refused:
        user_roles_check(roles={Role.DEALER}, partner=DealerFactory(), is_staff=True)
    assert "is_staff" in refused.value.message_dict


def test_giving_a_role_in_the_admin_is_signed(client, user_with):
    admin_user = user_with(is_superuser=True, is_staff=True)
    person = user_with()
    client.force_login(admin_user)
    finance = Group.objects.get(name="finance")
    form = {
        "username": person.username, "name": person.name, "groups": [finance.pk],
        "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "08:00:00",
    }  # fmt: skip

    response = client.post(f"/admin/accounts/user/{person.pk}/change/", form)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="user.update", target_id=str(person.pk))
    assert event.actor == admin_user and "groups" in event.changes
