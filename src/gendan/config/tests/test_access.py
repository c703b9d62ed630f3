"""Who may open each page and call each API operation: one table, every role.

Every named URL of ``gendan.config.urls`` and every operation of the API's OpenAPI schema has
a row: the roles (and ``anonymous``) allowed. A page or operation without a row fails the
first test, which names it. The second test asks each of them as each role, with a record that
role may see (a dealer's user asks about its dealer's order, a promoter about its supermarket's),
and compares: refused means 403 (signed in), the login page (anonymous on a page) or 401
(anonymous on the API); allowed means any other answer below 500 (a refusal by a rule, 409 or
422, is not a refusal of access). Each request is rolled back, so each one sees the same records.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.api import api
from gendan.catalog.selectors import price_list_visible
from gendan.crm.models import Group, Tag
from gendan.documents.services import document_issue
from gendan.logistics.tests.calls_helpers import CALL_DAY, calls_world_ids
from gendan.logistics.tests.carriers_world import carriers_world_ids
from gendan.logistics.tests.driver_world import driver_world_ids
from gendan.logistics.tests.failures_world import failures_world_ids
from gendan.logistics.tests.fleet_world import fleet_world_ids
from gendan.logistics.tests.plan_world import plan_world_ids
from gendan.notifications.models import Notification
from gendan.orders.models import DealerCharge, GoodsReturn, Order, OrderImport
from gendan.orders.services.charges import dealer_charge_record
from gendan.orders.tests.helpers import listed_product, order_registered, staff
from gendan.parties.tests.factories import DealerFactory, HomeownerFactory, SupermarketFactory
from gendan.warehouse.models import GoodsReceipt, Warehouse
from gendan.warehouse.tests.stock_world import stock_world_ids

pytestmark = pytest.mark.django_db
ANONYMOUS = "anonymous"
WHO = [ANONYMOUS, *(role.value for role in Role)]

# Who is who, in the table below.
R = Role
EVERYONE = frozenset(role.value for role in Role)  # every signed-in role
ALL = EVERYONE | {ANONYMOUS}
NOBODY: frozenset[str] = frozenset()
PARTNERS = frozenset({R.DEALER, R.STORE_STAFF, R.PROMOTER})
ON_THE_ROAD = frozenset({R.DRIVER, R.INSTALLER})
# Receivables, dealer accounts and the dealer's profit: finance, the managers, the sales roles
# (the clerk writes the cost and profit notes, O-11) and a dealer (its own).
MONEY = frozenset(
    {R.FINANCE, R.CLERK, R.SALES_REP, R.SALES_SUPERVISOR, R.SALES_VP, R.GENERAL_MANAGER,
     R.ACCOUNT_MANAGER, R.DEALER}
)  # fmt: skip
PLACE_ORDERS = frozenset({R.CLERK, R.ACCOUNT_MANAGER, R.SALES_REP, *PARTNERS})
EDIT_CUSTOMERS = PLACE_ORDERS | {R.SALES_SUPERVISOR, R.SALES_VP, R.GENERAL_MANAGER, R.SERVICE,
                                 R.SERVICE_MANAGER}  # fmt: skip
SHOP_OWNERS = frozenset({R.SALES_VP, R.GENERAL_MANAGER})  # the SHOP_CRM roles
# The road, the warehouse and service work without prices (a dealer's settlement, O-11).
OPERATIONS = frozenset({R.WAREHOUSE, R.LOGISTICS, R.SERVICE, R.SERVICE_MANAGER})
PRICE_LISTS = EVERYONE - ON_THE_ROAD - OPERATIONS
EDIT_PRICES = frozenset({R.FINANCE, R.SALES_VP, R.GENERAL_MANAGER})
EDIT_CATALOG = frozenset({R.SALES_VP, R.GENERAL_MANAGER})
READ_AUDIT = frozenset({R.FINANCE, R.SALES_VP, R.GENERAL_MANAGER})
MANAGERS = frozenset({R.SALES_SUPERVISOR, R.SALES_VP, R.GENERAL_MANAGER})

ISSUE_ORDER_FORM = frozenset({R.CLERK, R.ACCOUNT_MANAGER})
# The sample order is a dealer's (a promoter's is its supermarket's): the clerk verifies it.
VERIFIER = frozenset({R.CLERK})
TELL_SENDER = frozenset({R.CLERK, R.ACCOUNT_MANAGER, R.SALES_REP})  # O-3: company staff
RECORD_RETURNS = frozenset({R.CLERK, R.SALES_REP, R.SERVICE, R.SERVICE_MANAGER})
RETURN_PAPERS = frozenset({R.CLERK, R.WAREHOUSE})
FINANCE = frozenset({R.FINANCE})
CANCEL_ORDERS = frozenset({R.CLERK, R.SALES_SUPERVISOR})
# The warehouse (roles.VIEW_STOCK, WORK_STOCK, APPROVE_COUNTS, CLERK_STOCK): stock for the
# office and operations, not the road or the partners; the stock's work for the warehouse.
VIEW_STOCK = frozenset({
    R.CLERK, R.ACCOUNT_MANAGER, R.SALES_REP, R.SALES_SUPERVISOR, R.SALES_VP, R.GENERAL_MANAGER,
    R.FINANCE, R.WAREHOUSE, R.LOGISTICS, R.SERVICE, R.SERVICE_MANAGER,
})  # fmt: skip
WORK_STOCK = frozenset({R.WAREHOUSE})
APPROVE_COUNTS = frozenset({R.FINANCE, R.GENERAL_MANAGER})
CLERK_STOCK = frozenset({R.CLERK})
# The fleet and the zones (roles.VIEW_DELIVERIES, EDIT_FLEET): read by the office and operations
# that follow deliveries, edited by logistics.
FLEET_READERS = frozenset({R.CLERK, R.FINANCE, R.GENERAL_MANAGER, R.WAREHOUSE, R.LOGISTICS,
                           R.SERVICE, R.SERVICE_MANAGER})  # fmt: skip
FLEET_EDITORS = frozenset({R.LOGISTICS})
# Bookings (roles.VIEW_DELIVERIES, BOOK_DELIVERIES, O-41): read as the fleet is, booked by the
# clerk and logistics.
BOOKERS = frozenset({R.CLERK, R.LOGISTICS})
# The day's route plan (roles.PLAN_ROUTES, O-43): read as the fleet is; made, changed and
# published by logistics and the warehouse.
PLANNERS = frozenset({R.LOGISTICS, R.WAREHOUSE})
# The call the day before (O-43; roles.TELL_CUSTOMERS): read as the fleet is; told and
# e-mailed by the warehouse, which the handbook has tell the customers (§6 2.(4)), logistics
# and the clerk who booked the day (BOOK_DELIVERIES, PLAN_ROUTES).
TELLERS = frozenset({R.WAREHOUSE, R.LOGISTICS, R.CLERK})
# The driver's phone (roles.DRIVE, O-21, O-22): a driver's own route and drops (another's drop
# is 404); whoever follows deliveries reads a driver's route and sheet; the day's sheets of
# all drivers by finance, logistics and the general manager (selectors_driver.SHEET_READERS).
DRIVERS = frozenset({R.DRIVER})
ROUTE_READERS = FLEET_READERS | DRIVERS
SHEET_READERS = frozenset({R.FINANCE, R.LOGISTICS, R.GENERAL_MANAGER})
# Outside carriers (roles.VIEW_CARRIERS, CARRIERS, PAY_FREIGHT, O-23): followed by whoever
# follows deliveries (the clerk and service too); booked by logistics; the papers taken in by
# logistics or finance; the freight paid by finance.
CARRIER_READERS = FLEET_READERS
CARRIER_KEEPERS = frozenset({R.LOGISTICS})
PAPER_TAKERS = frozenset({R.LOGISTICS, R.FINANCE})
FREIGHT_PAYERS = frozenset({R.FINANCE})
# Failed deliveries (O-44; roles.VIEW_DELIVERIES, HANDLE_FAILURES, CHARGE_REDELIVERY): read as the
# fleet is; the goods booked back by the warehouse, the customer told and the drop rebooked by
# the clerk or logistics, the redelivery freight charged by finance.
FAILURE_READERS = FLEET_READERS
FAILURE_HANDLERS = frozenset({R.CLERK, R.LOGISTICS})

ACCESS: dict[str, frozenset[str]] = {
    # Signing in and out, the language, the API's documentation.
    **dict.fromkeys(["login", "logout", "set_language", "api:openapi-json", "api:openapi-view"],
                    ALL),
    # Each user's own account: the password, the API tokens (a user revokes only its own).
    **dict.fromkeys(["home", "password-change", "api-token-list", "api-token-revoke"], EVERYONE),
    # Each user's own notifications (another's is not found).
    **dict.fromkeys(["notification-list", "notification-open", "notifications-read"], EVERYONE),
    "figure-orders": MANAGERS,  # the orders behind a figure of a manager's home page
    "audit-list": READ_AUDIT,
    "admin:index": NOBODY,
    # The catalog: products for everyone, prices for all but the road, the warehouse and service.
    **dict.fromkeys(["product-list", "product-detail", "GET /api/catalog/products",
                     "GET /api/catalog/products/{product_id}"], EVERYONE),
    **dict.fromkeys(["product-create", "product-edit", "POST /api/catalog/products",
                     "PATCH /api/catalog/products/{product_id}"], EDIT_CATALOG),
    **dict.fromkeys(["product-price", "price-list-list", "price-list-detail",
                     "customer-price-lists", "GET /api/catalog/price",
                     "GET /api/catalog/price-lists",
                     "GET /api/catalog/price-lists/{price_list_id}"],
                    PRICE_LISTS),
    **dict.fromkeys(["price-list-create", "price-list-edit", "POST /api/catalog/price-lists",
                     "PATCH /api/catalog/price-lists/{price_list_id}"], EDIT_PRICES),
    # Customers.
    **dict.fromkeys(["customer-list", "customer-detail", "GET /api/customers",
                     "GET /api/customers/{customer_id}", "GET /api/customers/search"], EVERYONE),
    **dict.fromkeys(["customer-create", "customer-edit", "POST /api/customers",
                     "PATCH /api/customers/{customer_id}"], EDIT_CUSTOMERS),
    # Orders: everyone follows the orders they may see; the route decides who signs a step
    # (a wrong signer gets 409 with the rule), so signing is open to all who see the order.
    **dict.fromkeys(["order-log", "order-detail", "order-original", "order-photo", "route-list",
                     "delivery-schedule", "order-step", "return-action", "GET /api/orders",
                     "GET /api/orders/waiting", "GET /api/orders/routes",
                     "GET /api/orders/{order_id}", "POST /api/orders/{order_id}/steps/{step}",
                     "POST /api/orders/{order_id}/steps/{step}/photo", "order-step-send-back",
                     "POST /api/orders/{order_id}/steps/{step}/send-back"], EVERYONE),
    **dict.fromkeys(["order-register", "order-import", "order-import-detail",
                     "order-import-template", "order-import-supermarket-sample",
                     "POST /api/orders", "POST /api/orders/{order_id}/original"], PLACE_ORDERS),
    **dict.fromkeys(["order-change", "order-checks", "order-note-action",
                     "POST /api/orders/{order_id}/checks", "POST /api/orders/{order_id}/referral",
                     "POST /api/orders/{order_id}/additions",
                     "POST /api/orders/{order_id}/revisions",
                     "POST /api/orders/{order_id}/revisions/confirmation"], VERIFIER),
    "POST /api/orders/{order_id}/referral/answer": frozenset({R.SALES_REP}),
    **dict.fromkeys(["order-confirmation", "POST /api/orders/{order_id}/confirmation"],
                    TELL_SENDER),
    "return-record": RECORD_RETURNS,
    # A return's money (O-64, O-66 to O-68): seen by MONEY; recorded by the clerk or finance,
    # cash approved by the VP (O-67), signed by finance; the exchange order by the clerk.
    **dict.fromkeys(["return-money", "return-money-list",
                     "GET /api/orders/returns/{return_id}/refund"], MONEY),
    **dict.fromkeys(["POST /api/orders/returns/{return_id}/refund", "return-money-action"],
                    frozenset({R.CLERK, R.FINANCE})),
    "POST /api/orders/returns/{return_id}/refund/approval": frozenset({R.SALES_VP}),
    **dict.fromkeys(["return-exchange", "POST /api/orders/returns/{return_id}/exchange"],
                    frozenset({R.CLERK})),
    # O-50: finance recalls the goods; the refund signed by finance; O-68: the dealer's
    # payment for a refund first recorded by finance.
    **dict.fromkeys(["order-recall", "POST /api/orders/{order_id}/recall",
                     "POST /api/orders/returns/{return_id}/refund/signature",
                     "return-money-dealer-paid",
                     "POST /api/orders/returns/{return_id}/refund/dealer-payment"], FINANCE),
    # Cancelling: the clerk (who verifies or registered it), the sales supervisor.
    **dict.fromkeys(["order-cancel", "POST /api/orders/{order_id}/cancel"], CANCEL_ORDERS),
    # Money: finance records it; receivables, dealer accounts and profit for MONEY.
    **dict.fromkeys(["order-receipt", "POST /api/orders/{order_id}/receipts",
                     "POST /api/orders/{order_id}/charges",
                     "POST /api/orders/charges/{charge_id}/offset"], FINANCE),
    **dict.fromkeys(["receivables", "dealer-account", "GET /api/orders/receivables/{by}",
                     "customer-credits"], MONEY),
    # Papers.
    **dict.fromkeys(["document-pdf", "GET /api/documents/orders/{order_id}",
                     "GET /api/documents/{document_id}/{paper}.pdf"], EVERYONE),
    **dict.fromkeys(["document-issue", "POST /api/documents/orders/{order_id}/{kind}"],
                    ISSUE_ORDER_FORM),
    "return-document-issue": RETURN_PAPERS,
    # The warehouse.
    **dict.fromkeys(["warehouse-order-panel", "GET /api/warehouse/orders/{order_id}/reservations"],
                    VIEW_STOCK),
    "warehouse-return-grading": WORK_STOCK,
    # Stock by product, batch and place, low stock and the counts: all who see stock; moves,
    # write-offs and counting for the warehouse; a count's approval for finance and the GM.
    **dict.fromkeys(["warehouse-stock", "warehouse-stock-low", "warehouse-stock-product",
                     "warehouse-stock-batch", "warehouse-counts", "warehouse-count",
                     "GET /api/warehouse/stock", "GET /api/warehouse/batches/{batch_id}",
                     "GET /api/warehouse/low-stock", "GET /api/warehouse/counts",
                     "GET /api/warehouse/counts/{count_id}"],
                    VIEW_STOCK),
    **dict.fromkeys(["warehouse-stock-move", "warehouse-count-start", "warehouse-count-lines",
                     "POST /api/warehouse/moves", "POST /api/warehouse/write-offs",
                     "POST /api/warehouse/counts", "POST /api/warehouse/counts/{count_id}/lines",
                     "POST /api/warehouse/counts/{count_id}/submit"], WORK_STOCK),
    **dict.fromkeys(["warehouse-count-approve", "warehouse-count-reject",
                     "POST /api/warehouse/counts/{count_id}/approve",
                     "POST /api/warehouse/counts/{count_id}/reject"], APPROVE_COUNTS),
    # Goods received by batch: read by all who see stock; received and labelled by the warehouse.
    **dict.fromkeys(["warehouse-receipt-list", "warehouse-receipt-detail",
                     "GET /api/warehouse/receipts", "GET /api/warehouse/receipts/{receipt_id}"],
                    VIEW_STOCK),
    **dict.fromkeys(["warehouse-receipt-create", "warehouse-receipt-import",
                     "warehouse-receipt-import-template", "warehouse-receipt-labels",
                     "POST /api/warehouse/receipts",
                     "GET /api/warehouse/receipts/{receipt_id}/labels.pdf"], WORK_STOCK),
    # O-18, O-58: the notes to prepare and what to pick by day for all who see stock; picking
    # and the checks before shipping for the warehouse.
    **dict.fromkeys(["warehouse-work", "warehouse-picklist", "GET /api/warehouse/work",
                     "GET /api/warehouse/picklist"], VIEW_STOCK),
    **dict.fromkeys(["warehouse-order-pick", "warehouse-pick-scan", "warehouse-pick-quantity",
                     "warehouse-pick-undo", "warehouse-pick-check",
                     "POST /api/warehouse/orders/{order_id}/picks",
                     "POST /api/warehouse/orders/{order_id}/checks"], WORK_STOCK),
    **dict.fromkeys(["warehouse-pickup", "GET /api/warehouse/orders/{order_id}/pickup"],
                    VIEW_STOCK),
    **dict.fromkeys(["warehouse-pickup-substitution",
                     "POST /api/warehouse/orders/{order_id}/substitutions"], CLERK_STOCK),
    # O-58: what each product gets or lacks, and the customer's split agreement: the clerk's.
    **dict.fromkeys(["warehouse-order-shortfalls", "warehouse-split-agreement",
                     "GET /api/warehouse/orders/{order_id}/shortfalls",
                     "POST /api/warehouse/orders/{order_id}/split-agreements"], CLERK_STOCK),
    # Bookings (O-41, O-42): the lists and the days' load read by whoever follows deliveries.
    **dict.fromkeys(["logistics-bookings", "GET /api/logistics/bookings",
                     "GET /api/logistics/booking-days"], FLEET_READERS),
    **dict.fromkeys(["logistics-order-book", "logistics-bookings-count",
                     "POST /api/logistics/orders/{order_id}/booking"], BOOKERS),
    # The call list of the day before (O-43): read by whoever follows deliveries.
    **dict.fromkeys(["logistics-calls", "logistics-calls-day", "GET /api/logistics/calls/{day}"],
                    FLEET_READERS),
    **dict.fromkeys(["logistics-call-told", "logistics-calls-email",
                     "POST /api/logistics/drops/{drop_id}/told",
                     "POST /api/logistics/calls/{day}/email"], TELLERS),
    # The fleet and the zones (O-45): read by whoever follows deliveries, edited by logistics.
    **dict.fromkeys(["logistics-trucks", "logistics-drivers", "logistics-zones",
                     "GET /api/logistics/trucks", "GET /api/logistics/drivers",
                     "GET /api/logistics/zones"], FLEET_READERS),
    **dict.fromkeys(["logistics-truck-create", "logistics-truck-edit",
                     "logistics-truck-deactivate", "logistics-driver-create",
                     "logistics-driver-edit", "logistics-zone-set", "logistics-zone-remove",
                     "POST /api/logistics/trucks", "PUT /api/logistics/trucks/{truck_id}",
                     "POST /api/logistics/drivers", "POST /api/logistics/zones",
                     "DELETE /api/logistics/zones/{zone_id}"], FLEET_EDITORS),
    # The day's route plan (O-43, O-45): read by whoever follows deliveries; made by planners.
    **dict.fromkeys(["logistics-plans", "logistics-plan-day", "GET /api/logistics/plans/{day}"],
                    FLEET_READERS),
    **dict.fromkeys(["logistics-plan-make", "logistics-plan-publish", "logistics-plan-reopen",
                     "logistics-drop-move", "logistics-drop-pin", "POST /api/logistics/plans/{day}",
                     "POST /api/logistics/plans/{day}/publish",
                     "POST /api/logistics/plans/{day}/reopen",
                     "POST /api/logistics/drops/{drop_id}/move",
                     "POST /api/logistics/drops/{drop_id}/pin"], PLANNERS),
    # The driver's phone (O-21, O-22, O-44).
    **dict.fromkeys(["logistics-driver", "logistics-driver-sheet", "logistics-drop-signature",
                     "GET /api/logistics/driver/route"], ROUTE_READERS),
    **dict.fromkeys(["logistics-driver-arrive", "logistics-driver-deliver",
                     "logistics-driver-fail", "POST /api/logistics/drops/{drop_id}/arrive",
                     "POST /api/logistics/drops/{drop_id}/deliver",
                     "POST /api/logistics/drops/{drop_id}/fail"], DRIVERS),
    **dict.fromkeys(["logistics-sheets-day", "GET /api/logistics/sheets/{day}"], SHEET_READERS),
    # Outside carriers (O-23, O-21): the deliver step signed from the original is open to the
    # readers (the route's role check refuses the others, 409-like, with a message).
    **dict.fromkeys(["logistics-carriers", "logistics-shipments", "logistics-shipment",
                     "logistics-shipment-deliver", "logistics-freight",
                     "GET /api/logistics/carriers", "GET /api/logistics/shipments",
                     "GET /api/logistics/shipments/{shipment_id}", "GET /api/logistics/freight"],
                    CARRIER_READERS),
    **dict.fromkeys(["logistics-carrier-create", "logistics-carrier-edit",
                     "logistics-shipment-book", "logistics-shipment-status",
                     "POST /api/logistics/carriers", "PATCH /api/logistics/carriers/{carrier_id}",
                     "POST /api/logistics/shipments",
                     "POST /api/logistics/shipments/{shipment_id}/status"], CARRIER_KEEPERS),
    **dict.fromkeys(["logistics-failures", "logistics-failure", "logistics-failure-photo",
                     "GET /api/logistics/failures", "GET /api/logistics/failures/{failure_id}"],
                    FAILURE_READERS),
    **dict.fromkeys(["logistics-failure-goods-back",
                     "POST /api/logistics/failures/{failure_id}/goods-back"], WORK_STOCK),
    **dict.fromkeys(["logistics-failure-told", "logistics-failure-rebook",
                     "POST /api/logistics/failures/{failure_id}/told",
                     "POST /api/logistics/failures/{failure_id}/rebook"], FAILURE_HANDLERS),
    **dict.fromkeys(["logistics-failure-charge",
                     "POST /api/logistics/failures/{failure_id}/charge"], FINANCE),
    **dict.fromkeys(["logistics-shipment-paper",
                     "POST /api/logistics/shipments/{shipment_id}/papers"], PAPER_TAKERS),
    **dict.fromkeys(["logistics-shipment-pay",
                     "POST /api/logistics/shipments/{shipment_id}/freight-payment"],
                    FREIGHT_PAYERS),
    # The shop's CRM: for the roles that own shop data.
    **dict.fromkeys(["crm-dashboard", "crm-people", "crm-customers", "crm-care", "crm-tags",
                     "crm-people-act", "crm-items", "crm-profile", "crm-loyal",
                     "crm-care-contact", "crm-tag-rule-new", "crm-tag-rule-preview",
                     "crm-tag-rule", "crm-tag-evaluate", "crm-tag-delete", "crm-group-create",
                     "crm-group-delete", "crm-rfm", "crm-rfm-preview", "crm-rfm-people",
                     "GET /api/crm/customers/{customer_id}/figures", "POST /api/crm/events",
                     "POST /api/crm/events/csv", "POST /api/crm/customers/{customer_id}/merge"],
                    SHOP_OWNERS),
}  # fmt: skip


# ---- the machinery -------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """How a page or operation is asked: method, the record ids in its URL, what is sent."""

    method: str = "get"
    args: dict[str, str] = field(default_factory=dict)  # URL parameter → key of World.ids
    data: Any = None
    json: bool = False
    files: tuple[str, ...] = ()  # form fields sent as an uploaded file
    query: dict[str, str] = field(default_factory=dict)  # query parameter → key of World.ids


ORDER, CUSTOMER = {"pk": "order"}, {"pk": "customer"}
TEXT = {"text": "送货前一天电话联系"}


def return_lines(ids: dict) -> dict[str, str]:
    return {"kind": "bulk", "reason": "多订了", f"quantity-{ids['line']}": "1"}


# How each page with parameters or a body is asked; a page not named here is a plain GET.
PAGES: dict[str, Call] = {
    "set_language": Call("post", data={"language": "en", "next": "/"}),
    "logout": Call("post"),
    **dict.fromkeys(["product-detail", "product-edit", "product-price"],
                    Call(args={"pk": "product"})),
    **dict.fromkeys(["price-list-detail", "price-list-edit"], Call(args={"pk": "price_list"})),
    **dict.fromkeys(["customer-price-lists", "customer-detail", "customer-edit", "crm-care",
                     "customer-credits"], Call(args=CUSTOMER)),
    "order-import-detail": Call(args={"pk": "import"}),
    "dealer-account": Call(args={"dealer_id": "dealer"}),
    **dict.fromkeys(["order-detail", "order-change", "order-original",
                     "warehouse-order-panel"], Call(args=ORDER)),
    "order-step": Call("post", {"pk": "order", "step": "step"}, {"note": ""}),
    "order-step-send-back": Call("post", {"pk": "order", "step": "step"}, {"reason": "价格不对"}),
    "order-checks": Call("post", ORDER, {"items": ["sku"]}),
    "order-receipt": Call("post", ORDER, {"amount": "1", "method": "cash"}),
    "order-confirmation": Call("post", ORDER, {"confirmed_to": "经销商 李总"}),
    "order-photo": Call(args={"pk": "order", "step": "signed_step"}),
    "order-note-action": Call("post", {"pk": "order", "action": "=addition"}, TEXT),
    "return-record": Call("post", ORDER, return_lines),
    "order-cancel": Call("post", {"pk": "order", "action": "=cancel"}, {"reason": "录重了"}),
    "return-money": Call(args={"pk": "return"}),
    "return-money-action": Call("post", {"pk": "return", "action": "=record"}),
    "return-exchange": Call("post", {"pk": "return"}),
    "return-money-dealer-paid": Call("post", {"pk": "return"}, {"amount": "1", "method": "cash"}),
    "order-recall": Call("post", ORDER, {"freight": "0", "reason": "未付款"}),
    "return-action": Call("post", {"pk": "return", "action": "=approve"},
                          lambda ids: {"role": ids["who"]}),
    "document-issue": Call("post", {"pk": "order", "kind": "=order_form"}),
    "return-document-issue": Call("post", {"pk": "return", "kind": "=warehouse_receipt"}),
    "warehouse-return-grading": Call(args={"pk": "return"}),
    "warehouse-stock-product": Call(args={"pk": "product"}),
    "warehouse-stock-batch": Call(args={"pk": "batch"}),
    "warehouse-stock-move": Call("post", {"pk": "batch"}, lambda ids: {
        "action": "move", "from_location": ids["location"], "to_location": ids["other_location"],
        "quantity": "1", "reason": "色差",
    }),
    "warehouse-count-start": Call("post", data=lambda ids: {"warehouse": ids["stock_warehouse"]}),
    "warehouse-count": Call(args={"pk": "count"}),
    **dict.fromkeys(["warehouse-count-lines", "warehouse-count-approve"],
                    Call("post", {"pk": "count"})),
    "warehouse-count-reject": Call("post", {"pk": "count"}, {"reason": "重盘"}),
    **dict.fromkeys(["warehouse-receipt-detail", "warehouse-receipt-labels"],
                    Call(args={"pk": "receipt"})),
    "warehouse-order-pick": Call(args=ORDER),
    "warehouse-pick-scan": Call("post", ORDER, {"code": "RK-0-01-001"}),
    "warehouse-pick-quantity": Call("post", ORDER, {"line": "1", "location": "1", "quantity": "1"}),
    "warehouse-pick-undo": Call("post", {"pk": "order", "pick_pk": "=1"}),
    "warehouse-pick-check": Call("post", ORDER, lambda ids: {"product": ids["product"]}),
    "warehouse-pickup": Call(args=ORDER),
    "warehouse-pickup-substitution": Call(
        "post", ORDER, lambda ids: {"line": ids["line"], "substitute": ids["product"],
                                    "chosen_by": "王女士"}
    ),
    "warehouse-order-shortfalls": Call(args=ORDER),
    "warehouse-split-agreement": Call(
        "post", ORDER, lambda ids: {"product": ids["product"], "agreed_by": "王先生"}
    ),
    "document-pdf": Call(args={"pk": "document", "paper": "=a4"}),
    "api-token-revoke": Call("post", {"pk": "token"}),
    "notification-open": Call(args={"pk": "notification"}),
    "notifications-read": Call("post"),
    "crm-people": Call(args={"group": "=interested"}),
    "figure-orders": Call(args={"figure": "=step", "key": "=verify"}),
    "crm-care-contact": Call("post", CUSTOMER, {"kind": "call", "note": ""}),
    "crm-tag-rule": Call(args={"pk": "tag"}),
    "crm-tag-evaluate": Call("post", {"pk": "tag"}),
    "crm-tag-delete": Call("post", {"pk": "tag"}),
    "crm-group-delete": Call("post", {"pk": "group"}),
    "crm-group-create": Call("post", data={"name": "新群组"}),
    "crm-people-act": Call("post", data={"action": "tag_new", "name": "新标签", "scope": "all"}),
    "crm-tag-rule-preview": Call("post"),
    "crm-rfm-preview": Call("post"),
    "logistics-order-book": Call(args=ORDER),
    "logistics-calls-day": Call(args={"day": f"={CALL_DAY}"}),
    "logistics-calls-email": Call("post", {"day": f"={CALL_DAY}"}),
    "logistics-call-told": Call("post", {"pk": "call_drop"}, {"told_to": "王女士"}),
    "logistics-truck-edit": Call(args={"pk": "truck"}),
    "logistics-truck-deactivate": Call("post", {"pk": "truck"}),
    "logistics-driver-edit": Call(args={"pk": "driver"}),
    "logistics-zone-set": Call("post", data={"city": "深圳市", "district": "南山区",
                                             "kind": "inner"}),
    "logistics-zone-remove": Call("post", {"pk": "zone"}),
    "logistics-plan-day": Call(args={"day": "plan_day"}),
    **dict.fromkeys(["logistics-plan-make", "logistics-plan-publish"],
                    Call("post", {"day": "plan_day"})),
    "logistics-plan-reopen": Call("post", {"day": "plan_day"}, {"reason": "改期"}),
    "logistics-drop-move": Call("post", {"pk": "plan_drop"},
                                lambda ids: {"route": ids["plan_route"]}),
    "logistics-drop-pin": Call("post", {"pk": "plan_drop"}, {"pinned": "on"}),
    "logistics-driver-arrive": Call("post", {"pk": "driver_drop"}),
    **dict.fromkeys(["logistics-driver-deliver", "logistics-driver-fail"],
                    Call(args={"pk": "driver_drop"})),
    "logistics-drop-signature": Call(args={"pk": "signed_drop"}),
    "logistics-sheets-day": Call(args={"day": f"={CALL_DAY}"}),
    "logistics-carrier-create": Call("post", data={"name": "新物流"}),
    "logistics-carrier-edit": Call(args={"pk": "carrier"}),
    "logistics-shipment-book": Call("post"),
    "logistics-shipment": Call(args={"pk": "shipment"}),
    **dict.fromkeys(["logistics-shipment-status", "logistics-shipment-paper",
                     "logistics-shipment-pay", "logistics-shipment-deliver"],
                    Call("post", {"pk": "shipment"})),
    **dict.fromkeys(["logistics-failure", "logistics-failure-photo"],
                    Call(args={"pk": "failure"})),
    "logistics-failure-goods-back": Call("post", {"pk": "failure"}),
    "logistics-failure-told": Call("post", {"pk": "failure"}, {"told_to": "王女士"}),
    "logistics-failure-rebook": Call("post", {"pk": "failure"}),
    "logistics-failure-charge": Call("post", {"pk": "failure"}, {"freight": "1", "share": "50"}),
}  # fmt: skip
# How each API operation with a body is sent; path parameters come from PATH_IDS.
OPERATIONS: dict[str, Call] = {
    **dict.fromkeys(
        ["POST /api/catalog/products", "PATCH /api/catalog/products/{product_id}",
         "POST /api/catalog/price-lists", "PATCH /api/catalog/price-lists/{price_list_id}",
         "POST /api/customers", "PATCH /api/customers/{customer_id}",
         "POST /api/orders/{order_id}/steps/{step}"],
        Call(json=True),
    ),
    "POST /api/orders": Call(json=True, data=lambda ids: {
        "customer_id": ids["customer"], "province": "广东省", "city": "广州市",
        "street": "天河路1号", "lines": [],
    }),
    "POST /api/orders/{order_id}/checks": Call(json=True, data={"items": ["sku"]}),
    "POST /api/orders/{order_id}/steps/{step}/send-back": Call(
        json=True, data={"reason": "价格不对"}
    ),
    "POST /api/orders/{order_id}/receipts": Call(json=True, data={"amount": "1", "method": "cash"}),
    "POST /api/orders/{order_id}/cancel": Call(json=True, data={"reason": "录重了"}),
    "POST /api/orders/returns/{return_id}/refund": Call(json=True, data={}),
    "POST /api/orders/returns/{return_id}/exchange": Call(json=True, data={"lines": []}),
    "POST /api/orders/returns/{return_id}/refund/dealer-payment": Call(
        json=True, data={"amount": "1", "method": "cash"}
    ),
    "POST /api/orders/{order_id}/recall": Call(json=True, data={"reason": "未付款"}),
    "POST /api/orders/{order_id}/confirmation": Call(json=True, data={"confirmed_to": "李总"}),
    **dict.fromkeys(
        ["POST /api/orders/{order_id}/referral", "POST /api/orders/{order_id}/referral/answer",
         "POST /api/orders/{order_id}/additions",
         "POST /api/orders/{order_id}/revisions/confirmation"],
        Call(json=True, data=TEXT),
    ),
    "POST /api/orders/{order_id}/revisions": Call(json=True, data={"reason": "改", "lines": []}),
    "POST /api/orders/{order_id}/original": Call(files=("document",)),
    "POST /api/orders/{order_id}/charges": Call(
        json=True, data={"kind": "shortfall", "amount": "1"}
    ),
    "POST /api/orders/charges/{charge_id}/offset": Call(
        json=True, data=lambda ids: {"against_id": ids["order"]}
    ),
    "POST /api/orders/{order_id}/steps/{step}/photo": Call(data={"record": "{}"}, files=("photo",)),
    "GET /api/catalog/price": Call(query={"product_id": "product", "customer_id": "customer"}),
    "POST /api/warehouse/moves": Call(json=True, data=lambda ids: {
        "batch_id": ids["batch"], "from_location_id": ids["location"],
        "to_location_id": ids["other_location"], "quantity": "1", "reason": "色差",
    }),
    "POST /api/warehouse/write-offs": Call(json=True, data=lambda ids: {
        "batch_id": ids["batch"], "from_location_id": ids["location"], "quantity": "1",
        "reason": "破损",
    }),
    "POST /api/warehouse/counts": Call(json=True, data=lambda ids: {
        "warehouse_id": ids["stock_warehouse"],
    }),
    "POST /api/warehouse/counts/{count_id}/lines": Call(json=True, data={"lines": []}),
    "POST /api/warehouse/counts/{count_id}/reject": Call(json=True, data={"reason": "重盘"}),
    "POST /api/warehouse/receipts": Call(json=True, data=lambda ids: {
        "source": "production", "warehouse_id": ids["warehouse"], "lines": [],
    }),
    "POST /api/warehouse/orders/{order_id}/picks": Call(json=True, data={"code": "RK-0-01-001"}),
    "POST /api/warehouse/orders/{order_id}/checks": Call(
        json=True, data=lambda ids: {"product_id": ids["product"]}
    ),
    "POST /api/warehouse/orders/{order_id}/split-agreements": Call(json=True, data=lambda ids: {
        "product_id": ids["product"], "agreed_by": "王先生",
    }),
    "POST /api/warehouse/orders/{order_id}/substitutions": Call(json=True, data=lambda ids: {
        "line_id": ids["line"], "substitute_id": ids["product"], "chosen_by": "王女士",
    }),
    "POST /api/crm/events": Call(json=True, data=[]),
    **dict.fromkeys(["POST /api/logistics/trucks", "PUT /api/logistics/trucks/{truck_id}"],
                    Call(json=True, data={"name": "3号车"})),
    "POST /api/logistics/orders/{order_id}/booking": Call(
        json=True, data={"first_day": "2026-01-02", "told_to": "王先生"}
    ),
    "POST /api/logistics/drops/{drop_id}/told": Call(json=True, data={"told_to": "王女士"}),
    "POST /api/logistics/drivers": Call(json=True,
                                        data=lambda ids: {"user_id": ids["driver_user"]}),
    "POST /api/logistics/plans/{day}/reopen": Call(json=True, data={"reason": "改期"}),
    "POST /api/logistics/drops/{drop_id}/move": Call(
        json=True, data=lambda ids: {"route_id": ids["plan_route"]}
    ),
    "POST /api/logistics/drops/{drop_id}/pin": Call(json=True, data={"pinned": True}),
    "GET /api/logistics/driver/route": Call(query={"driver_id": "route_driver"}),
    "POST /api/logistics/drops/{drop_id}/deliver": Call(
        data={"received_by": "王女士"}, files=("signature", "photo")
    ),
    "POST /api/logistics/drops/{drop_id}/fail": Call(
        data={"reason": "refused", "fault": "customer"}
    ),
    "POST /api/logistics/zones": Call(json=True, data={"city": "深圳市", "district": "南山区",
                                                       "kind": "inner"}),
    "POST /api/logistics/carriers": Call(json=True, data={"name": "新物流"}),
    "PATCH /api/logistics/carriers/{carrier_id}": Call(json=True, data={"phone": "0769-1"}),
    "POST /api/logistics/shipments": Call(json=True, data=lambda ids: {
        "order_number": "-", "carrier_id": ids["carrier"], "waybill": "W-1", "freight": "1",
    }),
    "POST /api/logistics/shipments/{shipment_id}/status": Call(
        json=True, data={"status": "picked_up"}
    ),
    "POST /api/logistics/shipments/{shipment_id}/papers": Call(
        json=True, data={"paper": "our_note"}
    ),
    "POST /api/logistics/shipments/{shipment_id}/freight-payment": Call(
        json=True, data={"reference": "转账"}
    ),
    "POST /api/logistics/failures/{failure_id}/told": Call(json=True, data={"told_to": "王女士"}),
    "POST /api/logistics/failures/{failure_id}/rebook": Call(
        json=True, data={"first_day": "2030-01-07", "told_to": "王女士"}
    ),
    "POST /api/logistics/failures/{failure_id}/charge": Call(
        json=True, data={"freight": "1", "share": "0.5"}
    ),
    "POST /api/crm/events/csv": Call(files=("file",)),
    "POST /api/crm/customers/{customer_id}/merge": Call(
        json=True, data=lambda ids: {"absorb_id": ids["other_customer"]}
    ),
}  # fmt: skip
# A path parameter of the API → the record it names, or a literal value.
PATH_IDS = {
    "order_id": "order", "product_id": "product", "price_list_id": "price_list",
    "customer_id": "customer", "step": "step", "charge_id": "charge",
    "document_id": "document", "by": "=dealer", "kind": "=order_form", "paper": "=a4",
    "receipt_id": "receipt", "batch_id": "batch", "count_id": "count",
    "return_id": "return",
    "truck_id": "truck", "zone_id": "zone", "carrier_id": "carrier", "shipment_id": "shipment",
    "drop_id": "call_drop", "day": f"={CALL_DAY}", "failure_id": "failure",
}  # fmt: skip
# Namespaces of URL names left out of the pages: the API's operations are rows of their own
# (its documentation pages are kept); the admin site lets in only is_staff users (its index is
# kept, to show no role gets in by its role alone).
LEFT_OUT = ("admin:", "api:")
KEPT = {"api:openapi-json", "api:openapi-view", "admin:index"}
RULE = {"all": [{"field": "purchase_count", "op": ">=", "value": 2}]}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def page_names() -> set[str]:
    def walk(patterns: list, namespace: str = "") -> set[str]:
        names = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                names |= walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")
        return names

    names = walk(get_resolver().url_patterns)
    return {name for name in names if not name.startswith(LEFT_OUT)} | (names & KEPT)


def operation_names() -> set[str]:
    paths = api.get_openapi_schema()["paths"]
    return {f"{method.upper()} {path}" for path, ops in paths.items() for method in ops}


# ---- the records asked about ---------------------------------------------------------------


class World:
    """One record of each kind, and one user per role; ids as each role asks for them."""

    def __init__(self) -> None:
        self.dealer = DealerFactory()
        homeowners = [HomeownerFactory(via=self.dealer) for _ in range(2)]
        self.supermarket = SupermarketFactory()
        shoppers = [HomeownerFactory(via=self.supermarket) for _ in range(2)]
        product = listed_product()
        self.order = order_registered(
            self.dealer, end_customer=homeowners[0], product=product, end_price=Decimal("130")
        )
        self.market_order = order_registered(
            self.supermarket, end_customer=shoppers[0], product=product
        )
        for order in (self.order, self.market_order):
            files_attach(order)
        charge = dealer_charge_record(
            actor=staff(R.FINANCE), order=self.order, kind=DealerCharge.Kind.SHORTFALL,
            amount=Decimal("10"),
        )  # fmt: skip
        self.users = {who: user_for(who, self) for who in WHO if who != ANONYMOUS}
        shared = {
            "product": product.pk,
            "charge": charge.pk, "tag": Tag.objects.create(name="老客户", rule=RULE).pk,
            "group": Group.objects.create(name="样板间").pk,
            **receipt_of(),
            **stock_world_ids(),  # a batch in stock, a place, a count waiting for approval
            **fleet_world_ids(),  # a truck with its driver, a listed district
            **plan_world_ids(self.order),  # a draft plan with two trucks, a drop on one
            **calls_world_ids(),  # a drop on a truck of a published plan, to be told
            **driver_world_ids(),  # that drop's route driven by the driver, a signed drop
            **carriers_world_ids(self.order),  # a carrier, a shipment of the dealer's order
            **failures_world_ids(),  # a drop failed on the driver's route, its report
        }  # fmt: skip
        self.ids = {
            who: shared
            | self.ids_of(who, homeowners, shoppers)
            | {
                "import": import_of(user),
                "price_list": price_list_visible(user).first().pk,
                "token": token_of(user),
                "notification": notification_of(user, self),
            }
            for who, user in self.users.items()
        }
        self.ids[ANONYMOUS] = self.ids[R.CLERK.value]

    def ids_of(self, who: str, homeowners: list, shoppers: list) -> dict[str, int | str]:
        """The records of the role's own partner for a partner's user, else the dealer's."""
        market = who == R.PROMOTER
        order = self.market_order if market else self.order
        people = shoppers if market else homeowners
        return {
            "order": order.pk, "step": order.step, "signed_step": "register",
            "customer": people[0].pk, "other_customer": people[1].pk,
            "dealer": (self.supermarket if market else self.dealer).pk,
            "return": GoodsReturn.objects.get(order=order).pk,
            "document": order.documents.get().pk, "line": order.lines.first().pk, "who": who,
        }  # fmt: skip


