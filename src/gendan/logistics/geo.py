"""Where a drop is (O-43): the address's own coordinates, else its district's centre from the
table gendan ships (``data/district_centres.csv``, every district and county of Guangdong and
the main towns of Dongguan and Zhongshan, Beijing, Shanghai) and the tables a site adds
(``GENDAN_DISTRICT_CENTRES_EXTRA``, read after it: a later row wins); and which zone it lies in
(O-45)."""

from __future__ import annotations

import csv
import math
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings

from gendan.logistics.models import DistrictZone, Drop, ZoneKind

CENTRES = Path(__file__).parent / "data" / "district_centres.csv"
CENTRES_HEADER = ["province", "city", "district", "latitude", "longitude"]
EARTH_RADIUS_M = 6_371_000


def centres_read(path: Path) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """One table's rows: (city, district) → (latitude, longitude). A file with another header
    is refused (a mistake in a site's file should stop the start, not move drops)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != CENTRES_HEADER:
            raise ValueError(f"{path}: the header must be {','.join(CENTRES_HEADER)}")
        return {
            (row["city"].strip(), row["district"].strip()): (
                Decimal(row["latitude"]), Decimal(row["longitude"])
            )
            for row in reader
        }  # fmt: skip


def centres_paths() -> list[Path]:
    """The shipped table, then the site's own (GENDAN_DISTRICT_CENTRES_EXTRA), in that order."""
    extra = getattr(settings, "GENDAN_DISTRICT_CENTRES_EXTRA", [])
    return [CENTRES, *(Path(path) for path in extra)]


@cache
def district_centres() -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
    """(city, district) → (latitude, longitude), read once; a later table's row wins."""
    centres: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for path in centres_paths():
        centres.update(centres_read(path))
    return centres


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
