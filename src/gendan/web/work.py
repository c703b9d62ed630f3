"""What each role finds on its home page ("my work").

The queues fill as the order process arrives; until then each shows as empty.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role

ROLE_QUEUES = {
    Role.CLERK: [_("Orders to register"), _("Orders to verify"), _("Delivery notes to make")],
    Role.ACCOUNT_MANAGER: [_("Supermarket orders to verify"), _("Dispatch advices to write")],
    Role.SALES_REP: [_("Dealer payment questions referred to me")],
    Role.SALES_SUPERVISOR: [_("Orders to review")],
    Role.SALES_VP: [_("Special orders to approve")],
    Role.GENERAL_MANAGER: [_("Bulk returns to approve")],
    Role.FINANCE: [_("Delivery notes to review"), _("Orders to close")],
    Role.WAREHOUSE: [_("Delivery notes to ship"), _("Returned goods to inspect")],
    Role.DRIVER: [_("My deliveries")],
    Role.LOGISTICS: [_("Carrier bookings to track")],
    Role.SERVICE: [_("Measurements to do"), _("Acceptances to run")],
    Role.SERVICE_MANAGER: [_("Handover sheets to file")],
    Role.INSTALLER: [_("My installations")],
    Role.PROMOTER: [_("My supermarket's orders")],
    Role.STORE_STAFF: [_("Our store's orders")],
    Role.DEALER: [_("Our orders"), _("Profit notes to approve")],
}


def work_for(roles: frozenset[Role]) -> list[dict[str, object]]:
    """The role sections of a home page, in the glossary's order of roles."""
    return [{"role": role, "queues": ROLE_QUEUES[role]} for role in Role if role in roles]
