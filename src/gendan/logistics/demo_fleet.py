"""The demo's fleet (issue 14 point 1): the zones of the warehouse's own city, Foshan (O-45),
the warehouse's place on the map, four drivers (the demo user ``driver`` and driver2 to driver4)
and five trucks of three sizes, all through the services (signed in the audit log)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.accounts.services import user_create
from gendan.logistics.models import Driver, ZoneKind
from gendan.logistics.services.fleet import driver_create, truck_create, zone_set
from gendan.warehouse.models import Warehouse

# Handbook §6 2.(6): the inner city is the centre of the company's own city, 佛山 (the
# warehouse is in 顺德区 at 陈村); its other districts are outside it. Another city is out of
# town (市外), so none is listed: a listed district would make all of its city's unlisted
# districts "outer" (geo.zone_of). 番禺 next to 陈村 is in 广州, so out of town; both leave by
# 07:00 (O-45).
ZONES = {
    "佛山市": (["顺德区", "禅城区"], ["南海区", "三水区", "高明区"]),
}
# The demo's warehouse (warehouse/demo_stock.py, 佛山市顺德区) at 陈村, next to 番禺.
WAREHOUSE_PLACE = {"ZC": (Decimal("22.965000"), Decimal("113.240000"))}
DRIVERS = [  # username (None: the demo user "driver"), name, phone, works from, until
    (None, "", "13760001001", dt.time(6, 30), dt.time(17, 30)),
    ("driver2", "陈志强", "13760001002", dt.time(6, 30), dt.time(17, 30)),
    ("driver3", "黄伟明", "13760001003", dt.time(7, 0), dt.time(18, 0)),
    ("driver4", "林国栋", "13760001004", dt.time(7, 30), dt.time(18, 30)),
]
TRUCKS = [  # plate, name, m², kg; the demo user "driver" drives the first
    ("粤A·D1001", "小货车1号", "80", "1500"),
    ("粤A·D2001", "中货车1号", "160", "3000"),
    ("粤A·D2002", "中货车2号", "160", "3000"),
    ("粤A·D3001", "大货车", "300", "5000"),
]


def demo_fleet(actor: User, driver: User, password: str) -> None:
    demo_zones(actor)
    demo_warehouse_places()
    drivers = demo_drivers(actor, driver, password)
    warehouse = Warehouse.objects.order_by("pk").first()
    for index, (plate, name, area, weight) in enumerate(TRUCKS):
        fields = {
            "plate": plate, "name": name, "capacity_m2": Decimal(area),
            "capacity_kg": Decimal(weight), "warehouse": warehouse,
            "driver": drivers[index % len(drivers)], "is_active": True,
        }  # fmt: skip
        truck_create(actor=actor, fields=fields)


def demo_zones(actor: User) -> None:
    for city, (inner, outer) in ZONES.items():
        for kind, districts in ((ZoneKind.INNER_CITY, inner), (ZoneKind.OUTER, outer)):
            for district in districts:
                zone_set(actor=actor, city=city, district=district, kind=kind)


def demo_warehouse_places() -> None:
    for code, (latitude, longitude) in WAREHOUSE_PLACE.items():
        Warehouse.objects.filter(code=code).update(latitude=latitude, longitude=longitude)


def demo_drivers(actor: User, driver: User, password: str) -> list[Driver]:
    drivers = []
    for username, name, phone, start, end in DRIVERS:
        user = driver
        if username is not None:
            user = user_create(
                actor=actor, username=username, password=password, name=name,
                roles={Role.DRIVER},
            )  # fmt: skip
        fields = {"user": user, "phone": phone, "shift_start": start, "shift_end": end}
        drivers.append(driver_create(actor=actor, fields=fields | {"is_active": True}))
    return drivers
