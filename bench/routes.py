"""Benchmark: gendan's route planner (issue 14, O-43, O-45), the same ``plan_solve`` the plan
page calls, on a VRPLIB instance or on a generated day.

  1. ``bench/routes.py FILE.vrp --best COST --seconds S``: any VRPLIB instance of the Solomon
     format (CVRPTW). Distances and times are the Euclidean ones truncated to one decimal (the
     DIMACS convention: ×10 as integers), as the best known costs are given. Prints the cost, the
     gap to ``--best`` and the time; ``--ortools`` adds OR-Tools' routing solver in the same run.
     Goal: ``../shared/bench-data/RC208.vrp --best 776.1 --seconds 10`` within 1%.
  2. ``bench/routes.py --day`` (the default without a file): a generated day of 200 drops and
     10 trucks around Shenzhen and Dongguan: drops spread around the districts' centres gendan
     ships, windows 09-12, 13-17 or all day, 3 to 100 m² each, on site 5 minutes and 12 s a m²;
     trucks of 600 m² and 9 t, five at a warehouse in each city, working 07:00 to 19:00, out by
     08:30 (O-45). The matrices come from the planner's built-in estimate (``planning.travel``);
     planned with ``plan_solve`` in 10 s; then OR-Tools' routing solver (guided local search) on
     the same matrices, capacities, windows and shifts with the same time limit, its routes
     checked by the planner's own code. Goal: planned in under 10 s; both distances, the ratio,
     the times and how many drops each left unplanned.

    make bench-routes            # both: RC208 and the day
    .venv/bin/python bench/routes.py ../shared/bench-data/RC208.vrp --best 776.1 --seconds 10
    .venv/bin/python bench/routes.py --day --seconds 10 --drops 200 --trucks 10
No database is used.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

# The day's warehouses: Dongguan (Nancheng) and Shenzhen (Bao'an), (latitude, longitude).
WAREHOUSES = [(23.0207, 113.7518), (22.6050, 113.8700)]
CITIES = ("东莞市", "深圳市")
# Districts the O-45 rule counts as the inner city (the rest: outside it, trucks out by 07:00).
INNER = {"莞城街道", "南城街道", "东城街道", "福田区", "罗湖区", "南山区"}
WINDOWS = [(9, 12), (13, 17), (8, 18)]  # hours: someone there; the last: all day
SHIFT = (7 * 3600, 19 * 3600)
OUT_BY = 8 * 3600 + 30 * 60  # O-45


def django_ready() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.config.development")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def vrplib_problem(path: str):
    """A Solomon instance as the planner's problem: one truck per vehicle, all at the depot."""
    import numpy as np
    import vrplib

    from gendan.logistics.planning.problem import PlanJob, PlanProblem, PlanTruck

    instance = vrplib.read_instance(path)
    matrix = (np.asarray(instance["edge_weight"]) * 10).astype(np.int64).tolist()
    windows = (np.asarray(instance["time_window"]) * 10).astype(np.int64).tolist()
    service = np.broadcast_to(np.asarray(instance["service_time"]) * 10, len(matrix))
    depot = int(np.asarray(instance.get("depot", [0]))[0])
    jobs = tuple(
        PlanJob(key=str(i), location=i, load=(int(instance["demand"][i]),),
                window=tuple(windows[i]), service=int(service[i]))
        for i in range(len(matrix)) if i != depot
    )  # fmt: skip
    count = int(instance.get("vehicles", len(jobs)))
    capacity = (int(instance["capacity"]),)
    trucks = tuple(
        PlanTruck(key=f"V{n + 1}", depot=depot, capacity=capacity, shift=tuple(windows[depot]))
        for n in range(count)
    )
    return PlanProblem(matrix, matrix, jobs, trucks, units=(("", 1),))


