"""The fleet's pages (issue 14 point 1): trucks and drivers listed, added and changed, a truck
taken out of use (confirmed); the zones of each city's districts (O-45), set and removed
(confirmed). Logistics edits; whoever sees deliveries reads."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of, service_errors_to_form
from gendan.logistics.forms_fleet import DriverForm, TruckForm, ZoneForm
from gendan.logistics.models import DistrictZone, Driver, Truck, ZoneKind
from gendan.logistics.selectors_fleet import (
    driver_get,
    driver_list,
    known_places,
    truck_get,
    truck_list,
    zone_get,
    zones_by_city,
)
from gendan.logistics.services.fleet import (
    driver_create,
    driver_update,
    truck_create,
    truck_update,
    zone_remove,
    zone_set,
)
from gendan.warehouse.models import Warehouse

TRUCK_SAVED = _("Truck %(plate)s saved.")
TRUCK_DEACTIVATED = _("Truck %(plate)s is out of use: it is planned no more.")
DRIVER_SAVED = _("Driver %(driver)s saved.")
ZONE_SAVED = _("%(city)s%(district)s: %(zone)s.")
ZONE_REMOVED = _("%(city)s%(district)s taken off the list.")


@permission("logistics.view_truck")
def truck_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "q", "warehouse", "active", "o")
    trucks = truck_list(
        search=params["q"], warehouse=params["warehouse"], active=params["active"],
        order=params["o"] or "plate",
    )  # fmt: skip
    context = {
        "page": page_of(request, trucks), "params": params,
        "warehouses": Warehouse.objects.order_by("code"),
    }  # fmt: skip
    return render(request, "logistics/fleet_trucks.html", context)


@permission("logistics.add_truck")
def truck_create_view(request: HttpRequest) -> HttpResponse:
    return truck_form(request, Truck())


@permission("logistics.change_truck")
def truck_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return truck_form(request, truck_get(pk))


def truck_form(request: HttpRequest, truck: Truck) -> HttpResponse:
    form = TruckForm(request.POST or None, instance=truck)
    if request.method == "POST" and form.is_valid():
        try:
            if truck.pk:
                truck = truck_update(actor=request.user, truck=truck, fields=form.cleaned_data)
            else:
                truck = truck_create(actor=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, TRUCK_SAVED % {"plate": truck.plate})
            return redirect("logistics-trucks")
    return render(request, "logistics/fleet_truck_form.html", {"form": form, "truck": truck})


@permission("logistics.change_truck")
@require_POST
def truck_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first; then the truck is out of use (kept, with its routes)."""
    truck = truck_get(pk)
    if request.POST.get("confirmed") != "yes":
        return render(request, "logistics/fleet_truck_deactivate.html", {"truck": truck})
    truck_update(actor=request.user, truck=truck, fields={"is_active": False})
    messages.success(request, TRUCK_DEACTIVATED % {"plate": truck.plate})
    return redirect("logistics-trucks")


@permission("logistics.view_driver")
def driver_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "q", "active", "o")
    drivers = driver_list(search=params["q"], active=params["active"], order=params["o"])
    context = {"page": page_of(request, drivers), "params": params}
    return render(request, "logistics/fleet_drivers.html", context)


@permission("logistics.add_driver")
def driver_create_view(request: HttpRequest) -> HttpResponse:
    return driver_form(request, Driver())


@permission("logistics.change_driver")
def driver_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return driver_form(request, driver_get(pk))


def driver_form(request: HttpRequest, driver: Driver) -> HttpResponse:
    form = DriverForm(request.POST or None, instance=driver)
    if request.method == "POST" and form.is_valid():
        try:
            if driver.pk:
                driver = driver_update(actor=request.user, driver=driver, fields=form.cleaned_data)
            else:
                driver = driver_create(actor=request.user, fields=form.cleaned_data)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, DRIVER_SAVED % {"driver": driver})
            return redirect("logistics-drivers")
    return render(request, "logistics/fleet_driver_form.html", {"form": form, "driver": driver})


@permission("logistics.view_districtzone")
def zone_list(request: HttpRequest, form: ZoneForm | None = None) -> HttpResponse:
    params = list_params(request, "city")
    cities, districts = known_places()
    context = {
        "cities": zones_by_city(city=params["city"]), "params": params,
        "form": form or ZoneForm(), "kinds": ZoneKind.choices,
        "known_cities": cities, "known_districts": districts,
    }  # fmt: skip
    return render(request, "logistics/fleet_zones.html", context, status=400 if form else 200)


@permission("logistics.add_districtzone")
@require_POST
def zone_set_view(request: HttpRequest) -> HttpResponse:
    """Lists a district in a zone, or moves it to another."""
    form = ZoneForm(request.POST)
    if not form.is_valid():
        return zone_list(request, form)
    try:
        zone = zone_set(actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        service_errors_to_form(form, error)
        return zone_list(request, form)
    names = {"city": zone.city, "district": zone.district, "zone": zone.get_kind_display()}
    messages.success(request, ZONE_SAVED % names)
    return redirect(f"{reverse('logistics-zones')}?{urlencode({'city': zone.city})}")


@permission("logistics.delete_districtzone")
@require_POST
def zone_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first, saying what the district then counts as; then takes it off the list."""
    zone = zone_get(pk)
    if request.POST.get("confirmed") != "yes":
        last = not DistrictZone.objects.filter(city=zone.city).exclude(pk=zone.pk).exists()
        context = {"zone": zone, "last": last}
        return render(request, "logistics/fleet_zone_remove.html", context)
    zone_remove(actor=request.user, zone=zone)
    names = {"city": zone.city, "district": zone.district}
    messages.success(request, ZONE_REMOVED % names)
    return redirect("logistics-zones")
