"""A route's clock, from the matrices: when the truck leaves, when service begins at each drop
(waiting at a window that has not opened yet), when it is back; and whether that keeps the
capacity, the windows, the shift and the pins. Both solvers' routes are timed and checked here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.utils.translation import gettext_noop

from gendan.logistics.planning.problem import PlanJob, PlanProblem, PlanTruck
from gendan.logistics.planning.texts import Text, text

FAULT_CAPACITY = gettext_noop("truck %(truck)s is over its capacity")
FAULT_SHIFT = gettext_noop("truck %(truck)s is outside its driver's shift")
FAULT_WINDOW = gettext_noop("drop %(job)s is outside its window")
FAULT_PIN = gettext_noop("drop %(job)s is pinned to truck %(truck)s")


@dataclass(frozen=True)
class Schedule:
    departs: int
    arrivals: list[int]  # when service begins at each drop
    returns: int


def route_times(
    problem: PlanProblem, truck: PlanTruck, jobs: Sequence[PlanJob], departs: int
) -> Schedule:
    """Drive the route leaving at ``departs``; a truck early at a drop waits for its window."""
    here, clock, arrivals = truck.depot, departs, []
    for job in jobs:
        clock = max(clock + problem.durations[here][job.location], job.window[0])
        arrivals.append(clock)
        clock += job.service
        here = job.location
    return Schedule(departs, arrivals, clock + problem.durations[here][truck.depot])


def departure_best(
    problem: PlanProblem, truck: PlanTruck, jobs: Sequence[PlanJob], latest: int
) -> int:
    """The earliest departure of the shortest day, no later than ``latest``: from the start of
    the shift, later by as much waiting as the route has before it, without missing a window."""
    start = truck.shift[0]
    schedule = route_times(problem, truck, jobs, start)
    here, clock, waited, delay = truck.depot, start, 0, None
    for job, begins in zip(jobs, schedule.arrivals, strict=True):
        waited += begins - (clock + problem.durations[here][job.location])
        margin = waited + job.window[1] - begins  # how much later this drop may begin
        delay = margin if delay is None else min(delay, margin)
        clock, here = begins + job.service, job.location
    delay = waited if delay is None else min(delay, waited)
    return start + max(0, min(delay, latest - start))


def route_load(jobs: Sequence[PlanJob], dimensions: int) -> tuple[int, ...]:
    totals = [0] * dimensions
    for job in jobs:
        for dimension, amount in enumerate(job.load):
            totals[dimension] += amount
    return tuple(totals)


def route_distance(problem: PlanProblem, truck: PlanTruck, jobs: Sequence[PlanJob]) -> int:
    stops = [truck.depot, *(job.location for job in jobs), truck.depot]
    return sum(problem.distances[a][b] for a, b in pairwise(stops))


def fits(load: Sequence[int], capacity: Sequence[int]) -> bool:
    return len(load) <= len(capacity) and all(
        amount <= room for amount, room in zip(load, capacity, strict=False)
    )


def route_faults(truck: PlanTruck, jobs: Sequence[PlanJob], schedule: Schedule) -> list[Text]:
    """What the route breaks (empty: nothing): for the planner's own check of a solver's plan."""
    faults = []
    if not fits(route_load(jobs, len(truck.capacity)), truck.capacity):
        faults.append(text(FAULT_CAPACITY, truck=truck.name or truck.key))
    if schedule.departs < truck.shift[0] or schedule.returns > truck.shift[1]:
        faults.append(text(FAULT_SHIFT, truck=truck.name or truck.key))
    for job, begins in zip(jobs, schedule.arrivals, strict=True):
        if not job.window[0] <= begins <= job.window[1]:
            faults.append(text(FAULT_WINDOW, job=job.key))
        if job.truck is not None and job.truck != truck.key:
            faults.append(text(FAULT_PIN, job=job.key, truck=job.truck))
    return faults