def day_problem(drops: int, trucks: int, seed: int):
    """The generated day around Shenzhen and Dongguan (see the module's docstring)."""
    from gendan.logistics.geo import district_centres
    from gendan.logistics.planning.problem import PlanJob, PlanProblem, PlanTruck
    from gendan.logistics.planning.texts import text_shown
    from gendan.logistics.planning.travel import travel_matrices

    rng = random.Random(seed)
    districts = sorted((k, v) for k, v in district_centres().items() if k[0] in CITIES)
    points, jobs, far = list(WAREHOUSES), [], set()
    for n in range(drops):
        (_city, district), (latitude, longitude) = rng.choice(districts)
        points.append((float(latitude) + rng.uniform(-0.02, 0.02),
                       float(longitude) + rng.uniform(-0.02, 0.02)))  # fmt: skip
        if district not in INNER:
            far.add(len(points) - 1)
        m2 = round(rng.choice([rng.uniform(3, 20)] * 7 + [rng.uniform(20, 60)] * 2 +
                              [rng.uniform(60, 100)]), 1)  # fmt: skip
        start, end = rng.choice(WINDOWS)
        jobs.append(PlanJob(
            key=f"D{n + 1:03d}", location=len(points) - 1, load=(round(m2 * 100), round(m2 * 15)),
            window=(start * 3600, end * 3600), service=300 + round(m2 * 12),
        ))  # fmt: skip
    fleet = tuple(
        PlanTruck(key=f"T{n + 1:02d}", depot=n % len(WAREHOUSES), capacity=(60_000, 9_000),
                  shift=SHIFT, latest_departure=OUT_BY)
        for n in range(trucks)
    )  # fmt: skip
    matrices = travel_matrices(points)
    problem = PlanProblem(
        matrices.durations, matrices.distances, tuple(jobs), fleet, frozenset(far)
    )
    return problem, text_shown(matrices.note)


