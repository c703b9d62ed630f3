import datetime as dt
import json
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from gendan.catalog.models import Product
from gendan.core.api_helpers import form_cleaned, form_data_cleaned, permission_require
from gendan.core.idempotency import idempotent
from gendan.core.listing import PageNumbers
from gendan.orders.api_refunds import router as refunds_router
from gendan.orders.forms import (
    AdditionForm,
    DealerChargeForm,
    NoteForm,
    OrderChangeForm,
    OrderForm,
    OrderLineForm,
    ReceiptConfirmationForm,
)
from gendan.orders.models import DealerCharge, Order, OrderLine
from gendan.orders.money import (
    AGEING_CODES,
    order_amount_owed,
    order_outstanding,
    order_paid,
    order_total,
)
from gendan.orders.reading import step_note_text
from gendan.orders.routes import ROUTES
from gendan.orders.selectors import (
    ReceivablesFilter,
    order_get,
    order_log,
    order_route_state,
    order_settlement_visible,
    orders_waiting_for,
    receivables,
)
from gendan.orders.services.cancel import (
    order_cancel,
    order_cancel_approve,
    order_cancel_refuse,
    order_cancel_request,
)
from gendan.orders.services.charges import dealer_charge_offset, dealer_charge_record
from gendan.orders.services.receipts import order_receipt_add, order_receipt_confirm
from gendan.orders.services.registration import LineInput, order_original_attach, order_register
from gendan.orders.services.send_back import order_step_send_back
from gendan.orders.services.steps import order_step_complete
from gendan.orders.services.verification import (
    ADDITION_FIELDS,
    CHANGEABLE_FIELDS,
    order_addition_write,
    order_change,
    order_change_confirm,
    order_checks_confirm,
    order_refer_to_sales_rep,
    order_referral_answer,
    order_step_sign,
)

router = Router(tags=["orders"])
router.add_router("", refunds_router)  # O-50, O-64, O-66 to O-68
UNKNOWN_PRODUCT = _("No such product.")
RECORD_NOT_JSON = _("The record must be a JSON object.")


class LineIn(Schema):
    product_id: int
    quantity: Decimal
    unit_price: Decimal | None = None
    colour_code: str = ""
    end_price: Decimal | None = None


class OrderIn(Schema):
    customer_id: int
    end_customer_id: int | None = None
    contract_id: int | None = None
    needs_installation: bool = False
    self_pickup: bool = False
    is_special: bool = False
    payment_method: str = ""
    payment_terms: str = ""
    payment_due: dt.date | None = None
    expected_delivery_on: dt.date | None = None
    expected_install_on: dt.date | None = None
    contact_name: str = ""
    contact_phone: str = ""
    province: str
    city: str
    district: str = ""
    street: str
    building: str = ""
    floor: int | None = None
    other_requests: str = ""
    dealer_deposit: Decimal = Decimal("0")
    paid_to_dealer_by_card: bool = False
    retention_amount: Decimal = Decimal("0")
    retention_due: dt.date | None = None
    retention_signed_by: str = ""
    lines: list[LineIn]


class LineOut(Schema):
    position: int
    product_id: int
    colour_code: str
    quantity: Decimal
    unit: str
    # Empty on a dealer's order for a caller who does not see its settlement (O-11).
    unit_price: Decimal | None
    amount: Decimal | None

    @staticmethod
    def resolve_unit_price(obj: OrderLine, context: dict) -> Decimal | None:
        return obj.unit_price if settlement_seen(context, obj.order) else None

    @staticmethod
    def resolve_amount(obj: OrderLine, context: dict) -> Decimal | None:
        return obj.amount if settlement_seen(context, obj.order) else None


def settlement_seen(context: dict, order: Order) -> bool:
    return order_settlement_visible(context["request"].user, order)


class StepOut(Schema):
    code: str
    label: str
    role: str
    state: str
    signed_by: str | None = None
    at: dt.datetime | None = None
    note: str = ""


