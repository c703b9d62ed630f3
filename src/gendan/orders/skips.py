"""Why a step was passed over: stored as a code (StepLog.skip_reason), shown in the reader's
language. The step log of an order registered in Chinese reads in English on /en/ pages.

Entries written before the code existed keep their reason as text in ``note`` (the step log
is append-only, so they are not rewritten); ``LEGACY`` knows those texts in both languages.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

NOT_SPECIAL = "not_special"  # O-16
NOTHING_UNUSUAL = "nothing_unusual"  # O-13
PAID_ON_DELIVERY = "paid_on_delivery"  # O-27
SELF_PICKUP = "self_pickup"  # O-26
FEE_PAID_TO_SUPERMARKET = "fee_paid_to_supermarket"  # O-25
NOT_A_DEALER = "not_a_dealer"  # O-11

SKIP_REASONS = {
    NOT_SPECIAL: _("O-16: not a special order."),
    NOTHING_UNUSUAL: _("O-13: nothing unusual was found."),
    PAID_ON_DELIVERY: _("O-27: the customer pays on delivery."),
    SELF_PICKUP: _("O-26: the dealer collects at the warehouse."),
    FEE_PAID_TO_SUPERMARKET: _("O-25: the customer paid the installation fee to the supermarket."),
    NOT_A_DEALER: _("O-11: no dealer, no profit note."),
}


def legacy_texts() -> dict[str, str]:
    """Each reason as it was once stored, in English and in Chinese, to its code."""
    texts = {}
    for language in ("en", "zh-hans"):
        with override(language):
            texts.update({str(label): code for code, label in SKIP_REASONS.items()})
    return texts


def skip_reason_text(*, code: str, note: str = "") -> str:
    """The reason in the current language; an older entry's stored text, read as its code
    where it is one of ours."""
    code = code or legacy_texts().get(note, "")
    return str(SKIP_REASONS[code]) if code in SKIP_REASONS else note
