"""The simple plan, used when PyVRP fails or answers with a plan that breaks a constraint: truck
by truck, in the problem's order, the next drop is the one the truck can begin soonest (its own
pinned drops first, then the required ones), while the load fits, the drop's window is still open
and the driver is back within the shift. Deterministic: the same problem, the same plan."""

from __future__ import annotations

from collections.abc import Sequence

from gendan.logistics.planning.departure import far_trucks, job_trucks
from gendan.logistics.planning.problem import PlanJob, PlanProblem, PlanTruck
from gendan.logistics.planning.timing import fits


def fallback_plan(
    problem: PlanProblem, jobs: Sequence[PlanJob]
) -> list[tuple[PlanTruck, list[PlanJob]]]:
    left = sorted(jobs, key=lambda job: job.key)
    far = far_trucks(problem)  # O-45: far drops on the early trucks when the day has some
    routes = []
    for truck in problem.trucks:
        mine = [job for job in left if truck.key in job_trucks(problem, job, far)]
        route = route_grow(problem, truck, mine)
        if route:
            routes.append((truck, route))
            taken = {job.key for job in route}
            left = [job for job in left if job.key not in taken]
    return routes


def route_grow(problem: PlanProblem, truck: PlanTruck, candidates: list[PlanJob]) -> list[PlanJob]:
    """One truck's route: the nearest (in time) drop that still fits, again and again."""
    route: list[PlanJob] = []
    load = [0] * len(truck.capacity)
    here, clock = truck.depot, truck.shift[0]
    while True:
        best, best_rank = None, None
        for job in candidates:
            begins = next_begins(problem, truck, here, clock, job, load)
            if begins is None:
                continue
            rank = (job.truck is None, not job.required, begins, job.key)
            if best_rank is None or rank < best_rank:
                best, best_rank = job, rank
        if best is None:
            return route
        route.append(best)
        candidates = [job for job in candidates if job is not best]
        load = [a + b for a, b in zip(load, best.load, strict=False)]
        here, clock = best.location, best_rank[2] + best.service


def next_begins(
    problem: PlanProblem, truck: PlanTruck, here: int, clock: int, job: PlanJob, load: list[int]
) -> int | None:
    """When service at ``job`` would begin if driven to next, or None when it cannot be."""
    if len(job.load) > len(truck.capacity):
        return None
    if not fits([a + b for a, b in zip(load, job.load, strict=False)], truck.capacity):
        return None
    begins = max(clock + problem.durations[here][job.location], job.window[0])
    back = begins + job.service + problem.durations[job.location][truck.depot]
    if begins > job.window[1] or back > truck.shift[1]:
        return None
    return begins