class OrderOut(Schema):
    id: int
    number: str
    log_day: dt.date
    channel: str
    customer_id: int
    end_customer_id: int | None
    route: str
    step: str
    cancelled_at: dt.datetime | None = None
    cancel_reason: str = ""
    needs_installation: bool
    # Total and paid are empty on a dealer's order for a caller who does not see its settlement;
    # the road and the warehouse see what is outstanding, what they collect.
    total: Decimal | None
    paid: Decimal | None
    outstanding: Decimal
    owed: Decimal | None

    @staticmethod
    def resolve_total(obj: Order, context: dict) -> Decimal | None:
        return order_total(obj) if settlement_seen(context, obj) else None

    @staticmethod
    def resolve_paid(obj: Order, context: dict) -> Decimal | None:
        return order_paid(obj) if settlement_seen(context, obj) else None

    @staticmethod
    def resolve_outstanding(obj: Order) -> Decimal:
        return order_outstanding(obj)

    @staticmethod
    def resolve_owed(obj: Order, context: dict) -> Decimal | None:
        """What the payer owes in all (O-11: the homeowner's price on a profit note)."""
        return order_amount_owed(obj) if settlement_seen(context, obj) else None


class ReceiptOut(Schema):
    amount: Decimal
    method: str
    is_install_fee: bool
    received_at: dt.datetime
    note: str


class OrderDetailOut(OrderOut):
    lines: list[LineOut]
    steps: list[StepOut]
    receipts: list[ReceiptOut]

    @staticmethod
    def resolve_receipts(obj: Order) -> list:
        return list(obj.receipts.all())

    @staticmethod
    def resolve_lines(obj: Order) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_steps(obj: Order) -> list[dict]:
        return [
            {
                "code": item.step.code,
                "label": str(item.step.label),
                "role": item.step.role.value,
                "state": item.state,
                "note": step_note_text(item.entry),
                "signed_by": item.entry.signature if item.entry else None,
                "at": item.entry.at if item.entry else None,
            }
            for item in order_route_state(obj)
        ]


class SignIn(Schema):
    note: str = ""
    record: dict[str, str | bool] = {}


class SendBackIn(Schema):
    reason: str


class ChecksIn(Schema):
    items: list[str]


class ReceiptIn(Schema):
    amount: Decimal
    method: str
    is_install_fee: bool = False
    note: str = ""
    # Finance only: a goods payment beyond what is owed is kept as the payer's credit.
    excess_as_credit: bool = False


class ConfirmationIn(Schema):
    confirmed_to: str


@router.get("", response=list[OrderOut])
@paginate(PageNumbers)
def orders(request: HttpRequest, day: dt.date | None = None, q: str = "", step: str = ""):
    permission_require(request, "orders.view_order")
    return order_log(user=request.user, day=day, search=q, step=step)


@router.get("/waiting", response=list[OrderOut])
def waiting(request: HttpRequest):
    """The caller's work queue: orders at a step one of the caller's roles signs."""
    return list(orders_waiting_for(request.user)[:200])


@router.get("/routes")
def routes(request: HttpRequest) -> list[dict]:
    """The routes as data, as the transition service follows them."""
    return [
        {
            "code": route.code,
            "rule": route.rule,
            "label": str(route.label),
            "steps": [
                {
                    "code": s.code,
                    "label": str(s.label),
                    "role": s.role.value,
                    "produces": str(s.produces),
                }
                for s in route.steps
            ],
        }
        for route in ROUTES.values()
    ]


@router.get("/{order_id}", response=OrderDetailOut)
def order(request: HttpRequest, order_id: int):
    permission_require(request, "orders.view_order")
    return order_get(user=request.user, pk=order_id)