def files_attach(order: Order) -> None:
    """The original document, a photo with the signed first step, a paper, a return."""
    order.original_document.save("scan.pdf", ContentFile(PDF), save=False)
    photo = default_storage.save(f"photos/{order.pk}.png", ContentFile(PNG))
    signed = order.signed | {"register": order.signed.get("register", {}) | {"photo": photo}}
    Order.objects.filter(pk=order.pk).update(
        original_document=order.original_document.name, signed=signed
    )
    document_issue(actor=staff(R.CLERK), order=order, kind="order_form")
    GoodsReturn.objects.create(
        order=order, sequence=1, kind="bulk", reason="多订了", requested_by=staff(R.CLERK)
    )


def receipt_of() -> dict[str, int]:
    """A goods receipt (with no lines) and its warehouse."""
    warehouse = Warehouse.objects.create(code="WH-ACCESS", name="总仓")
    receipt = GoodsReceipt.objects.create(
        number="RK-20261203-001", source="production", warehouse=warehouse,
        received_by=staff(R.WAREHOUSE),
    )  # fmt: skip
    return {"receipt": receipt.pk, "warehouse": warehouse.pk}


def user_for(who: str, world: World):
    role = Role(who)
    if role in (R.DEALER, R.STORE_STAFF):
        return UserFactory(roles=[role], partner=world.dealer)
    if role == R.PROMOTER:
        return UserFactory(roles=[role], partner=world.supermarket)
    return staff(role)


