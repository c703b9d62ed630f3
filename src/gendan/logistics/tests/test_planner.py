"""The route planner (O-43, O-45) with the real PyVRP, on small problems: capacities in both
dimensions, windows and shifts, pins, the O-45 departure and the simple plan it falls back to.
Each plan is checked by driving it again from the matrices (planner_helpers)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from gendan.logistics.planning import departure
from gendan.logistics.planning.solve import FALLBACK_ASKED, NO_ROOM_EARLY, plan_solve
from gendan.logistics.planning.texts import text, text_shown
from gendan.logistics.tests.factories import PlanJobFactory, PlanTruckFactory
from gendan.logistics.tests.planner_helpers import (
    at,
    placed_once,
    plan_broken,
    problem_on,
    route_carries,
)

SECONDS = 0.5
SOLVERS = ["pyvrp", "fallback"]
# A depot at the origin and drops 1 to 3 km around it.
NEAR = [(0, 0), (1000, 0), (0, 1000), (-1000, 0), (0, -1000), (2000, 2000), (-2000, 2000),
        (2000, -2000), (-3000, 0)]  # fmt: skip


def route_of(result, key: str):
    return next(route for route in result.routes if key in route.jobs)


@pytest.mark.parametrize("solver", SOLVERS)
def test_routes_keep_the_trucks_capacities_in_m2_and_in_kg(solver):
    # given three trucks of 100 m² and 1,500 kg; drops of 46 m² and drops of 700 kg
    jobs = [PlanJobFactory(location=i, load=(4600, 50)) for i in range(1, 5)]
    jobs += [PlanJobFactory(location=i, load=(500, 700)) for i in range(5, 9)]
    problem = problem_on(NEAR, jobs, PlanTruckFactory.create_batch(3))
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then every drop is on a truck, and no truck carries more than it takes in either
    assert result.unplanned == {}
    assert plan_broken(problem, result) == []
    for route in result.routes:
        m2, kg = route_carries(problem, route)
        assert m2 <= 10_000 and kg <= 1_500
        assert list(route.load) == [m2, kg]
    assert len(result.routes) == 3  # 204 m² need all three


@pytest.mark.parametrize("solver", SOLVERS)
def test_drops_are_served_in_their_windows_and_trucks_back_within_the_shift(solver):
    # given drops whose windows set their order, and a driver working until 15:00
    windows = [(at(14), at(15)), (at(9), at(9, 30)), (at(11), at(12)), (at(9, 40), at(10))]
    jobs = [PlanJobFactory(location=i + 1, window=w) for i, w in enumerate(windows)]
    truck = PlanTruckFactory(shift=(at(7), at(15)))
    problem = problem_on(NEAR, jobs, [truck])
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then the route drives them window by window, and recomputed arrivals agree
    (route,) = result.routes
    assert route.jobs == [jobs[1].key, jobs[3].key, jobs[2].key, jobs[0].key]
    assert plan_broken(problem, result) == []
    assert route.returns <= at(15)


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_pinned_drop_stays_on_its_truck_though_another_is_nearer(solver):
    # given two warehouses 20 km apart, a truck at each, and a drop next to the first
    points = [(0, 0), (20_000, 0), (500, 0), (19_500, 0)]
    near_a, near_b = PlanTruckFactory(depot=0), PlanTruckFactory(depot=1)
    drop, other = PlanJobFactory(location=2), PlanJobFactory(location=3)
    unpinned = problem_on(points, [drop, other], [near_a, near_b])
    assert route_of(plan_solve(unpinned, seconds=SECONDS, solver=solver), drop.key).truck == (
        near_a.key
    )
    # when it is pinned to the far truck
    pinned = replace(drop, truck=near_b.key)
    problem = problem_on(points, [pinned, other], [near_a, near_b])
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then the far truck takes it
    assert route_of(result, pinned.key).truck == near_b.key
    assert plan_broken(problem, result) == [] and placed_once(problem, result) == []


def test_pins_tell_apart_trucks_that_are_otherwise_alike():
    # given three identical trucks at one warehouse; drops pinned to the second and third
    trucks = PlanTruckFactory.create_batch(3)
    jobs = [PlanJobFactory(location=i) for i in range(1, 7)]
    jobs[0] = PlanJobFactory(location=1, truck=trucks[1].key)
    jobs[1] = PlanJobFactory(location=2, truck=trucks[2].key)
    jobs[2] = PlanJobFactory(location=3, truck=trucks[2].key)
    problem = problem_on(NEAR, jobs, trucks)
    # when
    result = plan_solve(problem, seconds=SECONDS)
    # then
    assert result.solver == "pyvrp"
    assert route_of(result, jobs[0].key).truck == trucks[1].key
    assert route_of(result, jobs[1].key).truck == trucks[2].key
    assert route_of(result, jobs[2].key).truck == trucks[2].key
    assert plan_broken(problem, result) == [] and placed_once(problem, result) == []


def test_departure_latest_follows_o45():
    """O-45: by 08:30; by 07:00 with more than three drops or with a far one."""
    assert departure.departure_latest(3, False) == (at(8, 30), text(departure.RULE_USUAL))
    assert departure.departure_latest(4, False) == (at(7), text(departure.RULE_MANY))
    assert departure.departure_latest(1, True) == (at(7), text(departure.RULE_FAR))


@pytest.mark.parametrize("solver", SOLVERS)
def test_four_drops_leave_by_seven(solver):
    """O-45: a truck with more than three drops leaves by 07:00 (and waits at the windows)."""
    # given four drops near the warehouse, someone there from 09:00
    jobs = [PlanJobFactory(location=i, window=(at(9), at(12))) for i in range(1, 5)]
    problem = problem_on(NEAR, jobs, [PlanTruckFactory()])
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then
    (route,) = result.routes
    assert len(route.jobs) == 4
    assert route.departs == at(7)
    assert route.departure_rule == text(departure.RULE_MANY)
    assert plan_broken(problem, result) == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_three_inner_city_drops_leave_by_half_past_eight(solver):
    """O-45: three drops in the inner city: out by 08:30."""
    # given three drops near the warehouse, someone there from 09:00
    jobs = [PlanJobFactory(location=i, window=(at(9), at(12))) for i in range(1, 4)]
    problem = problem_on(NEAR, jobs, [PlanTruckFactory()])
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then it leaves at 08:30, not earlier: nothing is gained by waiting at the first door
    (route,) = result.routes
    assert route.departs == at(8, 30)
    assert route.departure_rule == text(departure.RULE_USUAL)
    assert plan_broken(problem, result) == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_one_drop_outside_the_inner_city_leaves_by_seven(solver):
    """O-45: a trip outside the inner city or out of town: out by 07:00."""
    # given one drop, at a location outside the inner city
    job = PlanJobFactory(location=8, window=(at(9), at(12)))
    problem = problem_on(NEAR, [job], [PlanTruckFactory()], far_locations=frozenset({8}))
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then
    (route,) = result.routes
    assert route.departs == at(7)
    assert route.departure_rule == text(departure.RULE_FAR)


def test_a_driver_starting_after_seven_is_told_the_rule_cannot_be_kept():
    """O-45: a route that should leave by 07:00 with a driver who starts at 07:30 leaves at
    07:30, and the rule says why it is late."""
    jobs = [PlanJobFactory(location=i, window=(at(9), at(12))) for i in range(1, 5)]
    problem = problem_on(NEAR, jobs, [PlanTruckFactory(shift=(at(7, 30), at(18)))])
    (route,) = plan_solve(problem, seconds=SECONDS).routes
    assert route.departs == at(7, 30)
    assert route.departure_rule == text(
        departure.RULE_LATE_SHIFT, rule=text(departure.RULE_MANY), start="07:30"
    )
    assert route.late


@pytest.mark.parametrize("solver", SOLVERS)
def test_o45_a_far_drop_goes_on_the_truck_whose_driver_starts_by_seven(solver):
    """O-45: a far drop (out by 07:00) goes on the truck whose driver starts at 06:30, not
    on the one whose driver starts at 07:30 (listed first, and as near); the near drops may go
    on either."""
    # given a late truck and an early one at the same depot, one far drop and two near ones
    late = PlanTruckFactory(shift=(at(7, 30), at(18)))
    early = PlanTruckFactory(shift=(at(6, 30), at(18)))
    far = PlanJobFactory(location=8, window=(at(9), at(12)))
    near = [PlanJobFactory(location=i, window=(at(9), at(12))) for i in (1, 2)]
    problem = problem_on(NEAR, [far, *near], [late, early], far_locations=frozenset({8}))
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then the far drop is on the early truck, which leaves in time
    route = route_of(result, far.key)
    assert route.truck == early.key and route.departs <= at(7) and not route.late
    assert not any(r.late for r in result.routes)
    assert plan_broken(problem, result) == [] and placed_once(problem, result) == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_o45_with_no_early_truck_a_far_drop_still_goes_flagged_late(solver):
    """O-45: when no driver starts by 07:00 the far drop is planned all the same, its route
    flagged as leaving late."""
    late = PlanTruckFactory(shift=(at(7, 30), at(18)))
    far = PlanJobFactory(location=8, window=(at(9), at(12)))
    problem = problem_on(NEAR, [far], [late], far_locations=frozenset({8}))
    (route,) = plan_solve(problem, seconds=SECONDS, solver=solver).routes
    assert route.jobs == [far.key] and route.late and route.departs == at(7, 30)


def test_o45_a_far_drop_too_big_for_the_early_trucks_rides_the_late_one_flagged():
    """O-45: the far drop that fits only the truck whose driver starts at 07:30 rides it, its
    route flagged as leaving late (shown red, named when publishing), rather than stay at the
    warehouse while that truck stands empty."""
    late = PlanTruckFactory(shift=(at(7, 30), at(18)), capacity=(50_000, 5_000))
    early = PlanTruckFactory(shift=(at(6, 30), at(18)))
    far = PlanJobFactory(location=8, load=(20_000, 100))
    problem = problem_on(NEAR, [far], [late, early], far_locations=frozenset({8}))
    result = plan_solve(problem, seconds=SECONDS)
    (route,) = result.routes
    assert route.truck == late.key and route.jobs == [far.key] and route.late
    assert result.unplanned == {}


def test_no_o45_rule_for_a_truck_without_a_latest_departure():
    # given a truck the rule does not apply to (a VRPLIB instance's)
    jobs = [PlanJobFactory(location=i, window=(at(9), at(12))) for i in range(1, 5)]
    problem = problem_on(NEAR, jobs, [PlanTruckFactory(latest_departure=None)])
    # when
    (route,) = plan_solve(problem, seconds=SECONDS).routes
    # then it leaves just in time for the first drop
    assert route.departure_rule == {} and not route.late
    assert route.arrivals[0] == at(9)
    first = next(job for job in problem.jobs if job.key == route.jobs[0])
    assert route.departs == at(9) - problem.durations[0][first.location]


def test_the_simple_plan_when_asked_for_is_deterministic():
    jobs = [PlanJobFactory(location=i, load=(3000, 200)) for i in range(1, 9)]
    problem = problem_on(NEAR, jobs, PlanTruckFactory.create_batch(3))
    first = plan_solve(problem, seconds=SECONDS, solver="fallback")
    again = plan_solve(problem, seconds=SECONDS, solver="fallback")
    assert first.solver == "fallback" and first.message == [text(FALLBACK_ASKED)]
    assert [(r.truck, r.jobs) for r in first.routes] == [(r.truck, r.jobs) for r in again.routes]
    assert plan_broken(problem, first) == [] and placed_once(problem, first) == []


def test_a_pyvrp_failure_gives_the_simple_plan_not_an_error():
    # given matrices PyVRP refuses: staying at one place takes a minute (a diagonal not zero)
    jobs = [PlanJobFactory(location=i) for i in range(1, 5)]
    problem = problem_on(NEAR, jobs, PlanTruckFactory.create_batch(2))
    problem.distances[3][3] = 60
    # when
    result = plan_solve(problem, seconds=SECONDS)
    # then the simple plan is made, and the message says why
    assert result.solver == "fallback"
    assert "diagonal" in text_shown(result.message)
    assert result.unplanned == {}
    assert plan_broken(problem, result) == [] and placed_once(problem, result) == []


def test_an_unknown_solver_is_refused():
    problem = problem_on(NEAR, [PlanJobFactory()], [PlanTruckFactory()])
    with pytest.raises(ValueError, match="solver"):
        plan_solve(problem, seconds=SECONDS, solver="guess")


def test_o45_the_fallback_lists_a_far_drop_too_big_for_the_early_trucks_with_why():
    """O-45: the simple fallback plan keeps far drops to the early trucks, and lists the one
    they cannot carry with why."""
    late = PlanTruckFactory(shift=(at(7, 30), at(18)), capacity=(50_000, 5_000))
    early = PlanTruckFactory(shift=(at(6, 30), at(18)))
    far = PlanJobFactory(location=8, load=(20_000, 100))
    problem = problem_on(NEAR, [far], [late, early], far_locations=frozenset({8}))
    result = plan_solve(problem, seconds=SECONDS, solver="fallback")
    assert result.routes == [] and result.unplanned == {far.key: text(NO_ROOM_EARLY)}
