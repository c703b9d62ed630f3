"""The fleet (issue 14 point 1): trucks and drivers added, changed and listed, a truck taken out
of use after a confirmation; the zones of a city's districts set, moved and removed (O-45);
every write signed in the audit log, every refusal a message with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.audit.models import AuditEvent
from gendan.logistics.demo_fleet import demo_fleet
from gendan.logistics.geo import zone_of
from gendan.logistics.models import DistrictZone, Driver, Truck, ZoneKind
from gendan.logistics.services.fleet import (
    DRIVER_HAS_A_TRUCK,
    NOT_A_DRIVER,
    PLATE_INVALID,
    PLATE_REQUIRED,
    SHIFT_ENDS_BEFORE_START,
    driver_create,
    truck_create,
    truck_update,
    zone_remove,
    zone_set,
)
from gendan.logistics.tests.factories import DriverFactory, TruckFactory, WarehouseFactory
from gendan.orders.tests.helpers import staff
from gendan.warehouse.demo_stock import demo_warehouse

pytestmark = pytest.mark.django_db


def client_of(role: Role) -> Client:
    client = Client()
    client.force_login(staff(role))
    return client


def truck_fields(**changed: object) -> dict[str, object]:
    fields = {
        "plate": "粤B·12345", "name": "中货车", "capacity_m2": Decimal("80"),
        "capacity_kg": Decimal("3000"), "warehouse": WarehouseFactory(), "driver": None,
        "is_active": True,
    }  # fmt: skip
    return fields | changed


# ---- trucks --------------------------------------------------------------------------------


def test_a_new_truck_is_kept_with_its_plate_written_one_way_and_signed(roles):
    # given a plate typed in lower case with a space
    actor = staff(Role.LOGISTICS)
    # when the truck is added
    truck = truck_create(actor=actor, fields=truck_fields(plate="粤b 12345"))
    # then its plate is kept as 粤B12345, and the audit log says who added what
    assert Truck.objects.get().plate == "粤B12345"
    event = AuditEvent.objects.get(action="fleet.truck_saved", target_id=str(truck.pk))
    assert event.actor == actor and event.changes["capacity_m2"] == "80"


@pytest.mark.parametrize(
    ("plate", "message"),
    [("", PLATE_REQUIRED), ("12345", PLATE_INVALID), ("粤B·12", PLATE_INVALID)],
)
def test_a_truck_without_a_plate_like_a_plate_is_refused(roles, plate, message):
    with pytest.raises(ValidationError) as refused:
        truck_create(actor=staff(Role.LOGISTICS), fields=truck_fields(plate=plate))
    expected = message % {"plate": plate} if "%(plate)s" in str(message) else message
    assert refused.value.message_dict["plate"] == [str(expected)]
    assert not Truck.objects.exists()


def test_a_truck_must_carry_something(roles):
    with pytest.raises(ValidationError) as refused:
        truck_create(actor=staff(Role.LOGISTICS), fields=truck_fields(capacity_m2=Decimal("0")))
    assert "capacity_m2" in refused.value.message_dict
    assert not Truck.objects.exists()


def test_a_driver_drives_one_truck_in_use(roles):
    """A day's plan gives each truck a route: one driver cannot be on two of them."""
    # given a driver on a truck in use
    first = TruckFactory(plate="粤B·10001")
    # when logistics gives the same driver a second truck
    with pytest.raises(ValidationError) as refused:
        truck_create(actor=staff(Role.LOGISTICS), fields=truck_fields(driver=first.driver))
    # then it is refused, naming the truck the driver has, and nothing is added
    message = DRIVER_HAS_A_TRUCK % {"driver": first.driver, "plate": "粤B·10001"}
    assert refused.value.message_dict["driver"] == [message]
    assert Truck.objects.count() == 1
    # and once the first truck is out of use, the driver may take another
    truck_update(actor=staff(Role.LOGISTICS), truck=first, fields={"is_active": False})
    assert truck_create(actor=staff(Role.LOGISTICS), fields=truck_fields(driver=first.driver))


def test_a_change_of_a_truck_is_signed_with_what_it_was_and_is(roles):
    truck = TruckFactory(capacity_kg=Decimal("1500"))
    truck_update(actor=staff(Role.LOGISTICS), truck=truck, fields={"capacity_kg": Decimal("1800")})
    event = AuditEvent.objects.get(action="fleet.truck_saved", target_id=str(truck.pk))
    assert event.changes == {"capacity_kg": ["1500.0", "1800"]}


