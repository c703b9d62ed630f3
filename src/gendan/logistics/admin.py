"""The fleet, the zones and the carriers can be set up in the admin too (audited); bookings,
plans, drops, failures and shipments are changed by the services only, so the admin reads them."""

from django.contrib import admin

from gendan.audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from gendan.logistics import models


@admin.register(models.DistrictZone)
class DistrictZoneAdmin(AuditedModelAdmin):
    list_display = ["city", "district", "kind"]
    list_filter = ["city", "kind"]


@admin.register(models.Driver)
class DriverAdmin(AuditedModelAdmin):
    list_display = ["user", "phone", "shift_start", "shift_end", "is_active"]


@admin.register(models.Truck)
class TruckAdmin(AuditedModelAdmin):
    list_display = ["plate", "name", "capacity_m2", "capacity_kg", "warehouse", "driver"]


@admin.register(models.Carrier)
class CarrierAdmin(AuditedModelAdmin):
    list_display = ["name", "contact", "phone", "is_active"]


@admin.register(models.Booking)
class BookingAdmin(ReadOnlyAdmin):
    """A booking is made, replaced and ended by the services (O-41, O-42)."""

    list_display = ["order", "first_day", "last_day", "told_to", "with_installers", "state"]
    list_filter = ["state", "with_installers"]
    search_fields = ["order__number", "told_to"]


for model in (
    models.RoutePlan, models.TruckRoute, models.Drop, models.FailedDelivery,
    models.CarrierShipment, models.CarrierStatusChange,
):  # fmt: skip
    admin.site.register(model, ReadOnlyAdmin)
