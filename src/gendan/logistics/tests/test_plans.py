"""The day's route plan (O-43, O-45): every booked drop planned on a truck or listed with its
reason; drops moved or pinned stay on their truck when the day is planned again; the plan
published fills the warehouse's loading runs and its pick list; reopened only on purpose."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils.timezone import localtime

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.logistics.models import Drop, RoutePlan, TruckRoute
from gendan.logistics.services.plans import (
    PUBLISHED,
    drop_move,
    drop_pin,
    plan_make,
    plan_publish,
    plan_reopen,
)
from gendan.logistics.services.plans_build import NO_DEPOT
from gendan.logistics.tests.factories import TruckFactory, WarehouseFactory
from gendan.logistics.tests.plan_helpers import (
    DONGGUAN,
    TIANHE,
    booked,
    day_to_plan,
    truck_at,
    truck_of,
)
from gendan.orders.tests.helpers import staff
from gendan.warehouse.models import LoadingRun
from gendan.warehouse.services.loading import ORDER_TWICE, loading_runs_replace

pytestmark = pytest.mark.django_db
SECONDS = 1  # the planner's time limit in these tests


@pytest.fixture
def planner(roles):
    return staff(Role.LOGISTICS)


@pytest.fixture
def two_depots(roles):
    """A truck at Tianhe (Guangzhou), another at Dongguan, 40 km apart."""
    return truck_at(TIANHE, "TH", plate="粤A·10001"), truck_at(DONGGUAN, "DG", plate="粤S·20002")


def make(planner, day=None):
    return plan_make(actor=planner, day=day or day_to_plan(), seconds=SECONDS)


def refusal(call) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.messages


def test_o43_every_booked_drop_is_on_a_truck_or_listed_with_its_reason(planner, two_depots):
    """O-43: each booked drop of the day gets a drop row: three near Tianhe planned in order
    with arrival times, loads and coordinates; one with no coordinates listed, not dropped."""
    # given three orders booked near Tianhe and one with an address the planner cannot place
    day = day_to_plan()
    near = [booked(day, TIANHE, step=n + 1) for n in range(3)]
    lost = booked(day, None)
    # when the day is planned
    plan = make(planner)
    # then every booking has its drop
    assert plan.drops.count() == 4
    on_trucks = list(plan.drops.filter(route__isnull=False).order_by("route", "sequence"))
    assert {drop.booking for drop in on_trucks} == set(near)
    assert all(localtime(drop.arrives_at).date() == day for drop in on_trucks)
    assert {drop.load_m2 for drop in on_trucks} == {Decimal("10.00")}
    assert all(drop.service_minutes == 15 + 2 for drop in on_trucks)  # 10 m²: 2 minutes more
    unplanned = plan.drops.get(route__isnull=True)
    assert unplanned.booking == lost and "拉萨市城关区" in unplanned.unplanned_reason
    # and the route says when it leaves and why (O-45), and what it carries
    route = on_trucks[0].route
    assert route.departs_at is not None and "O-45" in route.departure_rule
    assert route.load_m2 == Decimal("30.00") and route.distance_m > 0
    assert plan.solver and plan.planned_by == planner
    assert AuditEvent.objects.filter(action="route.planned", target_id=str(plan.pk)).exists()


def test_a_moved_drop_stays_on_its_new_truck_when_the_day_is_planned_again(planner, two_depots):
    """A drop near Tianhe moved by hand to the Dongguan truck is pinned there: planning again
    keeps it on that truck, with an arrival time again."""
    tianhe, dongguan = two_depots
    day = day_to_plan()
    bookings = [booked(day, TIANHE, step=n + 1) for n in range(2)]
    plan = make(planner)
    assert truck_of(plan, bookings[0]) == tianhe
    # when the drop is moved to the Dongguan truck
    drop = Drop.objects.get(plan=plan, booking=bookings[0])
    drop_move(actor=planner, drop=drop, route=TruckRoute.objects.get(plan=plan, truck=dongguan))
    drop.refresh_from_db()
    assert drop.pinned and drop.arrives_at is None
    # and the day is planned again
    plan = make(planner)
    # then it is still on the Dongguan truck, pinned, with its arrival
    moved = Drop.objects.get(plan=plan, booking=bookings[0])
    assert moved.route.truck == dongguan and moved.pinned and moved.arrives_at is not None
    assert AuditEvent.objects.filter(action="route.drop_moved").count() == 1


def test_a_pin_keeps_a_drop_on_its_truck_and_let_go_the_planner_takes_it_back(planner, two_depots):
    """A pinned drop stays on the far truck it was put on; unpinned, planning again moves it
    back to the truck next to it."""
    tianhe, dongguan = two_depots
    day = day_to_plan()
    booking = booked(day, TIANHE, step=1)
    plan = make(planner)
    drop = Drop.objects.get(plan=plan, booking=booking)
    drop_move(actor=planner, drop=drop, route=TruckRoute.objects.get(plan=plan, truck=dongguan))
    # when it is let go and the day planned again
    drop_pin(actor=planner, drop=Drop.objects.get(plan=plan, booking=booking), pinned=False)
    plan = make(planner)
    # then the planner takes it back to the Tianhe truck
    assert truck_of(plan, booking) == tianhe
    assert not Drop.objects.get(plan=plan, booking=booking).pinned


def test_a_drop_moved_onto_a_full_truck_is_shown_over_capacity_not_refused(planner, roles):
    """Moving is the people's call: an overload is warned about (red on the page), not refused."""
    small = truck_at(TIANHE, "TH", capacity_m2=Decimal("10"))
    big = truck_at(TIANHE, "TH", capacity_m2=Decimal("300"))
    day = day_to_plan()
    bookings = [booked(day, TIANHE, step=n + 1, m2="15") for n in range(2)]
    plan = make(planner)
    assert [truck_of(plan, b) for b in bookings] == [big, big]  # 15 m² each: not on the small
    drop_move(
        actor=planner, drop=Drop.objects.get(plan=plan, booking=bookings[0]),
        route=TruckRoute.objects.get(plan=plan, truck=small),
    )  # fmt: skip
    client = staff_client(planner)
    page = client.get(reverse("logistics-plan-day", args=[day.isoformat()]))
    assert page.status_code == 200
    assert "truck-route over" in page.content.decode()


