"""O-45: trucks leave by 08:30; on a route of more than three drops, or with a drop outside the
inner city or out of town, they leave by 07:00."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

USUAL = 8 * 3600 + 30 * 60  # 08:30, in seconds after midnight
EARLY = 7 * 3600  # 07:00
MOST_DROPS_AT_USUAL = 3

RULE_USUAL = _("O-45: out by 08:30")
RULE_MANY = _("O-45: more than three drops: out by 07:00")
RULE_FAR = _("O-45: a drop outside the inner city or out of town: out by 07:00")
RULE_LATE_SHIFT = _("%(rule)s (the driver's shift starts at %(start)s)")


def departure_latest(drop_count: int, any_far: bool) -> tuple[int, str]:
    """The latest departure O-45 allows a route, and the rule's text (in the active language)."""
    if any_far:
        return EARLY, str(RULE_FAR)
    if drop_count > MOST_DROPS_AT_USUAL:
        return EARLY, str(RULE_MANY)
    return USUAL, str(RULE_USUAL)


def clock(seconds: int) -> str:
    """Seconds after midnight as HH:MM."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
