from django.contrib import admin

from gendan.logistics.models import DistrictZone, Driver, Truck


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
