"""Where a drop is (O-43): the address's own coordinates, else its district's centre from the
table gendan ships (``data/district_centres.csv``); and which zone it lies in (O-45)."""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from functools import cache
from pathlib import Path

from gendan.logistics.models import DistrictZone, Drop, ZoneKind

CENTRES = Path(__file__).parent / "data" / "district_centres.csv"
EARTH_RADIUS_M = 6_371_000


@cache
def district_centres() -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(city, district) → (latitude, longitude), read once."""
    with CENTRES.open(encoding="utf-8") as handle:
        return {
            (row["city"], row["district"]): (Decimal(row["latitude"]), Decimal(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def place_of(address) -> tuple[Decimal | None, Decimal | None, str]:
    """An address's coordinates and where they come from (``Drop.CoordinatesFrom``)."""
    if address.latitude is not None and address.longitude is not None:
        return address.latitude, address.longitude, Drop.CoordinatesFrom.ADDRESS
    centre = district_centres().get((address.city, address.district))
    if centre is not None:
        return centre[0], centre[1], Drop.CoordinatesFrom.DISTRICT
    return None, None, Drop.CoordinatesFrom.NONE


def zone_of(city: str, district: str) -> str:
    """A listed district's zone; another district of a listed city lies outside the inner
    city; a city with no district listed is out of town."""
    kinds = dict(DistrictZone.objects.filter(city=city).values_list("district", "kind"))
    if not kinds:
        return ZoneKind.OUT_OF_TOWN
    return kinds.get(district, ZoneKind.OUTER)


def great_circle_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The distance in metres between two (latitude, longitude) points on the earth."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))