def notification_of(user, world: World) -> int:
    """A notification of the user's own, about an order the user may see."""
    order = world.market_order if user.partner_id == world.supermarket.pk else world.order
    entry = order.step_log.first()
    return Notification.objects.create(
        recipient=user, order=order, step="verify", step_log=entry
    ).pk


def token_of(user) -> int | None:
    """An API token of the user's own, where tokens exist."""
    if "api-token-revoke" not in page_names():
        return None
    from gendan.accounts.services import api_token_create

    return api_token_create(user=user, name="脚本")[0].pk


def import_of(user) -> int:
    return OrderImport.objects.create(
        layout="dealer", file_name="orders.xlsx", content=b"", created_by=user
    ).pk


# ---- asking --------------------------------------------------------------------------------


def page_url(name: str, call: Call, ids: dict) -> str:
    return reverse(name, kwargs={key: value_of(ref, ids) for key, ref in call.args.items()})


def operation_url(operation: str, call: Call, ids: dict) -> str:
    path = operation.split(" ", 1)[1]
    path = re.sub(r"\{(\w+)\}", lambda m: str(value_of(PATH_IDS[m.group(1)], ids)), path)
    query = "&".join(f"{key}={ids[ref]}" for key, ref in call.query.items())
    return f"{path}?{query}" if query else path


