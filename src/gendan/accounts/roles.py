"""The roles of the glossary, each a Django group with its permissions.

A role says what a person may do; scoping (which records they see) lives in the
selectors of each app and follows ``User.partner``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLERK = "clerk", _("Order clerk")
    ACCOUNT_MANAGER = "account_manager", _("Key-account manager")
    SALES_REP = "sales_rep", _("Sales rep")
    SALES_SUPERVISOR = "sales_supervisor", _("Sales supervisor")
    SALES_VP = "sales_vp", _("VP of sales")
    GENERAL_MANAGER = "general_manager", _("General manager")
    FINANCE = "finance", _("Finance")
    WAREHOUSE = "warehouse", _("Warehouse")
    DRIVER = "driver", _("Driver")
    LOGISTICS = "logistics", _("Logistics")
    SERVICE = "service", _("After-sales service")
    SERVICE_MANAGER = "service_manager", _("After-sales service manager")
    INSTALLER = "installer", _("Installer")
    PROMOTER = "promoter", _("Promoter")
    STORE_STAFF = "store_staff", _("Store staff")
    DEALER = "dealer", _("Dealer")


# Roles whose users belong to a dealer; they see only that dealer's records.
DEALER_ROLES = frozenset({Role.DEALER, Role.STORE_STAFF})
# Roles whose users belong to a supermarket; they see only that supermarket's records.
SUPERMARKET_ROLES = frozenset({Role.PROMOTER})
PARTNER_ROLES = DEALER_ROLES | SUPERMARKET_ROLES

VIEW_CATALOG = ("catalog.view_product", "catalog.view_pricelist", "catalog.view_pricelistitem")
VIEW_PARTIES = (
    "parties.view_customer",
    "parties.view_contact",
    "parties.view_address",
    "parties.view_store",
    "parties.view_contract",
    "parties.view_paymentstage",
)
EDIT_CUSTOMERS = (
    "parties.add_customer",
    "parties.change_customer",
    "parties.add_contact",
    "parties.change_contact",
    "parties.delete_contact",
    "parties.add_address",
    "parties.change_address",
    "parties.delete_address",
)
EDIT_PARTNERS = ("parties.add_store", "parties.change_store", "parties.delete_store")
EDIT_CONTRACTS = (
    "parties.add_contract",
    "parties.change_contract",
    "parties.add_paymentstage",
    "parties.change_paymentstage",
    "parties.delete_paymentstage",
)
EDIT_CATALOG = ("catalog.add_product", "catalog.change_product")
EDIT_PRICES = (
    "catalog.add_pricelist",
    "catalog.change_pricelist",
    "catalog.delete_pricelist",
    "catalog.add_pricelistitem",
    "catalog.change_pricelistitem",
    "catalog.delete_pricelistitem",
)
READ_AUDIT = ("audit.view_auditevent",)
SHOP_CRM = (
    "crm.add_event",
    "crm.view_event",
    "crm.view_figures",
    "crm.add_tag",
    "crm.change_tag",
    "crm.delete_tag",
    "crm.change_care",
    "crm.change_rfmtemplate",
    "crm.merge_customers",
)
VIEW_ORDERS = ("orders.view_order", "orders.view_receipt")
# Receivables, dealer accounts and a dealer's profit: finance, the managers and the sales roles
# (the clerk writes the cost and profit notes, O-11), and a dealer (its own, by scoping). Not
# the road or the warehouse: they see the address, the phone, the goods and what to collect.
VIEW_RECEIVABLES = ("orders.view_receivables",)
PLACE_ORDERS = ("orders.add_order", "orders.change_order")

# The warehouse: stock by batch and its moves (O-58); who works the stock; who approves a
# count's differences (not who counted); the clerk's part (a split over batches, a substitute
# for a self-pickup, O-61).
VIEW_STOCK = (
    "warehouse.view_warehouse", "warehouse.view_location", "warehouse.view_batch",
    "warehouse.view_stockmove", "warehouse.view_reservation",
)  # fmt: skip
WORK_STOCK = (
    "warehouse.add_goodsreceipt", "warehouse.add_stockmove", "warehouse.add_pick",
    "warehouse.add_pickcheck", "warehouse.add_stockcount",
)  # fmt: skip
APPROVE_COUNTS = ("warehouse.change_stockcount",)
CLERK_STOCK = ("warehouse.add_splitagreement", "warehouse.add_substitution")

# Deliveries (gendan.logistics): the fleet and the zones kept by logistics; bookings made by
# the clerk (O-41); the day's plan made and published by logistics or the warehouse (O-43);
# the day-before call list; the driver's own route and drops; outside carriers by logistics,
# their freight paid by finance (O-23).
VIEW_DELIVERIES = (
    "logistics.view_truck", "logistics.view_driver", "logistics.view_districtzone",
    "logistics.view_booking", "logistics.view_routeplan", "logistics.view_drop",
    "logistics.view_faileddelivery",
)  # fmt: skip
EDIT_FLEET = (
    "logistics.add_truck", "logistics.change_truck", "logistics.add_driver",
    "logistics.change_driver", "logistics.add_districtzone", "logistics.change_districtzone",
    "logistics.delete_districtzone",
)  # fmt: skip
# O-43: the customer told the day before (the call list): by whoever books or plans.
TELL_CUSTOMERS = "logistics.tell_customer"
BOOK_DELIVERIES = ("logistics.add_booking", "logistics.change_booking", TELL_CUSTOMERS)
# O-44: a failed delivery: the clerk or logistics tells the customer and rebooks (the
# warehouse books the goods back in with WORK_STOCK); finance charges the redelivery freight.
HANDLE_FAILURES = ("logistics.change_faileddelivery",)
CHARGE_REDELIVERY = ("logistics.charge_freight",)
PLAN_ROUTES = (
    "logistics.add_routeplan", "logistics.change_routeplan", "logistics.change_drop",
    TELL_CUSTOMERS,
)  # fmt: skip
DRIVE = ("logistics.view_drop",)  # the driver's own drops only (selectors)
# O-23: outside carriers and their shipments: followed by whoever follows deliveries (the
# clerk and service for their orders, the warehouse for the ship step's carrier); booked and
# tracked by logistics; the freight paid by finance (who also takes in the papers it brings).
VIEW_CARRIERS = ("logistics.view_carrier", "logistics.view_carriershipment")
CARRIERS = (
    "logistics.add_carrier", "logistics.change_carrier", "logistics.add_carriershipment",
    "logistics.change_carriershipment",
)  # fmt: skip
PAY_FREIGHT = ("logistics.pay_freight",)

STAFF_BASE = VIEW_CATALOG + VIEW_PARTIES + VIEW_ORDERS
# Warehouse, logistics and service work from the orders: products, customers and addresses,
# not the price lists or contracts (a dealer's settlement tells its profit, O-11).
OPERATIONS_BASE = (
    "catalog.view_product",
    *(name for name in VIEW_PARTIES if name.split("_", 1)[1] not in ("contract", "paymentstage")),
    *VIEW_ORDERS,
)
ON_THE_ROAD = (
    "catalog.view_product",
    "parties.view_customer",
    "parties.view_address",
    *VIEW_ORDERS,
)

ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.CLERK: STAFF_BASE
    + VIEW_RECEIVABLES
    + EDIT_CUSTOMERS
    + PLACE_ORDERS
    + VIEW_STOCK
    + CLERK_STOCK
    + VIEW_DELIVERIES
    + BOOK_DELIVERIES
    + HANDLE_FAILURES
    + VIEW_CARRIERS,
    Role.ACCOUNT_MANAGER: STAFF_BASE
    + VIEW_STOCK
    + VIEW_RECEIVABLES
    + EDIT_CUSTOMERS
    + EDIT_PARTNERS
    + PLACE_ORDERS,
    Role.SALES_REP: STAFF_BASE
    + VIEW_STOCK
    + VIEW_RECEIVABLES
    + EDIT_CUSTOMERS
    + EDIT_PARTNERS
    + PLACE_ORDERS,
    Role.SALES_SUPERVISOR: STAFF_BASE
    + VIEW_STOCK
    + VIEW_RECEIVABLES
    + EDIT_CUSTOMERS
    + EDIT_PARTNERS
    + EDIT_CONTRACTS,
    Role.SALES_VP: SHOP_CRM
    + VIEW_RECEIVABLES
    + STAFF_BASE
    + EDIT_CUSTOMERS
    + EDIT_PARTNERS
    + EDIT_CONTRACTS
    + EDIT_CATALOG
    + EDIT_PRICES
    + READ_AUDIT
    + VIEW_STOCK,
    Role.GENERAL_MANAGER: SHOP_CRM
    + VIEW_RECEIVABLES
    + STAFF_BASE
    + EDIT_CUSTOMERS
    + EDIT_PARTNERS
    + EDIT_CONTRACTS
    + EDIT_CATALOG
    + EDIT_PRICES
    + READ_AUDIT
    + VIEW_STOCK
    + APPROVE_COUNTS
    + VIEW_DELIVERIES
    + VIEW_CARRIERS,
    Role.FINANCE: STAFF_BASE
    + VIEW_RECEIVABLES
    + EDIT_CONTRACTS
    + EDIT_PRICES
    + READ_AUDIT
    + VIEW_STOCK
    + APPROVE_COUNTS
    + VIEW_DELIVERIES
    + VIEW_CARRIERS
    + PAY_FREIGHT
    + CHARGE_REDELIVERY,
    Role.WAREHOUSE: OPERATIONS_BASE
    + VIEW_STOCK
    + WORK_STOCK
    + VIEW_DELIVERIES
    + PLAN_ROUTES
    + VIEW_CARRIERS,
    Role.DRIVER: ON_THE_ROAD + DRIVE,
    Role.LOGISTICS: OPERATIONS_BASE
    + VIEW_STOCK
    + VIEW_DELIVERIES
    + EDIT_FLEET
    + BOOK_DELIVERIES
    + PLAN_ROUTES
    + VIEW_CARRIERS
    + CARRIERS
    + HANDLE_FAILURES,
    Role.SERVICE: OPERATIONS_BASE + EDIT_CUSTOMERS + VIEW_STOCK + VIEW_DELIVERIES + VIEW_CARRIERS,
    Role.SERVICE_MANAGER: OPERATIONS_BASE
    + EDIT_CUSTOMERS
    + VIEW_STOCK
    + VIEW_DELIVERIES
    + VIEW_CARRIERS,
    Role.INSTALLER: ON_THE_ROAD,
    # Partner roles get their permissions on their own partner's records only (selectors).
    Role.PROMOTER: VIEW_CATALOG + VIEW_PARTIES + EDIT_CUSTOMERS + VIEW_ORDERS + PLACE_ORDERS,
    Role.STORE_STAFF: VIEW_CATALOG + VIEW_PARTIES + EDIT_CUSTOMERS + VIEW_ORDERS + PLACE_ORDERS,
    Role.DEALER: VIEW_CATALOG
    + VIEW_PARTIES
    + EDIT_CUSTOMERS
    + VIEW_ORDERS
    + VIEW_RECEIVABLES
    + PLACE_ORDERS,
}