def staff_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_warehouse_without_coordinates_is_refused_by_name(planner, roles):
    """The depot is the truck's warehouse: without its place nothing can be planned."""
    truck_at(TIANHE, "TH")
    nowhere = WarehouseFactory(code="NW", name="番禺仓", latitude=None, longitude=None)
    TruckFactory(warehouse=nowhere)
    booked(day_to_plan(), TIANHE, step=1)
    messages = refusal(lambda: make(planner))
    assert "番禺仓" in messages[0]
    assert str(NO_DEPOT).split("%")[0] in messages[0]
    assert not RoutePlan.objects.filter(day=day_to_plan()).exists()


def test_o43_publishing_fills_the_warehouses_loading_runs_last_drop_loaded_first(
    planner, two_depots
):
    """O-43: published, each truck with drops is a loading run (its plate and driver, its
    departure) with its orders in loading order: the last drop of the route first."""
    day = day_to_plan()
    for n in range(3):
        booked(day, TIANHE, step=n + 1)
    plan = make(planner)
    # when the plan is published (its orders have no delivery notes yet: confirmed)
    plan_publish(actor=planner, plan=plan, confirmed=True)
    # then the warehouse has one run, its orders in reverse driving order
    route = plan.routes.exclude(drops=None).get()
    run = LoadingRun.objects.get(day=day)
    driving = list(route.drops.order_by("sequence").values_list("order_id", flat=True))
    assert list(run.orders.values_list("order_id", flat=True)) == driving[::-1]
    assert run.label == f"{route.truck.plate} {route.driver}" and run.departs_at == route.departs_at
    plan.refresh_from_db()
    assert plan.state == RoutePlan.State.PUBLISHED and plan.published_by == planner


