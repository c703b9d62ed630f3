"""The drops no truck can ever take, found before solving, each with its reason (never silently
dropped): pinned to a truck that is not in the plan; a load over every truck's capacity (which
dimension, by how much); a window no truck reaches from its depot within the shift."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop

from gendan.logistics.planning.departure import clock
from gendan.logistics.planning.problem import PlanJob, PlanProblem, PlanTruck
from gendan.logistics.planning.texts import Text, text
from gendan.logistics.planning.timing import fits

NO_TRUCKS = gettext_noop("There is no truck to plan with.")
NO_SUCH_TRUCK = gettext_noop("Pinned to truck %(truck)s, which is not in this plan.")
TOO_BIG = gettext_noop(
    "Its load is over every truck's capacity: %(over)s more than %(truck)s takes."
)
TOO_BIG_PINNED = gettext_noop(
    "Its load is over its truck's capacity: %(over)s more than %(truck)s takes."
)
EMPTY_WINDOW = gettext_noop("Its window (%(start)s–%(end)s) is empty.")
UNREACHABLE = gettext_noop(
    "No truck that can carry it reaches it within its window (%(start)s–%(end)s) "
    "and is back within the driver's shift."
)


def jobs_unplannable(problem: PlanProblem) -> dict[str, Text]:
    """Job key → why no truck can take it, for the jobs that cannot be planned at all."""
    trucks = {truck.key: truck for truck in problem.trucks}
    reasons = {}
    for job in problem.jobs:
        reason = job_unplannable(problem, job, trucks)
        if reason:
            reasons[job.key] = reason
    return reasons


def job_unplannable(
    problem: PlanProblem, job: PlanJob, trucks: dict[str, PlanTruck]
) -> Text | None:
    if not trucks:
        return text(NO_TRUCKS)
    if job.truck is not None and job.truck not in trucks:
        return text(NO_SUCH_TRUCK, truck=job.truck)
    candidates = [trucks[job.truck]] if job.truck is not None else list(trucks.values())
    roomy = [truck for truck in candidates if fits(job.load, truck.capacity)]
    if not roomy:
        message = TOO_BIG_PINNED if job.truck is not None else TOO_BIG
        return text(message, **over_capacity(problem, job, candidates))
    window = {"start": clock(job.window[0]), "end": clock(job.window[1])}
    if job.window[0] > job.window[1]:
        return text(EMPTY_WINDOW, **window)
    if not any(reachable(problem, job, truck) for truck in roomy):
        return text(UNREACHABLE, **window)
    return None


def reachable(problem: PlanProblem, job: PlanJob, truck: PlanTruck) -> bool:
    """The truck, leaving at the start of the shift, serves the job alone in its window and is
    back by the end of the shift."""
    begins = max(truck.shift[0] + problem.durations[truck.depot][job.location], job.window[0])
    back = begins + job.service + problem.durations[job.location][truck.depot]
    return begins <= job.window[1] and back <= truck.shift[1]


def over_capacity(problem: PlanProblem, job: PlanJob, trucks: list[PlanTruck]) -> dict:
    """The truck the load is least over, and by how much in each dimension it is over."""

    def excess(truck: PlanTruck) -> list[int]:
        room = list(truck.capacity) + [0] * (len(job.load) - len(truck.capacity))
        return [max(0, amount - limit) for amount, limit in zip(job.load, room, strict=False)]

    def share(truck: PlanTruck) -> float:
        return sum(e / max(c, 1) for e, c in zip(excess(truck), truck.capacity, strict=False))

    nearest = min(trucks, key=share)
    over = [
        amount_text(problem, dimension, amount)
        for dimension, amount in enumerate(excess(nearest))
        if amount > 0
    ]
    return {"over": ", ".join(over), "truck": nearest.name or nearest.key}


def amount_text(problem: PlanProblem, dimension: int, amount: int) -> str:
    """A load amount in its unit (``12.5 m²``), from the problem's load units."""
    unit, scale = problem.units[dimension] if dimension < len(problem.units) else ("", 1)
    value = (Decimal(amount) / scale).normalize()
    return f"{value:f} {unit}".strip()
