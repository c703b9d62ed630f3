"""Drops at one address on one truck: bookings of the same place (the same coordinates and the
same contact phone) go to the planner as one job when their loads fit a truck together, their
windows meet and their pins agree, so the solver cannot part them; the plan then lists each of
them, one after the other, on that job's truck."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gendan.logistics.planning.problem import PlanJob, PlanTruck
from gendan.logistics.planning.timing import fits


def jobs_grouped(
    jobs: Sequence[PlanJob], places: Sequence[tuple], trucks: Sequence[PlanTruck]
) -> tuple[list[PlanJob], dict[str, list[str]]]:
    """The jobs with those of one place (``places[i]`` is job i's) made one where they may,
    and each merged job's key → its members' keys in the order they are served."""
    by_place: dict[tuple, list[PlanJob]] = {}
    for job, place in zip(jobs, places, strict=True):
        by_place.setdefault(place, []).append(job)
    merged, members = [], {}
    for same in by_place.values():
        job = job_merged(same, trucks) if len(same) > 1 else None
        if job is None:
            merged.extend(same)
        else:
            merged.append(job)
            members[job.key] = [one.key for one in same]
    return merged, members


def job_merged(same: list[PlanJob], trucks: Sequence[PlanTruck]) -> PlanJob | None:
    """One job for ``same`` served one after the other, or None when they cannot be."""
    pins = {job.truck for job in same} - {None}
    load = tuple(sum(amounts) for amounts in zip(*(job.load for job in same), strict=True))
    if len(pins) > 1 or not any(fits(load, truck.capacity) for truck in trucks):
        return None
    start, end, before = max(job.window[0] for job in same), None, 0
    for job in same:  # each one's service begins after those before it
        end = job.window[1] - before if end is None else min(end, job.window[1] - before)
        before += job.service
    if end < start:
        return None
    required = any(job.required for job in same)
    return replace(
        same[0], load=load, window=(start, end), service=before, required=required,
        prize=0 if required else sum(job.prize for job in same),
        truck=next(iter(pins)) if pins else None,
    )  # fmt: skip
