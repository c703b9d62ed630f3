"""O-45: trucks leave by 08:30; on a route of more than three drops, or with a drop outside the
inner city or out of town, they leave by 07:00. A far drop goes on a truck whose driver starts
by 07:00 when the day has one; otherwise the route leaves late, flagged."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from gendan.logistics.planning.problem import PlanJob, PlanProblem, PlanTruck
from gendan.logistics.planning.texts import Text, text

USUAL = 8 * 3600 + 30 * 60  # 08:30, in seconds after midnight
EARLY = 7 * 3600  # 07:00
MOST_DROPS_AT_USUAL = 3

RULE_USUAL = gettext_noop("O-45: out by 08:30")
RULE_MANY = gettext_noop("O-45: more than three drops: out by 07:00")
RULE_FAR = gettext_noop("O-45: a drop outside the inner city or out of town: out by 07:00")
RULE_LATE_SHIFT = gettext_noop("%(rule)s (the driver's shift starts at %(start)s)")


def departure_latest(drop_count: int, any_far: bool) -> tuple[int, Text]:
    """The latest departure O-45 allows a route, and the rule (a text to translate when shown)."""
    if any_far:
        return EARLY, text(RULE_FAR)
    if drop_count > MOST_DROPS_AT_USUAL:
        return EARLY, text(RULE_MANY)
    return USUAL, text(RULE_USUAL)


def starts_early(truck: PlanTruck) -> bool:
    """The truck's driver starts in time for a 07:00 departure."""
    return truck.shift[0] <= EARLY


def far_trucks(problem: PlanProblem) -> frozenset[str] | None:
    """The trucks a far drop may go on: those starting by 07:00 when O-45 applies to the day
    and some but not all trucks start that early; None: any truck."""
    ruled = [truck for truck in problem.trucks if truck.latest_departure is not None]
    early = [truck.key for truck in ruled if starts_early(truck)]
    if not early or len(early) == len(ruled):
        return None
    return frozenset(early) | {t.key for t in problem.trucks if t.latest_departure is None}


def job_trucks(problem: PlanProblem, job: PlanJob, far: frozenset[str] | None) -> frozenset[str]:
    """The trucks that may take the job: its pin's, the early ones for a far job, else all."""
    if job.truck is not None:
        return frozenset({job.truck})
    if far is not None and job.location in problem.far_locations:
        return far
    return frozenset(truck.key for truck in problem.trucks)


def clock(seconds: int) -> str:
    """Seconds after midnight as HH:MM."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"