def value_of(ref: str, ids: dict) -> Any:
    return ref[1:] if ref.startswith("=") else ids[ref]


def sent(call: Call, ids: dict) -> dict[str, Any]:
    data = call.data(ids) if callable(call.data) else call.data
    if call.json:
        return {"data": data if data is not None else {}, "content_type": "application/json"}
    data = dict(data or {})
    for name in call.files:
        content = PNG if "photo" in name else PDF
        data[name] = SimpleUploadedFile(f"{name}.bin", content)
    return {"data": data} if data else {}


def answer(client: Client, method: str, url: str, payload: dict) -> int | str:
    """The status of one request, rolled back; 'login' when sent to sign in first."""
    with transaction.atomic():
        response = getattr(client, method)(url, **payload)
        transaction.set_rollback(True)
    # The language switch leaves its cookie, which sends later pages to their /en/ address
    # (LanguageStaysMiddleware): each request is asked as the first.
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    location = response.get("Location", "")
    sign_in = (f"{reverse('login')}?next=", f"{reverse('admin:login')}?next=")
    if response.status_code == 302 and location.startswith(sign_in):
        return "login"
    return response.status_code


def allowed(status: int | str) -> bool | None:
    """True, False, or None for a server error (never a verdict)."""
    if status in ("login", 401, 403):
        return False
    if isinstance(status, int) and status >= 500:
        return None
    return status != 404  # the record is one the role may see: 404 is a refusal too


