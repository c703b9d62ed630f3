"""The seven routes of the handbook (O-24 to O-29), declared once, as data.

A route is an ordered list of steps. Each step names the role that signs it, the
condition under which it is skipped, the guard that must hold, and what it produces.
The transition service (services.steps.order_step_complete) is the only code that moves an
order along; the route pages draw their diagrams from these same lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role
from gendan.orders import guards, known
from gendan.orders.models import Order, PaymentMethod
from gendan.orders.records import RecordField
from gendan.parties.models import CustomerKind

CLOSED = "closed"
# An order entered by mistake or twice, cancelled with a reason (services/cancel.py): it stays
# in the order log under its number and leaves every queue, as a closed one does.
CANCELLED = "cancelled"
FINISHED = (CLOSED, CANCELLED)


@dataclass(frozen=True)
class Step:
    code: str
    label: Promise
    role: Role
    produces: Promise | str = ""
    skip_if: Callable[[Order], str] | None = None
    guard: Callable[[Order], list[str]] | None = None
    record: tuple[RecordField, ...] = ()
    # The earlier step its signer may send the order back to, with a reason; "": none.
    sends_back_to: str = ""

    def skip_reason(self, order: Order) -> str:
        return self.skip_if(order) if self.skip_if else ""

    def refusals(self, order: Order) -> list[str]:
        return self.guard(order) if self.guard else []


@dataclass(frozen=True)
class Route:
    code: str
    rule: str
    label: Promise
    steps: tuple[Step, ...]

    def step(self, code: str) -> Step:
        return next(step for step in self.steps if step.code == code)

    def has(self, code: str) -> bool:
        return any(step.code == code for step in self.steps)

    def after(self, code: str) -> tuple[Step, ...]:
        index = [step.code for step in self.steps].index(code)
        return self.steps[index + 1 :]


UNUSUAL = _("Something unusual: the sales supervisor should review it")
FEE_TO_SUPERMARKET = _("The customer pays the fee to the supermarket")
RECEIVING_DOCUMENT = _("Supermarket's receiving document number")
RECEIVING_DOCUMENT_NEEDED = _(
    "O-21: a supermarket's delivery counts as done only with its own receiving document; "
    "enter its number."
)
FEE_TO_DEALER = _("The customer pays the fee to the dealer")
PAYMENT_RECONFIRMED = _("Payment time and method confirmed again with the customer (O-57)")

# The steps, each once; a route may give one to another role (``replace``).
REGISTER = Step("register", _("Clerk registers the order"), Role.CLERK, _("daily order log entry"))
VERIFY = Step(
    "verify", _("Verify the order"), Role.CLERK, _("verification checklist"),
    guard=guards.verification_complete,
    record=(RecordField("unusual", UNUSUAL, "bool"),),
)  # fmt: skip
DISPATCH_ADVICE = Step(
    "dispatch_advice", _("Write the dispatch advice"), Role.ACCOUNT_MANAGER, _("dispatch advice")
)
MEASUREMENT_NOTICE = Step(
    "measurement_notice", _("Issue the measurement notice"), Role.CLERK, _("measurement notice"),
    # O-32: the clerk's part; the rest of it comes from the order.
    record=(RecordField("house", _("House situation"), required=False),),
)  # fmt: skip
MEASURE = Step(
    "measure", _("Measure on site"), Role.SERVICE, _("measurement"),
    # O-33: service's part of the measurement notice.
    record=(
        RecordField("measured_on", _("Measured on"), "date"),
        RecordField("area", _("Actual area (m²)"), "decimal"),
        RecordField("area_with_waste", _("Area incl. waste (m²)"), "decimal"),
        RecordField("skirting", _("Skirting: name, model, size, quantity"), required=False),
        RecordField("edge_trim", _("Edge trim: name, model, size, quantity"), required=False),
        RecordField("clip", _("Clip installation"), "bool"),
        RecordField("directions", _("Where the house is, how to get there"), required=False),
        RecordField("delivery_on", _("Delivery agreed with the customer for"), "date",
                    required=False, initial=known.delivery_expected),
        RecordField("requirements", _("Install requirements and changes"), required=False),
        RecordField("result", _("Result"), required=False),
    ),
)  # fmt: skip
AGREE_INSTALL = Step(
    "agree_install", _("Agree installation fee and time"), Role.SERVICE,
    _("installation agreement"),
    record=(
        RecordField("install_fee", _("Installation fee agreed (CNY)"), "decimal"),
        RecordField("install_on", _("Installation booked for"), "date",
                    initial=known.install_expected),
        RecordField("paid_to_supermarket", FEE_TO_SUPERMARKET, "bool"),
        RecordField("paid_to_dealer", FEE_TO_DEALER, "bool"),
    ),
)  # fmt: skip
RETURN_MEASUREMENT = Step(
    "return_measurement", _("Return the measurement to the clerk"), Role.SERVICE
)
DELIVERY_NOTE = Step(
    "delivery_note", _("Make the delivery note"), Role.CLERK, _("delivery note"),
    record=(
        # O-41: booked with the customer three days ahead; the time goes on the note.
        RecordField("delivery_booked_for", _("Delivery booked for"), "date",
                    initial=known.delivery_agreed),
        RecordField("booked_with", _("Booked with (name)"), initial=known.booked_with),
        # O-57: payment time and method confirmed again before delivery.
        RecordField("payment_reconfirmed", PAYMENT_RECONFIRMED, "confirm"),
    ),
)  # fmt: skip
COST_AND_PROFIT_NOTES = replace(
    DELIVERY_NOTE,
    label=_("Make the cost note and profit note"),
    produces=_("cost note, profit note"),
)
SEND_PROFIT_NOTE = Step("send_profit_note", _("Send the profit note to the dealer"), Role.CLERK)
DEALER_APPROVES = Step(
    "dealer_approve", _("Dealer approves the profit note"), Role.DEALER, _("approved profit note"),
    # O-15: the dealer judges its prices; a wrong note goes back to the clerk who made it.
    sends_back_to="delivery_note",
)  # fmt: skip
SUPERVISOR_REVIEW = Step(
    "supervisor_review", _("Sales supervisor reviews"), Role.SALES_SUPERVISOR,
    skip_if=guards.skip_unless_unusual,
)  # fmt: skip
VP_APPROVAL = Step(
    "vp_approve", _("VP of sales approves the special order"), Role.SALES_VP,
    skip_if=guards.skip_unless_special,
)  # fmt: skip
RECEIVE_PAYMENT = Step(
    "receive_payment", _("Finance receives the payment"), Role.FINANCE, _("receipt"),
    guard=guards.paid_in_full("O-49"),
)  # fmt: skip
FINANCE_REVIEW = Step(
    "finance_review", _("Finance reviews and signs the delivery note"), Role.FINANCE,
    _("finance-signed delivery note"), guard=guards.finance_may_sign,
)  # fmt: skip
SHIP = Step(
    "ship", _("Warehouse ships; driver, carrier or customer signs out"), Role.WAREHOUSE,
    _("signed warehouse copy"), guard=guards.ship_allowed,
    record=(
        RecordField("signed_out_by", _("Signed out by (driver, carrier or collecting customer)")),
        RecordField("carrier", _("Carrier and waybill number"), required=False,
                    initial=known.carrier_booked),
    ),
)  # fmt: skip
DELIVER = Step(
    "deliver", _("Deliver; the customer signs the delivery note"), Role.DRIVER,
    _("customer-signed delivery note"),
    record=(
        RecordField("received_by", _("Received and signed by"), initial=known.contact_name),
        # O-21: a supermarket also gives its own receiving document.
        RecordField("receiving_document", RECEIVING_DOCUMENT, required=False),
        RecordField("photo", _("Photo of the signed note"), "photo", required=False),
    ),
)  # fmt: skip
# O-21: a supermarket's delivery counts as done only with its own receiving document.
SUPERMARKET_DELIVER = replace(DELIVER, record=tuple(
    replace(field, required=True, required_message=RECEIVING_DOCUMENT_NEEDED)
    if field.name == "receiving_document" else field
    for field in DELIVER.record
))  # fmt: skip
NOTE_RETURNED = Step("note_returned", _("Signed note and cash returned to finance"), Role.FINANCE)
GOODS_PAID = Step(
    "goods_paid", _("Customer pays for the goods"), Role.FINANCE, _("receipt"),
    guard=guards.paid_in_full("O-51"),
)  # fmt: skip
CLIENT_INSPECTS = Step(
    "client_inspect", _("Client inspects the goods"), Role.DRIVER,
    record=(RecordField("inspected_by", _("Inspected and signed by")),),
)  # fmt: skip
INSTALL = Step(
    "install", _("Install"), Role.INSTALLER, _("installation record"),
    guard=guards.dealer_install_fee_settled,
    record=(
        RecordField("installed_on", _("Installed on"), "date", initial=known.install_agreed),
        RecordField("result", _("Result"), required=False),
    ),
)  # fmt: skip
ACCEPTANCE = Step(
    "acceptance", _("Run acceptance with the customer"), Role.SERVICE, _("acceptance"),
    record=(
        RecordField("accepted_by", _("Accepted and signed by")),
        RecordField("result", _("Result")),
    ),
)  # fmt: skip
WARRANTY_CARD = Step(
    "warranty_card", _("Fill the warranty card; the customer signs it"), Role.SERVICE,
    _("acceptance & warranty card"),
    record=(RecordField("signed_by", _("Card signed by")),),
)  # fmt: skip
INSTALL_FEE_COLLECTED = Step(
    "install_fee_collected", _("Service collects the installation fee"), Role.SERVICE,
    skip_if=guards.skip_when_fee_paid_to_supermarket,
    # O-39, O-47: what service received, kept as a receipt with the signature
    # (services.verification.order_step_sign); another amount than agreed needs a note.
    record=(
        RecordField("amount", _("Installation fee received (CNY)"), "decimal", required=False,
                    initial=guards.install_fee_to_collect),
        RecordField("method", _("Paid by"), "choice", required=False, choices=tuple(
            (value, label) for value, label in PaymentMethod.choices
            if value != PaymentMethod.CREDIT
        )),
    ),
)  # fmt: skip
INSTALL_FEE_TO_FINANCE = Step(
    "install_fee_to_finance", _("Service hands the installation fee to finance"), Role.FINANCE,
    skip_if=guards.skip_when_fee_paid_to_supermarket, guard=guards.install_fee_received,
)  # fmt: skip
SETTLE_CONTRACT = Step(
    "settle_contract", _("Settle per contract"), Role.FINANCE, guard=guards.paid_in_full("O-48")
)
STAGE_PAYMENTS = Step(
    "stage_payments", _("Client pays per contract stages; finance receives"), Role.FINANCE,
    guard=guards.contract_stages_paid,
)  # fmt: skip
CLOSE = Step("close", _("Finance closes the order"), Role.FINANCE, guard=guards.close_guard)
# O-28, O-29: on a project the sales supervisor always reviews (handbook §3.5, §3.6).
PROJECT_REVIEW = replace(SUPERVISOR_REVIEW, skip_if=None)

ROUTES = {
    route.code: route
    for route in (
        Route("supermarket", "O-24", _("Supermarket, no installation"), (
            REGISTER, replace(VERIFY, role=Role.ACCOUNT_MANAGER), DISPATCH_ADVICE, DELIVERY_NOTE,
            VP_APPROVAL, FINANCE_REVIEW, SHIP, SUPERMARKET_DELIVER, NOTE_RETURNED, SETTLE_CONTRACT,
            CLOSE,
        )),
        # O-4: outside South China (Dongguan, ...) the clerk verifies with the promoter.
        Route("supermarket_clerk", "O-24", _("Supermarket, no installation, clerk verifies"), (
            REGISTER, VERIFY, DISPATCH_ADVICE, DELIVERY_NOTE, VP_APPROVAL, FINANCE_REVIEW, SHIP,
            SUPERMARKET_DELIVER, NOTE_RETURNED, SETTLE_CONTRACT, CLOSE,
        )),
        Route("supermarket_install", "O-25", _("Supermarket, company installs"), (
            REGISTER, VERIFY, MEASUREMENT_NOTICE, MEASURE, AGREE_INSTALL, RETURN_MEASUREMENT,
            DELIVERY_NOTE, SUPERVISOR_REVIEW, VP_APPROVAL, FINANCE_REVIEW, SHIP,
            SUPERMARKET_DELIVER, INSTALL, ACCEPTANCE, WARRANTY_CARD, INSTALL_FEE_COLLECTED,
            INSTALL_FEE_TO_FINANCE, CLOSE,
        )),
        Route("dealer", "O-26", _("Dealer, no installation"), (
            REGISTER, VERIFY, DELIVERY_NOTE, SUPERVISOR_REVIEW, VP_APPROVAL, RECEIVE_PAYMENT,
            FINANCE_REVIEW, SHIP,
            replace(DELIVER, skip_if=guards.skip_for_self_pickup),
            replace(NOTE_RETURNED, skip_if=guards.skip_for_self_pickup),
            CLOSE,
        )),
        Route("dealer_install", "O-27", _("Dealer, company delivers and installs"), (
            REGISTER, VERIFY, MEASUREMENT_NOTICE, MEASURE, AGREE_INSTALL, RETURN_MEASUREMENT,
            COST_AND_PROFIT_NOTES, SUPERVISOR_REVIEW,
            replace(SEND_PROFIT_NOTE, skip_if=guards.skip_unless_dealer),
            replace(DEALER_APPROVES, skip_if=guards.skip_unless_dealer),
            VP_APPROVAL,
            replace(
                RECEIVE_PAYMENT, skip_if=guards.skip_when_paid_on_delivery,
                guard=guards.paid_in_full("O-27"),
            ),
            FINANCE_REVIEW, SHIP, DELIVER, GOODS_PAID, INSTALL, ACCEPTANCE, WARRANTY_CARD,
            INSTALL_FEE_COLLECTED, INSTALL_FEE_TO_FINANCE, CLOSE,
        )),
        Route("project_install", "O-28", _("Project, company installs"), (
            REGISTER, replace(DISPATCH_ADVICE, role=Role.INSTALLER), DELIVERY_NOTE,
            PROJECT_REVIEW, VP_APPROVAL, FINANCE_REVIEW, SHIP, DELIVER, CLIENT_INSPECTS,
            INSTALL, ACCEPTANCE, WARRANTY_CARD, STAGE_PAYMENTS, CLOSE,
        )),
        Route("project", "O-29", _("Project, no installation"), (
            REGISTER, replace(DISPATCH_ADVICE, role=Role.INSTALLER), DELIVERY_NOTE,
            PROJECT_REVIEW, VP_APPROVAL, FINANCE_REVIEW, SHIP, DELIVER, CLIENT_INSPECTS,
            STAGE_PAYMENTS, CLOSE,
        )),
    )
}  # fmt: skip

# The routes the handbook gives by channel; O-30: the others come from ChannelRoute rows.
ROUTE_BY_CHANNEL = {
    (CustomerKind.SUPERMARKET, False): "supermarket",
    (CustomerKind.SUPERMARKET, True): "supermarket_install",
    (CustomerKind.DEALER, False): "dealer",
    (CustomerKind.DEALER, True): "dealer_install",
    (CustomerKind.PROJECT, False): "project",
    (CustomerKind.PROJECT, True): "project_install",
}