def test_logistics_adds_a_truck_on_its_page(roles):
    # given a warehouse and a working driver
    warehouse, driver = WarehouseFactory(), DriverFactory()
    logistics = client_of(Role.LOGISTICS)
    # when logistics fills the form
    response = logistics.post(reverse("logistics-truck-create"), {
        "plate": "粤A·D1001", "name": "小货车", "capacity_m2": "40", "capacity_kg": "1500",
        "warehouse": warehouse.pk, "driver": driver.pk, "is_active": "on",
    }, follow=True)  # fmt: skip
    # then the truck is in the list with its driver
    truck = Truck.objects.get()
    assert (truck.plate, truck.driver, truck.capacity_m2) == ("粤A·D1001", driver, Decimal("40"))
    assert "粤A·D1001" in response.content.decode()


def test_the_truck_form_shows_its_refusals_in_chinese_and_keeps_nothing(roles):
    logistics = client_of(Role.LOGISTICS)
    fields = {"capacity_m2": "40", "capacity_kg": "1500", "warehouse": WarehouseFactory().pk}
    bad_plate = logistics.post(reverse("logistics-truck-create"), fields | {"plate": "ABC"})
    empty = logistics.post(reverse("logistics-truck-create"), fields | {"capacity_m2": "0"})
    assert "“ABC”不是车牌号" in bad_plate.content.decode()
    assert "必须大于零" in empty.content.decode()
    assert not Truck.objects.exists()


def test_taking_a_truck_out_of_use_asks_first(roles):
    # given a truck in use
    truck = TruckFactory()
    logistics = client_of(Role.LOGISTICS)
    url = reverse("logistics-truck-deactivate", args=[truck.pk])
    # when logistics asks to take it out of use, it is asked to confirm, and nothing changes
    asked = logistics.post(url)
    truck.refresh_from_db()
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    assert truck.is_active
    # when it confirms, the truck is out of use (kept, not deleted)
    logistics.post(url, {"confirmed": "yes"})
    truck.refresh_from_db()
    assert not truck.is_active


def test_the_truck_list_searches_filters_sorts_and_pages(roles, settings):
    # given three trucks, one driven by 王师傅 and one out of use
    settings.GENDAN_PAGE_SIZE = 2
    wang = DriverFactory(user=UserFactory(name="王师傅", roles=[Role.DRIVER]))
    TruckFactory(plate="粤B·00001", capacity_m2=Decimal("40"), driver=wang)
    TruckFactory(plate="粤B·00002", capacity_m2=Decimal("150"))
    TruckFactory(plate="粤B·00003", capacity_m2=Decimal("80"), is_active=False)
    warehouse = client_of(Role.WAREHOUSE)  # a reader
    url = reverse("logistics-trucks")

    def plates(**query: str) -> list[str]:
        page = warehouse.get(url, query).context["page"]
        return [truck.plate for truck in page]

    # then each question gets its trucks
    assert plates(q="王师傅") == ["粤B·00001"]
    assert plates(active="no") == ["粤B·00003"]
    assert plates(o="-capacity_m2") == ["粤B·00002", "粤B·00003"]
    assert plates(o="-capacity_m2", page="2") == ["粤B·00001"]


# ---- drivers -------------------------------------------------------------------------------


def test_only_a_user_holding_the_driver_role_becomes_a_driver(roles):
    # given a clerk
    clerk = staff(Role.CLERK)
    # when logistics makes the clerk a driver, it is refused, saying why
    with pytest.raises(ValidationError) as refused:
        driver_create(actor=staff(Role.LOGISTICS), fields={"user": clerk})
    assert refused.value.message_dict["user"] == [str(NOT_A_DRIVER % {"user": clerk.display_name})]
    assert not Driver.objects.exists()


def test_a_drivers_working_day_ends_after_it_starts(roles):
    user = UserFactory(roles=[Role.DRIVER])
    fields = {"user": user, "shift_start": dt.time(18, 0), "shift_end": dt.time(7, 0)}
    with pytest.raises(ValidationError) as refused:
        driver_create(actor=staff(Role.LOGISTICS), fields=fields)
    assert refused.value.message_dict["shift_end"] == [str(SHIFT_ENDS_BEFORE_START)]