def ortools_plan(problem, seconds: float) -> dict:
    """OR-Tools' routing solver on the same problem: capacities per dimension, windows,
    shifts and departures, every drop droppable for the prize PyVRP gives it; guided local
    search for ``seconds``. Its routes are then timed and checked by the planner's own code."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    started = time.perf_counter()
    depots = list(dict.fromkeys(truck.depot for truck in problem.trucks))
    places = depots + [job.location for job in problem.jobs]  # node → matrix location
    starts = [depots.index(truck.depot) for truck in problem.trucks]
    manager = pywrapcp.RoutingIndexManager(len(places), len(problem.trucks), starts, starts)
    routing = pywrapcp.RoutingModel(manager)
    ortools_constrain(problem, manager, routing, places, len(depots))
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(parameters)
    elapsed = time.perf_counter() - started
    if solution is None:
        return {"distance": None, "seconds": elapsed, "unplanned": len(problem.jobs), "routes": 0}
    return ortools_routes_checked(problem, manager, routing, solution, len(depots), elapsed)


def ortools_constrain(problem, manager, routing, places: list[int], depot_count: int) -> None:
    node = manager.IndexToNode
    service = [0] * depot_count + [job.service for job in problem.jobs]

    def distance(i: int, j: int) -> int:
        return problem.distances[places[node(i)]][places[node(j)]]

    def duration(i: int, j: int) -> int:
        return problem.durations[places[node(i)]][places[node(j)]] + service[node(i)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(distance))
    day = 24 * 3600
    routing.AddDimension(routing.RegisterTransitCallback(duration), day, day, False, "time")
    clock = routing.GetDimensionOrDie("time")
    for n, job in enumerate(problem.jobs):
        clock.CumulVar(manager.NodeToIndex(depot_count + n)).SetRange(*job.window)
    for v, truck in enumerate(problem.trucks):
        latest = truck.shift[1] if truck.latest_departure is None else truck.latest_departure
        clock.CumulVar(routing.Start(v)).SetRange(truck.shift[0], max(latest, truck.shift[0]))
        clock.CumulVar(routing.End(v)).SetRange(truck.shift[0], truck.shift[1])
    for d in range(len(problem.trucks[0].capacity)):
        loads = [0] * depot_count + [job.load[d] for job in problem.jobs]
        callback = routing.RegisterUnaryTransitCallback(lambda i, loads=loads: loads[node(i)])
        capacities = [truck.capacity[d] for truck in problem.trucks]
        routing.AddDimensionWithVehicleCapacity(callback, 0, capacities, True, f"load{d}")
    prize = 4 * max(max(row) for row in problem.distances) + 1  # as pyvrp_solver's
    for n, job in enumerate(problem.jobs):
        penalty = prize if job.required else job.prize
        routing.AddDisjunction([manager.NodeToIndex(depot_count + n)], penalty)


def ortools_routes_checked(problem, manager, routing, solution, depot_count, elapsed) -> dict:
    from gendan.logistics.planning.solve import routes_finish

    routes = []
    for v, truck in enumerate(problem.trucks):
        index, jobs = solution.Value(routing.NextVar(routing.Start(v))), []
        while not routing.IsEnd(index):
            jobs.append(problem.jobs[manager.IndexToNode(index) - depot_count])
            index = solution.Value(routing.NextVar(index))
        routes.append((truck, jobs))
    planned = routes_finish(problem, routes)  # raises if a route breaks a constraint
    served = sum(len(route.jobs) for route in planned)
    return {
        "distance": sum(route.distance for route in planned),
        "seconds": elapsed,
        "unplanned": len(problem.jobs) - served,
        "routes": len(planned),
    }


def gendan_plan(problem, seconds: float) -> dict:
    from gendan.logistics.planning.solve import plan_solve
    from gendan.logistics.planning.texts import text_shown

    result = plan_solve(problem, seconds=seconds)
    return {
        "distance": result.distance,
        "seconds": result.seconds,
        "unplanned": len(result.unplanned),
        "routes": len(result.routes),
        "solver": result.solver,
        "message": text_shown(result.message),
        "reasons": sorted({text_shown(reason) for reason in result.unplanned.values()}),
    }


def vrplib_run(options) -> dict:
    problem = vrplib_problem(options.file)
    name = Path(options.file).stem
    print(f"{name}: {len(problem.jobs)} customers, {len(problem.trucks)} vehicles, "
          f"{options.seconds:g} s", flush=True)  # fmt: skip
    results = {
        "instance": name,
        "best": options.best,
        "gendan": gendan_plan(problem, options.seconds),
    }
    if options.ortools:
        results["ortools"] = ortools_plan(problem, options.seconds)
    for who, row in [(k, results[k]) for k in ("gendan", "ortools") if k in results]:
        row["cost"] = None if row["distance"] is None else row["distance"] / 10
        gap = "" if not options.best or row["cost"] is None else (
            f", gap {100 * (row['cost'] - options.best) / options.best:.2f}% to {options.best:g}"
        )  # fmt: skip
        print(f"  {who}: cost {row['cost']}{gap}, {row['seconds']:.2f} s, {row['routes']} routes, "
              f"{row['unplanned']} unplanned {row.get('message', '')}")  # fmt: skip
    return results


def day_run(options) -> dict:
    problem, note = day_problem(options.drops, options.trucks, options.seed)
    far = len({job.key for job in problem.jobs if job.location in problem.far_locations})
    print(f"a day of {options.drops} drops ({far} outside the inner city), {options.trucks} "
          f"trucks at {len(WAREHOUSES)} warehouses, {options.seconds:g} s"
          f"{'; ' + note if note else ''}", flush=True)  # fmt: skip
    results = {"gendan": gendan_plan(problem, options.seconds)}
    results["ortools"] = ortools_plan(problem, options.seconds)
    for who, row in results.items():
        km = None if row["distance"] is None else round(row["distance"] / 1000, 1)
        print(f"  {who}: {km} km, {row['routes']} routes, {row['unplanned']} unplanned, "
              f"{row['seconds']:.2f} s {row.get('reasons', '')}")  # fmt: skip
    if results["ortools"]["distance"]:
        results["ratio"] = results["gendan"]["distance"] / results["ortools"]["distance"]
        in_time = results["gendan"]["seconds"] < options.seconds
        print(f"  distance gendan / OR-Tools: {results['ratio']:.3f}; planned in under "
              f"{options.seconds:g} s: {in_time}")  # fmt: skip
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", help="a VRPLIB instance (Solomon format)")
    parser.add_argument("--best", type=float, default=0.0, help="the best known cost")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--ortools", action="store_true", help="also OR-Tools, on the file")
    parser.add_argument("--day", action="store_true", help="the generated day (the default)")
    parser.add_argument("--drops", type=int, default=200)
    parser.add_argument("--trucks", type=int, default=10)
    parser.add_argument("--seed", type=int, default=14)
    options = parser.parse_args()
    django_ready()
    results = {"vrplib": vrplib_run(options)} if options.file else {}
    if options.day or not options.file:
        results["day"] = day_run(options)
    results["load_average"] = [round(value, 2) for value in os.getloadavg()]
    print(f"load average (1, 5, 15 min): {results['load_average']}")
    print("JSON " + json.dumps(results, default=str, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