@router.post("", response={201: OrderDetailOut})
@idempotent
def order_add(request: HttpRequest, payload: OrderIn):
    """O-2: register an order; it gets the day's next number and its route.

    Send an `Idempotency-Key` header (any 1 to 255 visible characters, new for each order) to
    retry safely: for 24 hours the same key gets the same answer and no second order; the same
    key with another order is refused (422)."""
    permission_require(request, "orders.add_order")
    data = payload.dict(exclude={"lines"})
    data["customer"] = data.pop("customer_id")
    data["end_customer"] = data.pop("end_customer_id")
    data["contract"] = data.pop("contract_id")
    fields = form_cleaned(OrderForm, data, user=request.user)
    return Status(
        201, order_register(actor=request.user, fields=fields, lines=lines_input(payload.lines))
    )


def lines_input(rows: list[LineIn]) -> list[LineInput]:
    products = Product.objects.in_bulk([row.product_id for row in rows])
    unknown = {
        f"lines.{index}.product_id": [UNKNOWN_PRODUCT]
        for index, row in enumerate(rows)
        if row.product_id not in products
    }
    if unknown:
        raise ValidationError(unknown)
    # The page's line form checks the rest, so that both refuse the same (a quantity of 1e30).
    forms = [OrderLineForm(data=line_data(row)) for row in rows]
    errors = {
        f"lines.{index}.{name}": list(messages)
        for index, form in enumerate(forms)
        if not form.is_valid()
        for name, messages in form.errors.items()
    }
    if errors:
        raise ValidationError(errors)
    return [form.line() for form in forms]


def line_data(row: LineIn) -> dict[str, object]:
    data = row.dict() | {"product": row.product_id}
    return {name: "" if value is None else value for name, value in data.items()}


@router.post("/{order_id}/steps/{step}", response=OrderDetailOut)
def order_sign(request: HttpRequest, order_id: int, step: str, payload: SignIn):
    """Sign the order's current step; a refusal (409) says which rule and why. What the step
    writes besides its signature (O-39: the installation fee received) is written with it."""
    current = order_get(user=request.user, pk=order_id)
    return order_step_sign(
        actor=request.user, order=current, step=step, note=payload.note, data=payload.record
    )


@router.post("/{order_id}/steps/{step}/send-back", response=OrderDetailOut)
def order_send_back(request: HttpRequest, order_id: int, step: str, payload: SendBackIn):
    """O-15: send the current step back to the earlier one the route declares, with a reason;
    a refusal (409) says why."""
    current = order_get(user=request.user, pk=order_id)
    return order_step_send_back(actor=request.user, order=current, step=step, reason=payload.reason)


@router.post("/{order_id}/checks", response=OrderDetailOut)
def order_checks(request: HttpRequest, order_id: int, payload: ChecksIn):
    """O-5: confirm items of the verification checklist."""
    current = order_get(user=request.user, pk=order_id)
    order_checks_confirm(actor=request.user, order=current, items=payload.items)
    return current


@router.post("/{order_id}/receipts", response=OrderDetailOut)
def order_receipts(request: HttpRequest, order_id: int, payload: ReceiptIn):
    """O-47: record money received; the answer counts it and lists it with the others."""
    current = order_get(user=request.user, pk=order_id)
    order_receipt_add(actor=request.user, order=current, **payload.dict())
    # The service updated its own locked copy of the order: read the order afresh.
    return order_get(user=request.user, pk=order_id)


@router.post("/{order_id}/confirmation", response=OrderDetailOut)
def order_confirmation(request: HttpRequest, order_id: int, payload: ConfirmationIn):
    """O-3: record that the sender was told the order arrived."""
    permission_require(request, "orders.add_order")
    current = order_get(user=request.user, pk=order_id)
    told = form_data_cleaned(ReceiptConfirmationForm, payload.dict())  # as the page checks it
    return order_receipt_confirm(actor=request.user, order=current, **told)


class TextIn(Schema):
    text: str

    def checked(self) -> str:
        """The text as the page's note form takes it (at most 200 characters)."""
        return form_data_cleaned(NoteForm, self.dict())["text"]