def clients(world: World) -> dict[str, Client]:
    signed_in = {}
    for who in WHO:
        client = Client(raise_request_exception=False)
        if who != ANONYMOUS:
            client.force_login(world.users[who])
        signed_in[who] = client
    return signed_in


# ---- the tests -----------------------------------------------------------------------------


def test_every_page_and_api_operation_has_a_row_in_the_access_table() -> None:
    missing_pages = sorted(page_names() - ACCESS.keys())
    missing_operations = sorted(operation_names() - ACCESS.keys())
    stale = sorted(ACCESS.keys() - page_names() - operation_names())
    problems = [f"page {name!r} has no row in ACCESS" for name in missing_pages]
    problems += [f"API operation {name!r} has no row in ACCESS" for name in missing_operations]
    problems += [f"ACCESS has a row for {name!r}, which no longer exists" for name in stale]
    hint = (
        "\nGive each a row in ACCESS (config/tests/test_access.py): the roles that may open it;"
        " and, if it takes record ids or a body, how to ask it in PAGES or OPERATIONS."
    )
    assert not problems, "\n".join(problems) + hint


def test_each_role_opens_exactly_the_pages_and_operations_of_its_row(
    roles, settings, tmp_path
) -> None:
    # given one record of each kind, and a signed-in user of each role
    settings.MEDIA_ROOT = tmp_path
    world = World()
    signed_in = clients(world)
    # when each role asks for every page and every operation
    wrong = []
    pages = page_names()
    for name in sorted((pages | operation_names()) & ACCESS.keys()):
        is_page = name in pages
        call = PAGES.get(name, Call()) if is_page else OPERATIONS.get(name, Call())
        method = call.method if is_page else name.split(" ", 1)[0].lower()
        for who in WHO:
            ids = world.ids[who]
            try:
                url = page_url(name, call, ids) if is_page else operation_url(name, call, ids)
            except (NoReverseMatch, KeyError) as error:
                wrong.append(f"{name}: no URL to ask ({error!r}); say how in PAGES or PATH_IDS")
                break
            client = signed_in[who] if name != "logout" else fresh(world, who)
            status = answer(client, method, url, sent(call, ids))
            verdict, expected = allowed(status), who in ACCESS.get(name, NOBODY)
            if verdict is not expected:
                wanted = "allowed" if expected else "refused"
                wrong.append(f"{name}: {who} got {status}, should be {wanted}")
    # then each answer is what its row says
    assert not wrong, "\n".join(wrong)


def fresh(world: World, who: str) -> Client:
    """A client of its own (signing out ends the session the others share)."""
    client = Client(raise_request_exception=False)
    if who != ANONYMOUS:
        client.force_login(world.users[who])
    return client