def test_o43_the_pick_list_shows_each_truck_in_loading_order(planner, two_depots, client):
    """O-43 (the warehouse prepares at least a day ahead): tomorrow's pick list, once the plan
    is published, has a section per truck, its departure, its orders in loading order."""
    day = day_to_plan()
    for n in range(2):
        booked(day, TIANHE, step=n + 1)
    plan = make(planner)
    plan_publish(actor=planner, plan=plan, confirmed=True)
    route = plan.routes.exclude(drops=None).get()
    numbers = [d.order.number for d in route.drops.order_by("-sequence")]
    # when the warehouse opens tomorrow's pick list
    client.force_login(staff(Role.WAREHOUSE))
    page = client.get(reverse("warehouse-picklist"), {"date": day.isoformat()}).content.decode()
    # then the truck is there with its departure, the last drop first
    assert route.truck.plate in page and route.departs_at.strftime("%H:%M") in page
    assert page.index(numbers[0]) < page.index(numbers[1])


def test_a_published_plan_is_planned_again_only_after_it_is_reopened(planner, two_depots):
    """Published, the plan is not planned again nor changed; reopened (with why, signed in the
    audit log) the warehouse's runs are withdrawn and it can be planned again."""
    day = day_to_plan()
    booked(day, TIANHE, step=1)
    plan = plan_publish(actor=planner, plan=make(planner), confirmed=True)
    assert refusal(lambda: make(planner)) == [PUBLISHED % {"day": day}]
    drop = plan.drops.get()
    assert refusal(lambda: drop_pin(actor=planner, drop=drop, pinned=True))
    assert refusal(lambda: plan_reopen(actor=planner, plan=plan, reason=" "))
    # when reopened with a reason
    plan_reopen(actor=planner, plan=plan, reason="客户改期")
    # then it is a draft again, the runs are gone, and it plans again
    plan.refresh_from_db()
    assert plan.state == RoutePlan.State.DRAFT and not LoadingRun.objects.filter(day=day).exists()
    assert AuditEvent.objects.filter(action="route.reopened", target_id=str(plan.pk)).exists()
    assert make(planner).drops.filter(route__isnull=False).count() == 1


def test_o42_a_window_already_on_another_published_day_is_not_planned_again(planner, two_depots):
    """O-42: a booking with a window of days goes on one of them: once on a published plan,
    the other days of its window leave it out."""
    day = day_to_plan()
    window = booked(day, TIANHE, step=1, last_day=day + dt.timedelta(days=3))
    plan_publish(actor=planner, plan=make(planner), confirmed=True)
    # when the next day of the window is planned
    later = make(planner, day + dt.timedelta(days=1))
    # then the booking is not on it
    assert not later.drops.filter(booking=window).exists()


def test_o42_a_window_not_on_its_last_day_is_taken_when_it_fits(planner, two_depots):
    """O-42: a window's booking is planned on one of its days when the trucks have room."""
    day = day_to_plan()
    window = booked(day, TIANHE, step=1, last_day=day + dt.timedelta(days=2))
    assert truck_of(make(planner), window) is not None


def test_a_moved_drop_must_be_planned_again_before_publishing(planner, two_depots):
    """A drop moved by hand has no arrival time: the plan is planned again first."""
    _tianhe, dongguan = two_depots
    day = day_to_plan()
    booking = booked(day, TIANHE, step=1)
    plan = make(planner)
    drop_move(
        actor=planner, drop=plan.drops.get(booking=booking),
        route=TruckRoute.objects.get(plan=plan, truck=dongguan),
    )  # fmt: skip
    assert booking.order.number in refusal(lambda: plan_publish(actor=planner, plan=plan))[0]


