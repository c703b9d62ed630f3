"""Small planning problems on a plane (metres, at 10 m/s) and an independent check of a plan:
the arrivals and loads recomputed from the matrices and the jobs, not taken from the planner."""

from __future__ import annotations

import math

from gendan.logistics.planning.problem import PlannedRoute, PlanProblem

SPEED_M_PER_S = 10


def at(hours: int, minutes: int = 0) -> int:
    """A clock time as seconds after midnight."""
    return hours * 3600 + minutes * 60


def problem_on(points: list[tuple[float, float]], jobs, trucks, **options) -> PlanProblem:
    """The problem with straight-line distances between ``points`` (x, y in metres)."""
    distances = [[round(math.dist(a, b)) for b in points] for a in points]
    durations = [[round(metres / SPEED_M_PER_S) for metres in row] for row in distances]
    return PlanProblem(durations, distances, tuple(jobs), tuple(trucks), **options)


def route_driven(problem: PlanProblem, route: PlannedRoute) -> tuple[list[int], int]:
    """When service begins at each stop and when the truck is back, leaving when it says."""
    jobs = {job.key: job for job in problem.jobs}
    depot = next(truck.depot for truck in problem.trucks if truck.key == route.truck)
    here, clock, arrivals = depot, route.departs, []
    for key in route.jobs:
        job = jobs[key]
        clock = max(clock + problem.durations[here][job.location], job.window[0])
        arrivals.append(clock)
        clock, here = clock + job.service, job.location
    return arrivals, clock + problem.durations[here][depot]


def route_carries(problem: PlanProblem, route: PlannedRoute) -> list[int]:
    jobs = {job.key: job for job in problem.jobs}
    return [sum(column) for column in zip(*(jobs[key].load for key in route.jobs), strict=True)]


def plan_broken(problem: PlanProblem, result) -> list[str]:
    """Whatever in the plan breaks a capacity, a window, a shift or a pin (empty: nothing)."""
    trucks = {truck.key: truck for truck in problem.trucks}
    jobs = {job.key: job for job in problem.jobs}
    broken = []
    for route in result.routes:
        truck = trucks[route.truck]
        arrivals, back = route_driven(problem, route)
        if any(a > c for a, c in zip(route_carries(problem, route), truck.capacity, strict=True)):
            broken.append(f"{route.truck} over capacity")
        if route.departs < truck.shift[0] or back > truck.shift[1]:
            broken.append(f"{route.truck} outside the shift")
        if arrivals != route.arrivals:
            broken.append(f"{route.truck} arrivals {route.arrivals}, driven {arrivals}")
        for key, begins in zip(route.jobs, arrivals, strict=True):
            if not jobs[key].window[0] <= begins <= jobs[key].window[1]:
                broken.append(f"{key} outside its window")
            if jobs[key].truck not in (None, route.truck):
                broken.append(f"{key} not on its pinned truck")
    return broken


def placed_once(problem: PlanProblem, result) -> list[str]:
    """Job keys not exactly once in a route or among the unplanned (empty: all once)."""
    seen = [key for route in result.routes for key in route.jobs] + list(result.unplanned)
    return sorted(job.key for job in problem.jobs if seen.count(job.key) != 1) + sorted(
        set(seen) - {job.key for job in problem.jobs}
    )
