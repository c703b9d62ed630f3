"""The planner never drops a drop silently (O-43): what no truck can ever take is listed before
solving, with the reason; what the solver could not fit after; and, as a property over small
random problems, every drop is once on a route or once listed, for both solvers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gendan.logistics.planning import screen, solve
from gendan.logistics.planning.problem import PlanJob, PlanTruck
from gendan.logistics.planning.solve import plan_solve
from gendan.logistics.planning.texts import text
from gendan.logistics.tests.factories import PlanJobFactory, PlanTruckFactory
from gendan.logistics.tests.planner_helpers import at, placed_once, plan_broken, problem_on

SECONDS = 0.5
SOLVERS = ["pyvrp", "fallback"]
LINE = [(0, 0), (1000, 0), (2000, 0), (3000, 0), (30_000, 0), (4000, 0)]


def test_a_load_over_every_trucks_capacity_says_which_dimension_and_by_how_much():
    # given trucks of 100 m² / 1,500 kg and 80 m² / 3,000 kg, and a drop of 150 m², 2,000 kg
    trucks = [PlanTruckFactory(name="粤S·001"), PlanTruckFactory(capacity=(8000, 3000))]
    big = PlanJobFactory(load=(15_000, 2_000))
    problem = problem_on(LINE, [big, PlanJobFactory(location=2)], trucks)
    # when
    result = plan_solve(problem, seconds=SECONDS)
    # then it is listed against the truck it is least over, by 50 m² and 500 kg
    assert result.unplanned == {
        big.key: text(screen.TOO_BIG, over="50 m², 500 kg", truck="粤S·001")
    }
    assert len(result.routes) == 1


def test_a_pinned_load_over_its_trucks_capacity_is_listed():
    trucks = PlanTruckFactory.create_batch(2)
    big = PlanJobFactory(load=(12_550, 10), truck=trucks[1].key)
    result = plan_solve(problem_on(LINE, [big], trucks), seconds=SECONDS)
    assert result.unplanned == {
        big.key: text(screen.TOO_BIG_PINNED, over="25.5 m²", truck=trucks[1].key)
    }


def test_a_window_no_truck_reaches_within_the_shift_is_listed():
    # given a drop 30 km out (50 minutes), someone there only until 07:30
    early = PlanJobFactory(location=4, window=(at(7), at(7, 30)))
    # and one whose window opens after the driver's day
    late = PlanJobFactory(location=1, window=(at(18, 30), at(20)))
    problem = problem_on(LINE, [early, late], [PlanTruckFactory()])
    # when
    result = plan_solve(problem, seconds=SECONDS)
    # then
    assert result.unplanned == {
        early.key: text(screen.UNREACHABLE, start="07:00", end="07:30"),
        late.key: text(screen.UNREACHABLE, start="18:30", end="20:00"),
    }
    assert result.routes == []


def test_an_empty_window_and_a_pin_to_a_truck_not_in_the_plan_are_listed():
    empty = PlanJobFactory(window=(at(12), at(11)))
    lost = PlanJobFactory(truck="T-gone")
    result = plan_solve(problem_on(LINE, [empty, lost], [PlanTruckFactory()]), seconds=SECONDS)
    assert result.unplanned == {
        empty.key: text(screen.EMPTY_WINDOW, start="12:00", end="11:00"),
        lost.key: text(screen.NO_SUCH_TRUCK, truck="T-gone"),
    }


def test_with_no_truck_every_drop_is_listed():
    jobs = PlanJobFactory.create_batch(2)
    result = plan_solve(problem_on(LINE, jobs, []), seconds=SECONDS)
    assert result.unplanned == {job.key: text(screen.NO_TRUCKS) for job in jobs}


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_drop_booked_for_a_window_of_days_is_taken_when_worth_it_else_kept(solver):
    """O-42: a booking with a window of days goes on this day when it fits and pays for its
    detour (its prize), else it is kept for another day of its window."""
    # given one truck of 100 m², a required drop of 70 m², two optional ones of 20 m²
    required = PlanJobFactory(location=1, load=(7000, 10))
    worth = PlanJobFactory(location=2, load=(2000, 10), required=False, prize=100_000)
    other = PlanJobFactory(location=3, load=(2000, 10), required=False, prize=100_000)
    problem = problem_on(LINE, [required, worth, other], [PlanTruckFactory()])
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then the truck takes the required one and one optional one; the other waits
    (route,) = result.routes
    assert required.key in route.jobs and len(route.jobs) == 2
    assert list(result.unplanned.values()) == [text(solve.KEPT_FOR_ANOTHER_DAY)]


@pytest.mark.parametrize("solver", SOLVERS)
def test_required_drops_beyond_the_fleet_are_listed_as_no_room(solver):
    # given one truck of 100 m² and three required drops of 60 m²
    jobs = [PlanJobFactory(location=i, load=(6000, 10)) for i in (1, 2, 3)]
    problem = problem_on(LINE, jobs, [PlanTruckFactory()])
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then one is planned, the two others are listed
    assert len(result.routes[0].jobs) == 1
    assert list(result.unplanned.values()) == [text(solve.NO_ROOM)] * 2
    assert placed_once(problem, result) == [] and plan_broken(problem, result) == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_required_drops_whose_windows_clash_are_listed_as_no_room(solver):
    # given one truck and two drops 2 km apart, each with someone there only 09:00 to 09:05
    jobs = [PlanJobFactory(location=i, window=(at(9), at(9, 5))) for i in (1, 3)]
    problem = problem_on(LINE, jobs, [PlanTruckFactory()])
    # when (the loads fit: only the clock stands in the way)
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then
    assert result.solver == solver
    assert len(result.routes[0].jobs) == 1
    assert list(result.unplanned.values()) == [text(solve.NO_ROOM)]
    assert plan_broken(problem, result) == []


@pytest.mark.parametrize("solver", SOLVERS)
def test_pinned_drops_beyond_their_truck_are_listed_against_it(solver):
    # given two trucks, and two drops of 60 m² pinned to the first
    trucks = [PlanTruckFactory(name="粤S·001"), PlanTruckFactory()]
    jobs = [PlanJobFactory(location=i, load=(6000, 10), truck=trucks[0].key) for i in (1, 2)]
    problem = problem_on(LINE, jobs, trucks)
    # when
    result = plan_solve(problem, seconds=SECONDS, solver=solver)
    # then one goes on its truck, the other is listed; the second truck does not take it
    assert [route.truck for route in result.routes] == [trucks[0].key]
    assert list(result.unplanned.values()) == [text(solve.NO_ROOM_ON_ITS_TRUCK, truck="粤S·001")]


# Small random days: up to 8 drops on a 10 km square, up to 3 trucks, some drops pinned.
POINTS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)), min_size=9, max_size=9)
WINDOWS = st.sampled_from([(at(7), at(18)), (at(9), at(12)), (at(13), at(17)), (at(9), at(9, 20))])
JOBS = st.lists(
    st.tuples(
        st.integers(1, 8),  # location
        st.tuples(st.integers(0, 12_000), st.integers(0, 2_000)),  # load
        WINDOWS,
        st.integers(0, 3600),  # service
        st.booleans(),  # required
        st.one_of(st.none(), st.integers(0, 3)),  # pinned to the truck of that index
    ),
    min_size=1,
    max_size=8,
)
TRUCKS = st.lists(
    st.tuples(
        st.tuples(st.integers(2_000, 12_000), st.integers(300, 2_500)),
        st.sampled_from([(at(7), at(18)), (at(8), at(12)), (at(7, 30), at(16))]),
    ),
    min_size=1,
    max_size=3,
)


def day_made(points, jobs, trucks):
    fleet = [
        PlanTruck(key=f"T{i}", depot=0, capacity=capacity, shift=shift, latest_departure=at(8, 30))
        for i, (capacity, shift) in enumerate(trucks)
    ]
    drops = [
        PlanJob(
            key=f"J{i}",
            location=location,
            load=load,
            window=window,
            service=service,
            required=required,
            prize=50_000,
            truck=None if pin is None else f"T{pin}",
        )
        for i, (location, load, window, service, required, pin) in enumerate(jobs)
    ]
    return problem_on(points, drops, fleet, far_locations=frozenset({8}))


@pytest.mark.parametrize("solver", SOLVERS)
@settings(max_examples=25, deadline=None)
@given(points=POINTS, jobs=JOBS, trucks=TRUCKS)
def test_every_drop_is_planned_once_or_listed_with_a_reason(solver, points, jobs, trucks):
    # given a small random day
    problem = day_made(points, jobs, trucks)
    # when
    result = plan_solve(problem, seconds=0.1, solver=solver)
    # then every drop is once on a route or once among the unplanned, with a reason; no
    # route breaks a capacity, a window, a shift or a pin
    assert placed_once(problem, result) == []
    assert all(reason for reason in result.unplanned.values())
    assert plan_broken(problem, result) == []
    assert result.solver == solver