def test_the_loading_runs_refuse_an_order_on_two_trucks(planner, two_depots):
    booking = booked(day_to_plan(), TIANHE, step=1)
    runs = [("A", None, [booking.order_id]), ("B", None, [booking.order_id])]
    messages = refusal(lambda: loading_runs_replace(actor=planner, day=day_to_plan(), runs=runs))
    assert messages == [ORDER_TWICE % {"number": booking.order.number}]


def test_the_evening_command_plans_tomorrow(planner, two_depots, settings):
    """O-43: `gendan manage routes_plan` (cron, the evening before) plans tomorrow."""
    settings.GENDAN_PLAN_SECONDS = Decimal(SECONDS)
    booked(day_to_plan(), TIANHE, step=1)
    call_command("routes_plan")
    assert RoutePlan.objects.get(day=day_to_plan()).drops.filter(route__isnull=False).count() == 1


def test_the_api_plans_reads_moves_pins_and_publishes(planner, two_depots, client, settings):
    """The same service answers the API: plan, read, move (pinned), pin, publish."""
    settings.GENDAN_PLAN_SECONDS = Decimal(SECONDS)
    _tianhe, dongguan = two_depots
    day = day_to_plan().isoformat()
    booked(day_to_plan(), TIANHE, step=1)
    client.force_login(planner)
    planned = client.post(f"/api/logistics/plans/{day}").json()
    drop_id = next(r["drops"][0]["drop_id"] for r in planned["routes"] if r["drops"])
    target = next(r["route_id"] for r in planned["routes"] if r["truck"] == dongguan.plate)
    moved = client.post(
        f"/api/logistics/drops/{drop_id}/move", {"route_id": target},
        content_type="application/json",
    ).json()  # fmt: skip
    on_dongguan = next(r for r in moved["routes"] if r["truck"] == dongguan.plate)
    assert on_dongguan["drops"][0]["pinned"] is True
    unpinned = client.post(
        f"/api/logistics/drops/{drop_id}/pin", {"pinned": False}, content_type="application/json"
    )
    assert unpinned.json()["pinned"] is False
    refused = client.post(f"/api/logistics/plans/{day}/publish")
    assert refused.status_code == 422  # the moved drop has no arrival time yet
    client.post(f"/api/logistics/plans/{day}")
    unconfirmed = client.post(f"/api/logistics/plans/{day}/publish")
    assert unconfirmed.status_code == 422  # its order has no delivery note yet: confirm
    published = client.post(f"/api/logistics/plans/{day}/publish?confirmed=true").json()
    assert published["state"] == "published"
    assert client.get(f"/api/logistics/plans/{day}").json()["state"] == "published"


def test_the_pages_list_the_days_and_a_pin_sent_by_htmx_answers_with_the_routes(
    planner, two_depots, client
):
    """The list shows the planned day; pinning from the day's page (htmx) answers with the
    routes again; a reader (the clerk) sees the plan without its buttons."""
    day = day_to_plan()
    booking = booked(day, TIANHE, step=1)
    plan = make(planner)
    drop = plan.drops.get(booking=booking)
    client.force_login(planner)
    listed = client.get(reverse("logistics-plans")).content.decode()
    assert reverse("logistics-plan-day", args=[day.isoformat()]) in listed
    # when the planner lets the drop go from the page, by htmx
    answer = client.post(reverse("logistics-drop-pin", args=[drop.pk]), {}, HTTP_HX_REQUEST="true")
    # then the routes come back, the drop no longer pinned
    assert answer.status_code == 200 and 'id="plan-routes"' in answer.content.decode()
    drop.refresh_from_db()
    assert not drop.pinned
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("logistics-plan-day", args=[day.isoformat()])).content.decode()
    assert booking.order.number in page and "plan-make" not in page and "drop-actions" not in page


def test_a_day_that_is_not_a_date_is_not_found(planner, client):
    client.force_login(planner)
    assert client.get("/logistics/plans/2026-13-40/").status_code == 404