class ChangeIn(Schema):
    reason: str
    fields: dict[str, str | int | bool | None] = {}
    lines: list[LineIn]


@router.post("/{order_id}/referral", response=OrderDetailOut)
def order_refer(request: HttpRequest, order_id: int, payload: TextIn):
    """O-6: refer a dealer's payment question to the sales rep."""
    current = order_get(user=request.user, pk=order_id)
    return order_refer_to_sales_rep(actor=request.user, order=current, note=payload.checked())


@router.post("/{order_id}/referral/answer", response=OrderDetailOut)
def order_answer(request: HttpRequest, order_id: int, payload: TextIn):
    """O-6: the sales rep records how the question was settled."""
    current = order_get(user=request.user, pk=order_id)
    return order_referral_answer(actor=request.user, order=current, answer=payload.checked())


class AdditionIn(Schema):
    text: str = ""
    # O-7: fields the order lacks (floor, contact_phone, expected_delivery_on,
    # expected_install_on, payment_method, payment_terms, payment_due); one already
    # written is refused (that is a change).
    fields: dict[str, str | int | None] = {}


@router.post("/{order_id}/additions", response=OrderDetailOut)
def order_addition(request: HttpRequest, order_id: int, payload: AdditionIn):
    """O-7: write an addition onto the order: the missing fields, and a line of text."""
    current = order_get(user=request.user, pk=order_id)
    known = {name: value for name, value in payload.fields.items() if name in ADDITION_FIELDS}
    cleaned = form_data_cleaned(AdditionForm, {**known, "text": payload.text})
    fields = {name: cleaned[name] for name in known} | {
        name: value for name, value in payload.fields.items() if name not in known
    }  # the service refuses a field that is not an addition
    return order_addition_write(
        actor=request.user, order=current, text=cleaned["text"], fields=fields
    )


@router.post("/{order_id}/revisions", response=OrderDetailOut)
def order_revise(request: HttpRequest, order_id: int, payload: ChangeIn):
    """O-7: change the order; the earlier version is kept, the customer confirms the new."""
    current = order_get(user=request.user, pk=order_id)
    data = model_to_dict(current, fields=list(CHANGEABLE_FIELDS)) | payload.fields
    form = OrderChangeForm(data={**data, "reason": payload.reason}, instance=current)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    fields = {name: form.cleaned_data[name] for name in CHANGEABLE_FIELDS}
    lines = lines_input(payload.lines)
    return order_change(
        actor=request.user, order=current, fields=fields, lines=lines, reason=payload.reason
    )


@router.post("/{order_id}/revisions/confirmation", response=OrderDetailOut)
def order_revision_confirm(request: HttpRequest, order_id: int, payload: TextIn):
    """O-7: record that the customer confirmed the new version."""
    current = order_get(user=request.user, pk=order_id)
    return order_change_confirm(actor=request.user, order=current, confirmed_by=payload.checked())


class CancelIn(Schema):
    # cancel: now; ask: the sales supervisor, after finance signed; approve, refuse: its answer
    action: Literal["cancel", "ask", "approve", "refuse"] = "cancel"
    reason: str = ""


@router.post("/{order_id}/cancel", response=OrderDetailOut)
def order_cancel_api(request: HttpRequest, order_id: int, payload: CancelIn):
    """Cancel the order with a reason, ask the sales supervisor to, or answer the request;
    a refusal (422) says why (once the goods have left, a return is recorded instead)."""
    current = order_get(user=request.user, pk=order_id)
    actor, reason = request.user, payload.reason
    if payload.action == "approve":
        order_cancel_approve(actor=actor, order=current)
    elif payload.action == "ask":
        order_cancel_request(actor=actor, order=current, reason=reason)
    elif payload.action == "refuse":
        order_cancel_refuse(actor=actor, order=current, reason=reason)
    else:
        order_cancel(actor=actor, order=current, reason=reason)
    return order_get(user=request.user, pk=order_id)