def test_logistics_adds_a_driver_on_its_page(roles):
    user = UserFactory(name="陈志强", roles=[Role.DRIVER])
    logistics = client_of(Role.LOGISTICS)
    form = logistics.get(reverse("logistics-driver-create")).content.decode()
    assert "陈志强" in form  # offered: holds the driver role, no driver yet
    logistics.post(reverse("logistics-driver-create"), {
        "user": user.pk, "phone": "13760001002", "shift_start": "06:30", "shift_end": "17:30",
        "is_active": "on",
    })  # fmt: skip
    driver = Driver.objects.get()
    assert (driver.user, driver.shift_start) == (user, dt.time(6, 30))
    assert AuditEvent.objects.filter(action="fleet.driver_saved").count() == 1


# ---- zones ---------------------------------------------------------------------------------


def test_a_district_is_listed_then_moved_to_another_zone(roles):
    """O-45: 宝安区 listed as inner city by mistake, then moved outside the inner city."""
    actor = staff(Role.LOGISTICS)
    zone_set(actor=actor, city="深圳市", district="宝安区", kind=ZoneKind.INNER_CITY)
    zone_set(actor=actor, city=" 深圳市", district="宝安区 ", kind=ZoneKind.OUTER)
    assert zone_of("深圳市", "宝安区") == ZoneKind.OUTER
    events = AuditEvent.objects.filter(action="fleet.zone_set").order_by("pk")
    assert [e.changes["zone"] for e in events] == [["", "inner"], ["inner", "outer"]]


def test_a_zone_needs_its_city_district_and_zone(roles):
    with pytest.raises(ValidationError) as refused:
        zone_set(actor=staff(Role.LOGISTICS), city="", district="", kind="downtown")
    assert set(refused.value.message_dict) == {"city", "district", "kind"}
    assert not DistrictZone.objects.exists()


def test_removing_a_citys_last_district_makes_the_city_out_of_town(roles):
    """O-45: with no district of Shenzhen listed, a Shenzhen drop is out of town."""
    actor = staff(Role.LOGISTICS)
    zone = zone_set(actor=actor, city="深圳市", district="福田区", kind=ZoneKind.INNER_CITY)
    zone_remove(actor=actor, zone=zone)
    assert zone_of("深圳市", "福田区") == ZoneKind.OUT_OF_TOWN
    assert AuditEvent.objects.filter(action="fleet.zone_removed").exists()


def test_the_zones_page_groups_a_citys_districts_and_names_the_unlisted(roles):
    actor = staff(Role.LOGISTICS)
    zone_set(actor=actor, city="深圳市", district="福田区", kind=ZoneKind.INNER_CITY)
    zone_set(actor=actor, city="深圳市", district="宝安区", kind=ZoneKind.OUTER)
    response = client_of(Role.CLERK).get(reverse("logistics-zones"))
    (shenzhen,) = response.context["cities"]
    groups = {kind: [z.district for z in zones] for kind, _label, zones in shenzhen.groups()}
    assert groups == {"inner": ["福田区"], "outer": ["宝安区"], "out_of_town": []}
    assert "龙岗区" in shenzhen.unlisted and "福田区" not in shenzhen.unlisted


def test_the_zones_page_states_the_three_conditions_of_leaving_by_seven(roles):
    """O-45: the page names all three: more than three drops, a drop outside the inner city,
    a drop out of town; and that another city than the company's own is out of town."""
    with translation.override("en"):
        text = client_of(Role.CLERK).get(reverse("logistics-zones")).content.decode()
    assert "more than three drops" in text and "a drop outside the inner city" in text
    assert "or out of town" in text and "another city is out of town" in text


def test_removing_a_district_on_the_page_asks_first(roles):
    zone = zone_set(
        actor=staff(Role.LOGISTICS), city="深圳市", district="福田区", kind=ZoneKind.INNER_CITY
    )
    logistics = client_of(Role.LOGISTICS)
    url = reverse("logistics-zone-remove", args=[zone.pk])
    asked = logistics.post(url)
    assert asked.status_code == 200 and DistrictZone.objects.exists()
    assert asked.context["last"] is True  # the page warns: Shenzhen becomes out of town
    logistics.post(url, {"confirmed": "yes"})
    assert not DistrictZone.objects.exists()


def test_a_zone_form_with_nothing_in_it_is_refused_on_the_page(roles):
    response = client_of(Role.LOGISTICS).post(reverse("logistics-zone-set"), {"kind": "inner"})
    assert response.status_code == 400 and not DistrictZone.objects.exists()
    assert response.context["form"].errors["city"]


# ---- the API -------------------------------------------------------------------------------


