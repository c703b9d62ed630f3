"""The day's problem as PyVRP sees it, solved within the time limit.

One depot per distinct truck depot; trucks alike in everything (depot, capacity, shift,
departure, the jobs it may take) share a vehicle type, each truck otherwise its own. A job kept
to some trucks (pinned to one; O-45: a far drop, to the trucks whose drivers start by 07:00 when
the day has some) gets its own copy of its location, and in every other truck's routing profile
the edges into that copy are prohibitive: only its trucks can reach it in time.

The search first asks for every required job; a search that has found no plan serving them all
by a quarter of the time (or a day whose loads are more than the fleet carries) goes on with the
required jobs optional for a prize larger than any detour, so that what cannot fit is left out
and listed, never forced in.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext_noop
from pyvrp import Client, Depot, Location, ProblemData, Route, Solution, VehicleType, solve
from pyvrp.constants import MAX_VALUE
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MultipleCriteria, NoImprovement

from gendan.logistics.planning import departure
from gendan.logistics.planning.problem import PlanJob, PlanProblem, PlanTruck
from gendan.logistics.planning.texts import Text, text

INFEASIBLE_COST = np.iinfo(np.int64).max  # what PyVRP's criteria are given with no plan yet
PROHIBITIVE = MAX_VALUE
GIVE_UP_SHARE = 0.25  # of the time: a search with no plan serving every required job by then
SMALL_DAY, STALE_ITERATIONS = 25, 5000  # up to 25 jobs: stop 5,000 iterations after the best


MADE_OPTIONAL = gettext_noop(
    "No plan served every drop in the time: the planner left out what did not fit."
)
NO_FEASIBLE = gettext_noop("PyVRP found no feasible plan in the time")


class NoPlan(Exception):
    """PyVRP's best answer breaks a constraint (the planner falls back); ``reason`` is a text."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason.get("message", ""))
        self.reason = reason


class Deadline:
    """Stops the search at a moment of ``time.perf_counter()``: the planner's time limit counts
    from the call of ``plan_solve``, PyVRP's set-up included."""

    def __init__(self, until: float) -> None:
        self.until = until

    def __call__(self, best_cost: int) -> bool:
        return time.perf_counter() >= self.until