class ReceivableOut(Schema):
    id: int
    name: str
    orders: int
    billed: Decimal
    received: Decimal
    owed: Decimal
    # Ageing (money.AGEING_BUCKETS): days since each amount became owed.
    not_due: Decimal
    d0_30: Decimal
    d31_60: Decimal
    d61_90: Decimal
    d90_plus: Decimal


@router.get("/receivables/{by}", response=list[ReceivableOut])
def receivables_list(
    request: HttpRequest, by: str, customer: str = "", dealer: str = "", channel: str = "",
    start: dt.date | None = None, end: dt.date | None = None,
):  # fmt: skip
    """What is owed per ``customer`` or per ``dealer``, with its ageing, filtered as the page
    is (customer or dealer name, channel, days owed since): for finance, the managers, the
    sales roles and a dealer (its own)."""
    permission_require(request, "orders.view_receivables")
    key = "partner" if by == "dealer" else "customer"
    money = ("billed", "received", "owed", *AGEING_CODES)
    filters = ReceivablesFilter(
        customer=customer, dealer=dealer, channel=channel, start=start, end=end
    )
    return [
        {
            "id": row[f"{key}_id"],
            "name": row[f"{key}__name"],
            "orders": row["orders"],
            **{name: Decimal(row[name]).quantize(Decimal("0.01")) for name in money},
        }
        for row in receivables(user=request.user, by=by, filters=filters)
    ]


@router.post("/{order_id}/original", response=OrderDetailOut)
def order_original(request: HttpRequest, order_id: int, document: File[UploadedFile]):
    """O-1: attach the original document (scan or photo), once; it is kept unchanged.
    A PDF, JPEG, PNG or WebP, told from its content, of at most 20 MB (GENDAN_UPLOAD_MAX_BYTES);
    anything else is refused (422)."""
    current = order_get(user=request.user, pk=order_id)
    return order_original_attach(actor=request.user, order=current, document=document)


class ChargeIn(Schema):
    kind: str
    amount: Decimal
    note: str = ""


class ChargeOut(Schema):
    id: int
    dealer_id: int
    order_id: int
    kind: str
    amount: Decimal
    offset_against_id: int | None


class OffsetIn(Schema):
    against_id: int


@router.post("/{order_id}/charges", response=ChargeOut)
def order_charge(request: HttpRequest, order_id: int, payload: ChargeIn):
    """O-50, O-54: finance books what the dealer owes because of this order."""
    current = order_get(user=request.user, pk=order_id)
    form = DealerChargeForm(data=payload.dict())
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return dealer_charge_record(actor=request.user, order=current, **form.cleaned_data)


@router.post("/charges/{charge_id}/offset", response=ChargeOut)
def charge_offset(request: HttpRequest, charge_id: int, payload: OffsetIn):
    """O-54: take an open charge from the dealer's profit on another of its orders."""
    against = order_get(user=request.user, pk=payload.against_id)
    charge = get_object_or_404(DealerCharge, pk=charge_id, dealer_id=against.customer_id)
    return dealer_charge_offset(actor=request.user, charge=charge, against=against)


@router.post("/{order_id}/steps/{step}/photo", response=OrderDetailOut)
def order_sign_with_photo(
    request: HttpRequest,
    order_id: int,
    step: str,
    photo: File[UploadedFile],
    record: Form[str] = "{}",
    note: Form[str] = "",
):
    """Sign a step whose record keeps a photo (O-21: the signed delivery note), as multipart:
    ``photo`` the image (JPEG, PNG or WebP, told from its content, at most 20 MB), ``record``
    the rest of the record as JSON."""
    current = order_get(user=request.user, pk=order_id)
    try:
        data = json.loads(record)
    except json.JSONDecodeError as error:
        raise ValidationError({"record": [RECORD_NOT_JSON]}) from error
    return order_step_complete(
        actor=request.user, order=current, step=step, note=note, data=data,
        files={"record-photo": photo},
    )  # fmt: skip