def test_the_fleet_through_the_api(roles):
    # given logistics and a driver-to-be
    logistics = client_of(Role.LOGISTICS)
    user = UserFactory(roles=[Role.DRIVER])
    warehouse = WarehouseFactory()
    # when it adds a driver and a truck, then takes the truck out of use
    driver = logistics.post(
        "/api/logistics/drivers", {"user_id": user.pk, "shift_start": "06:30"},
        content_type="application/json",
    )  # fmt: skip
    assert driver.status_code == 201 and driver.json()["shift_start"] == "06:30"
    made = logistics.post("/api/logistics/trucks", {
        "plate": "粤S·D2001", "capacity_m2": "80", "capacity_kg": "3000",
        "warehouse_id": warehouse.pk, "driver_id": driver.json()["id"],
    }, content_type="application/json")  # fmt: skip
    assert made.status_code == 201, made.json()
    truck_id = made.json()["id"]
    changed = logistics.put(
        f"/api/logistics/trucks/{truck_id}", {"is_active": False},
        content_type="application/json",
    )  # fmt: skip
    # then the lists answer with them
    assert changed.json()["is_active"] is False and changed.json()["plate"] == "粤S·D2001"
    listed = logistics.get("/api/logistics/trucks", {"active": "no"}).json()["items"]
    assert [row["id"] for row in listed] == [truck_id]
    drivers = logistics.get("/api/logistics/drivers").json()["items"]
    assert [row["user_id"] for row in drivers] == [user.pk]


def test_the_api_refuses_a_driver_without_the_role_and_a_bad_plate(roles):
    logistics = client_of(Role.LOGISTICS)
    clerk = staff(Role.CLERK)
    refused = logistics.post(
        "/api/logistics/drivers", {"user_id": clerk.pk}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == str(NOT_A_DRIVER % {"user": clerk.display_name})
    bad = logistics.post("/api/logistics/trucks", {
        "plate": "no plate", "capacity_m2": "80", "capacity_kg": "3000",
        "warehouse_id": WarehouseFactory().pk,
    }, content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "plate"]
    assert not Truck.objects.exists() and not Driver.objects.exists()


def test_zones_through_the_api(roles):
    """O-45: a district listed, read back, and removed."""
    logistics = client_of(Role.LOGISTICS)
    made = logistics.post(
        "/api/logistics/zones", {"city": "广州市", "district": "天河区", "kind": "inner"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201
    listed = logistics.get("/api/logistics/zones", {"city": "广州市"}).json()
    assert [(z["district"], z["kind"]) for z in listed] == [("天河区", "inner")]
    assert logistics.delete(f"/api/logistics/zones/{made.json()['id']}").status_code == 204
    assert zone_of("广州市", "天河区") == ZoneKind.OUT_OF_TOWN


# ---- the demo ------------------------------------------------------------------------------


def test_the_demo_fleet_lists_its_own_citys_inner_city_and_gives_four_drivers_a_truck_each(roles):
    """O-45: in the demo the warehouse's city 佛山 has the inner city (顺德区, 禅城区) and the
    districts outside it (南海区); any other city (深圳, 广州's 番禺 next door) is out of town."""
    # given the demo's warehouse and its driver
    warehouse, _places = demo_warehouse()
    # when the demo's fleet is loaded
    demo_fleet(staff(Role.LOGISTICS), staff(Role.DRIVER, "driver"), "gendan-demo")
    # then the zones, the drivers, the trucks and the warehouse's place are there
    assert "佛山市顺德区" in warehouse.address
    assert zone_of("佛山市", "顺德区") == ZoneKind.INNER_CITY
    assert zone_of("佛山市", "禅城区") == ZoneKind.INNER_CITY
    assert zone_of("佛山市", "南海区") == ZoneKind.OUTER
    assert zone_of("深圳市", "南山区") == ZoneKind.OUT_OF_TOWN
    assert zone_of("广州市", "番禺区") == ZoneKind.OUT_OF_TOWN
    usernames = set(Driver.objects.values_list("user__username", flat=True))
    assert usernames == {"driver", "driver2", "driver3", "driver4"}
    assert all(driver.user.has_role(Role.DRIVER) for driver in Driver.objects.all())
    sizes = sorted(Truck.objects.values_list("capacity_m2", "capacity_kg"))
    assert [(int(m2), int(kg)) for m2, kg in sizes] == [
        (80, 1500), (160, 3000), (160, 3000), (300, 5000)
    ]  # fmt: skip
    assert Truck.objects.filter(warehouse=warehouse, driver__isnull=False).count() == 4
    assert Truck.objects.get(driver__user__username="driver").plate == "粤A·D1001"
    warehouse.refresh_from_db()
    assert warehouse.latitude is not None and warehouse.longitude is not None