class NothingFeasibleBy:
    """Stops a search that has found nothing feasible by ``seconds`` after its first call."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.started = seconds, None

    def __call__(self, best_cost: int) -> bool:
        self.started = self.started or time.perf_counter()
        return best_cost >= INFEASIBLE_COST and time.perf_counter() - self.started > self.seconds


class Model:
    """The PyVRP data for some of a problem's jobs, and the way back from its solutions."""

    def __init__(self, problem: PlanProblem, jobs: Sequence[PlanJob]) -> None:
        self.problem, self.jobs = problem, list(jobs)
        far = departure.far_trucks(problem)
        self.allowed = {job.key: departure.job_trucks(problem, job, far) for job in self.jobs}
        everyone = frozenset(truck.key for truck in problem.trucks)
        kept = [job for job in self.jobs if self.allowed[job.key] != everyone]
        size = len(problem.durations)
        # A kept job's own location: a copy of its matrix row and column.
        self.place = {job.key: size + i for i, job in enumerate(kept)}
        self.rows = list(range(size)) + [job.location for job in kept]
        self.depots = list(dict.fromkeys(truck.depot for truck in problem.trucks))
        self.profiles, self.profile_of = self.profiles_make(kept)
        self.groups = self.trucks_group()

    def profiles_make(self, kept: list[PlanJob]) -> tuple[list[tuple[str, ...]], dict[str, int]]:
        """The routing profiles, each the kept jobs it cannot reach, and each truck's profile."""
        profiles: list[tuple[str, ...]] = [()]
        profile_of = {}
        for truck in self.problem.trucks:
            blocked = tuple(job.key for job in kept if truck.key not in self.allowed[job.key])
            if blocked not in profiles:
                profiles.append(blocked)
            profile_of[truck.key] = profiles.index(blocked)
        return profiles, profile_of

    def trucks_group(self) -> list[list[PlanTruck]]:
        """Trucks alike in everything the solver sees, in the problem's order."""
        groups: dict[tuple, list[PlanTruck]] = {}
        for truck in self.problem.trucks:
            profile = self.profile_of[truck.key]
            alike = (truck.depot, truck.capacity, truck.shift, truck.latest_departure, profile)
            groups.setdefault(alike, []).append(truck)
        return list(groups.values())

    def data(self, *, all_optional: bool) -> ProblemData:
        locations = [Location(x=0, y=0) for _ in self.rows]
        depots = [Depot(location=row) for row in self.depots]
        types = [self.vehicle_type(trucks) for trucks in self.groups]
        distances, durations = self.matrices()
        big = self.prize_beyond_any_detour()
        clients = [self.client(job, big if all_optional else 0) for job in self.jobs]
        return ProblemData(locations, clients, depots, types, distances, durations)

    def client(self, job: PlanJob, prize: int) -> Client:
        optional = not job.required or prize > 0
        return Client(
            location=self.place.get(job.key, job.location),
            delivery=list(job.load),
            service_duration=job.service,
            tw_early=job.window[0],
            tw_late=job.window[1],
            required=not optional,
            prize=job.prize if not job.required else prize,
            name=job.key,
        )

    def vehicle_type(self, trucks: list[PlanTruck]) -> VehicleType:
        truck = trucks[0]
        depot = self.depots.index(truck.depot)
        latest = truck.latest_departure
        return VehicleType(
            num_available=len(trucks),
            capacity=list(truck.capacity),
            start_depot=depot,
            end_depot=depot,
            tw_early=truck.shift[0],
            tw_late=truck.shift[1],
            start_late=None if latest is None else max(latest, truck.shift[0]),
            profile=self.profile_of[truck.key],
            name=",".join(t.key for t in trucks),
        )

    def matrices(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        rows = np.array(self.rows)
        base = {
            "distance": np.asarray(self.problem.distances, dtype=np.int64)[np.ix_(rows, rows)],
            "duration": np.asarray(self.problem.durations, dtype=np.int64)[np.ix_(rows, rows)],
        }
        distances, durations = [], []
        pinned = {job.key for job in self.jobs if job.truck is not None}
        for blocked in self.profiles:
            hard = [self.place[key] for key in blocked if key in pinned]
            soft = [self.place[key] for key in blocked if key not in pinned]
            for kind, out in (("distance", distances), ("duration", durations)):
                matrix = base[kind].copy() if blocked else base[kind]
                matrix[:, hard] = PROHIBITIVE
                matrix[hard, hard] = 0
                if kind == "distance" and soft:
                    # O-45: a far drop on a truck whose driver starts after 07:00 costs a detour
                    # longer than any, so the early trucks take it when they have room; when
                    # they have none it still rides (its route then shows the late departure)
                    # rather than stay at the warehouse.
                    matrix[:, soft] += self.late_far_penalty()
                    matrix[soft, soft] = 0
                out.append(matrix)
        return distances, durations

    def late_far_penalty(self) -> int:
        return max((max(row) for row in self.problem.distances), default=0) + 1

    def prize_beyond_any_detour(self) -> int:
        """More than serving any one job could add to a route's distance."""
        longest = max((max(row) for row in self.problem.distances), default=0)
        return 4 * longest + 1 + max((job.prize for job in self.jobs), default=0)

    def routes(self, solution: Solution) -> list[tuple[PlanTruck, list[PlanJob]]]:
        """Each route of the solution as its truck and its jobs in order."""
        free = [list(trucks) for trucks in self.groups]
        planned = []
        for route in solution.routes():
            jobs = [self.jobs[visit.idx] for visit in route.schedule() if visit.is_client()]
            planned.append((free[route.vehicle_type()].pop(0), jobs))
        return planned


def pyvrp_plan(
    problem: PlanProblem, jobs: Sequence[PlanJob], *, deadline: float, seed: int
) -> tuple[list[tuple[PlanTruck, list[PlanJob]]], list[Text]]:
    """The routes PyVRP finds for ``jobs`` by ``deadline`` (``time.perf_counter()``), and what
    it did; raises NoPlan (or PyVRP's own error) when it has no feasible plan."""
    seconds = max(0.0, deadline - time.perf_counter())
    model = Model(problem, jobs)
    notes = []
    if fleet_overloaded(problem, jobs):
        result = solve_until(model.data(all_optional=True), deadline, seed)
    else:
        data = model.data(all_optional=False)
        stop = NothingFeasibleBy(seconds * GIVE_UP_SHARE)
        result = solve_until(data, deadline, seed, stop)
        if not result.is_feasible():
            notes.append(text(MADE_OPTIONAL))
            optional = model.data(all_optional=True)
            start = Solution(optional, [same_route(optional, r) for r in result.best.routes()])
            result = solve_until(optional, deadline, seed, initial=start)
    if not result.is_feasible():
        raise NoPlan(text(NO_FEASIBLE))
    return model.routes(result.best), notes


def solve_until(data: ProblemData, deadline: float, seed: int, stop=None, initial=None):
    criteria = [Deadline(deadline), *([stop] if stop else [])]
    if data.num_clients <= SMALL_DAY:  # a few drops: done long before the time is up
        criteria.append(NoImprovement(STALE_ITERATIONS))
    criterion = MultipleCriteria(criteria)
    with warnings.catch_warnings():
        # A day whose required jobs cannot all fit strains the penalties: that is handled.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        return solve(data, criterion, seed=seed, display=False, initial_solution=initial)


def same_route(data: ProblemData, route: Route) -> Route:
    visits = [visit.idx for visit in route.schedule() if visit.is_client()]
    return Route(data, visits, route.vehicle_type())


def fleet_overloaded(problem: PlanProblem, jobs: Sequence[PlanJob]) -> bool:
    """More required load in some dimension than all the trucks carry together."""
    dimensions = max((len(truck.capacity) for truck in problem.trucks), default=0)
    for dimension in range(dimensions):
        room = sum(t.capacity[dimension] for t in problem.trucks if dimension < len(t.capacity))
        needed = sum(j.load[dimension] for j in jobs if j.required and dimension < len(j.load))
        if needed > room:
            return True
    return False
