from django.contrib import admin

from gendan.logistics.models import Booking, Carrier, DistrictZone, Driver, Truck


@admin.register(DistrictZone)
class DistrictZoneAdmin(admin.ModelAdmin):
    list_display = ["city", "district", "kind"]
    list_filter = ["city", "kind"]


@admin.register(Driver)
class DriverAdmin(admin.ModelAdmin):
    list_display = ["user", "phone", "shift_start", "shift_end", "is_active"]


@admin.register(Truck)
class TruckAdmin(admin.ModelAdmin):
    list_display = ["plate", "name", "capacity_m2", "capacity_kg", "warehouse", "driver"]


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "phone", "is_active"]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read only: a booking is made, replaced and ended by the services (O-41, O-42)."""

    list_display = ["order", "first_day", "last_day", "told_to", "with_installers", "state"]
    list_filter = ["state", "with_installers"]
    search_fields = ["order__number", "told_to"]
    readonly_fields = [field.name for field in Booking._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
