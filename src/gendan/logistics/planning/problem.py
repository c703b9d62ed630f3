"""What the route planner is given and what it answers, in plain numbers: no models.

The plan page (from a day's bookings) and ``bench/routes.py`` (from a VRPLIB file) both build
a ``PlanProblem`` and call ``planning.solve.plan_solve``; the same code plans both.

Times are seconds after midnight of the plan's day; distances are metres (a VRPLIB instance
brings its own units). Loads are whole numbers in each of the problem's dimensions (here:
m² × 100 and kg).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PlanJob:
    """One drop to plan."""

    key: str
    location: int  # row and column of the matrices
    load: tuple[int, ...]
    window: tuple[int, int]  # service may begin between these (someone is there)
    service: int  # seconds on site
    # False: a booking with a window of days may go on another day of it (O-42); the
    # planner takes it when it fits, for ``prize``.
    required: bool = True
    prize: int = 0
    truck: str | None = None  # pinned to this truck's key


@dataclass(frozen=True)
class PlanTruck:
    key: str
    depot: int  # its home warehouse's row and column of the matrices
    capacity: tuple[int, ...]
    shift: tuple[int, int]  # the driver's working hours: leaves after, back before
    # O-45: the latest departure; the planner reports the rule that applies to the route.
    latest_departure: int | None = None
    name: str = ""  # how the reasons name it (the number plate); empty: the key


@dataclass(frozen=True)
class PlanProblem:
    durations: list[list[int]]  # seconds from row to column
    distances: list[list[int]]  # metres from row to column
    jobs: tuple[PlanJob, ...]
    trucks: tuple[PlanTruck, ...]
    # Locations the O-45 rule sees as outside the inner city or out of town.
    far_locations: frozenset[int] = frozenset()
    # Each load dimension's unit and how many load units make one of it, for the reasons
    # (hundredths of m², kg); a VRPLIB instance passes its own.
    units: tuple[tuple[str, int], ...] = (("m²", 100), ("kg", 1))


@dataclass
class PlannedRoute:
    truck: str
    jobs: list[str]  # in the order of driving
    arrivals: list[int]  # when service begins at each job
    departs: int
    returns: int
    distance: int
    load: tuple[int, ...]
    # O-45's rule as a text to translate when shown (planning/texts.py), e.g. RULE_MANY.
    departure_rule: dict = field(default_factory=dict)
    late: bool = False  # leaves after its O-45 deadline (the driver starts later): flagged


@dataclass
class PlanResult:
    routes: list[PlannedRoute]
    unplanned: dict[str, dict] = field(default_factory=dict)  # job key: why not (a text)
    solver: str = ""  # "pyvrp" or "fallback"
    message: list[dict] = field(default_factory=list)  # why the fallback, what the solver did
    distance: int = 0
    seconds: float = 0.0
    feasible: bool = True
