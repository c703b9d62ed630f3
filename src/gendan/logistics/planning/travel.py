"""Travel times and distances between a day's points (O-43): the built-in estimate (great-circle
distance × GENDAN_ROAD_FACTOR, its first GENDAN_CITY_KM at GENDAN_ROAD_SPEED_KMH through the city
and the rest at GENDAN_HIGHWAY_SPEED_KMH) or, when GENDAN_OSRM_URL is set, an OSRM server's table
service; when that server fails, the estimate, with a note saying so."""

from __future__ import annotations

import json
from typing import NamedTuple
from urllib.parse import quote
from urllib.request import urlopen

from django.conf import settings
from django.utils.translation import gettext_noop

from gendan.logistics.geo import great_circle_m
from gendan.logistics.planning.texts import Text, text

OSRM_TIMEOUT_S = 10
OSRM_BLOCK = 100  # sources and destinations per request: osrm-routed's --max-table-size default
OSRM_FAILED = gettext_noop(
    "The OSRM server did not give the travel times (%(error)s): the built-in estimate is used."
)

Point = tuple[float, float]  # (latitude, longitude)


class TravelMatrices(NamedTuple):
    durations: list[list[int]]  # seconds from row to column
    distances: list[list[int]]  # metres
    note: Text | None = None  # why the estimate stands in for OSRM; None when all went as set


def travel_matrices(points: list[Point]) -> TravelMatrices:
    """The matrices between ``points``, from OSRM when it is set and answers."""
    url = settings.GENDAN_OSRM_URL
    if url and len(points) > 1:
        try:
            return osrm_matrices(url, points)
        except (OSError, ValueError, KeyError, TypeError) as error:
            estimate = estimate_matrices(points)
            note = text(OSRM_FAILED, error=f"{type(error).__name__}: {error}"[:150])
            return estimate._replace(note=note)
    return estimate_matrices(points)


def estimate_matrices(points: list[Point]) -> TravelMatrices:
    factor = float(settings.GENDAN_ROAD_FACTOR)
    distances = [[round(great_circle_m(a, b) * factor) for b in points] for a in points]
    durations = [[drive_seconds(metres) for metres in row] for row in distances]
    return TravelMatrices(durations, distances)


def drive_seconds(metres: float) -> int:
    """The estimate's time for a road distance: its first GENDAN_CITY_KM through the city at
    GENDAN_ROAD_SPEED_KMH, the rest on the highway at GENDAN_HIGHWAY_SPEED_KMH."""
    city_m = float(settings.GENDAN_CITY_KM) * 1000
    city_speed = float(settings.GENDAN_ROAD_SPEED_KMH) / 3.6  # metres a second
    highway_speed = float(settings.GENDAN_HIGHWAY_SPEED_KMH) / 3.6
    in_city = min(metres, city_m)
    return round(in_city / city_speed + (metres - in_city) / highway_speed)


def osrm_matrices(url: str, points: list[Point]) -> TravelMatrices:
    """OSRM's table, asked for in blocks of at most OSRM_BLOCK sources and destinations."""
    size = len(points)
    durations = [[0] * size for _ in range(size)]
    distances = [[0] * size for _ in range(size)]
    blocks = [
        list(range(start, min(start + OSRM_BLOCK, size))) for start in range(0, size, OSRM_BLOCK)
    ]
    for sources in blocks:
        for destinations in blocks:
            answer = osrm_table(url, points, sources, destinations)
            for i, row in enumerate(sources):
                for j, column in enumerate(destinations):
                    durations[row][column] = round(answer["durations"][i][j])
                    distances[row][column] = round(answer["distances"][i][j])
    return TravelMatrices(durations, distances)


def osrm_table(url: str, points: list[Point], sources: list[int], destinations: list[int]) -> dict:
    """One table request; raises ValueError when OSRM answers anything but a full table."""
    where = ";".join(f"{longitude:.6f},{latitude:.6f}" for latitude, longitude in points)
    query = (
        "annotations=duration,distance"
        f"&sources={quote(';'.join(map(str, sources)))}"
        f"&destinations={quote(';'.join(map(str, destinations)))}"
    )
    with urlopen(
        f"{url.rstrip('/')}/table/v1/driving/{where}?{query}", timeout=OSRM_TIMEOUT_S
    ) as r:
        answer = json.load(r)
    if answer.get("code") != "Ok":
        raise ValueError(f"OSRM answered {answer.get('code')}: {answer.get('message', '')}")
    for kind in ("durations", "distances"):
        rows = answer[kind]
        if len(rows) != len(sources) or any(
            len(row) != len(destinations) or None in row for row in rows
        ):
            raise ValueError(f"OSRM's {kind} are not a full table")
    return answer
