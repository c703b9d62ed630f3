"""The route planner (O-43, O-45): a day's drops on the trucks, within capacities, windows and
shifts, pinned drops on their trucks; what cannot fit listed with the reason, never dropped.

``plan_solve`` is the one entry: the plan page and ``bench/routes.py`` both call it. PyVRP plans
(``pyvrp_solver``); when it fails, or answers with a plan that breaks a constraint, the simple
plan of ``fallback`` is used and the message says why. Every route is then timed from the
matrices and checked here, whichever solver made it, and O-45 sets its departure.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.utils.translation import gettext_noop

from gendan.logistics.planning import departure, pyvrp_solver, timing
from gendan.logistics.planning.fallback import fallback_plan
from gendan.logistics.planning.problem import (
    PlanJob,
    PlannedRoute,
    PlanProblem,
    PlanResult,
    PlanTruck,
)
from gendan.logistics.planning.screen import jobs_unplannable
from gendan.logistics.planning.texts import Text, text

SOLVERS = ("pyvrp", "fallback")
FINISHING_S = 0.05  # kept from the time limit for timing and checking the routes after PyVRP
KEPT_FOR_ANOTHER_DAY = gettext_noop("Kept for another day of its window (O-42).")
NO_ROOM = gettext_noop("No room on any truck within the shifts and windows.")
NO_ROOM_ON_ITS_TRUCK = gettext_noop(
    "No room on its truck %(truck)s within the shift and the windows."
)
NO_ROOM_EARLY = gettext_noop(
    "O-45: no room on a truck whose driver starts by 07:00, within the shifts and windows."
)
FALLBACK_ASKED = gettext_noop("The simple plan, as asked.")
FALLBACK_BECAUSE = gettext_noop("PyVRP failed (%(error)s): the simple plan is used instead.")

Routes = list[tuple[PlanTruck, list[PlanJob]]]


def plan_solve(
    problem: PlanProblem, *, seconds: float, seed: int = 1, solver: str = "pyvrp"
) -> PlanResult:
    """Plan ``problem`` with ``solver`` in at most ``seconds`` from this call (PyVRP's time
    limit, less what timing and checking the routes takes after it)."""
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {SOLVERS}, not {solver!r}")
    started = time.perf_counter()
    deadline = started + max(0.0, seconds - FINISHING_S)
    unplanned = jobs_unplannable(problem)
    jobs = [job for job in problem.jobs if job.key not in unplanned]
    used, message, routes = solver, [text(FALLBACK_ASKED)] if solver == "fallback" else [], []
    if solver == "pyvrp" and jobs:
        try:
            routes, notes = pyvrp_solver.pyvrp_plan(problem, jobs, deadline=deadline, seed=seed)
            planned, message = routes_finish(problem, routes), notes
        except Exception as error:  # any failure of the solver falls back to the simple plan
            used, message = "fallback", [text(FALLBACK_BECAUSE, error=error_text(error))]
    if used == "fallback" or not jobs:
        planned = routes_finish(problem, fallback_plan(problem, jobs) if jobs else [])
    unplanned |= jobs_left_out(problem, jobs, planned)
    return PlanResult(
        routes=planned,
        unplanned=unplanned,
        solver=used,
        message=message,
        distance=sum(route.distance for route in planned),
        seconds=time.perf_counter() - started,
    )


def routes_finish(problem: PlanProblem, routes: Routes) -> list[PlannedRoute]:
    """Each route timed with its O-45 departure and checked; a broken one raises."""
    planned = []
    for truck, jobs in routes:
        if not jobs:
            continue
        route = route_timed(problem, truck, jobs)
        faults = timing.route_faults(
            truck, jobs, timing.route_times(problem, truck, jobs, route.departs)
        )
        if faults:
            raise pyvrp_solver.NoPlan(faults[0])
        planned.append(route)
    return planned


def route_timed(problem: PlanProblem, truck: PlanTruck, jobs: list[PlanJob]) -> PlannedRoute:
    """O-45: planned with the truck's latest departure, then out by 07:00 when the route has
    more than three drops or a far one (earlier is always feasible: the truck waits)."""
    latest, rule, late = truck.shift[1], {}, False
    if truck.latest_departure is not None:
        any_far = any(job.location in problem.far_locations for job in jobs)
        by_rule, rule = departure.departure_latest(len(jobs), any_far)
        latest = min(truck.latest_departure, by_rule)
        if latest < truck.shift[0]:
            start = departure.clock(truck.shift[0])
            rule, late = text(departure.RULE_LATE_SHIFT, rule=rule, start=start), True
    departs = timing.departure_best(problem, truck, jobs, latest)
    schedule = timing.route_times(problem, truck, jobs, departs)
    return PlannedRoute(
        truck=truck.key,
        jobs=[job.key for job in jobs],
        arrivals=schedule.arrivals,
        departs=schedule.departs,
        returns=schedule.returns,
        distance=timing.route_distance(problem, truck, jobs),
        load=timing.route_load(jobs, len(truck.capacity)),
        departure_rule=rule,
        late=late,
    )


def jobs_left_out(
    problem: PlanProblem, jobs: Sequence[PlanJob], routes: list[PlannedRoute]
) -> dict[str, Text]:
    """Every job on no route, with why: optional ones wait for another day of their window."""
    placed = {key for route in routes for key in route.jobs}
    names = {truck.key: truck.name or truck.key for truck in problem.trucks}
    early_only = departure.far_trucks(problem)
    reasons = {}
    for job in jobs:
        if job.key in placed:
            continue
        if not job.required:
            reasons[job.key] = text(KEPT_FOR_ANOTHER_DAY)
        elif job.truck is not None:
            reasons[job.key] = text(NO_ROOM_ON_ITS_TRUCK, truck=names[job.truck])
        elif early_only is not None and job.location in problem.far_locations:
            reasons[job.key] = text(NO_ROOM_EARLY)
        else:
            reasons[job.key] = text(NO_ROOM)
    return reasons


def error_text(error: Exception) -> Text | str:
    """Why PyVRP failed: the planner's own reason as a text; an error of PyVRP's as it is."""
    if isinstance(error, pyvrp_solver.NoPlan):
        return error.reason
    return f"{type(error).__name__}: {error}"[:200]
