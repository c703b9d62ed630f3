"""Warehouses and locations are set up in the admin; stock is changed by the warehouse's
services only (the ledger), so the admin reads it."""

from django.contrib import admin

from gendan.audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from gendan.warehouse import models


@admin.register(models.Warehouse)
class WarehouseAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "address", "is_active"]
    search_fields = ["code", "name"]


@admin.register(models.Location)
class LocationAdmin(AuditedModelAdmin):
    list_display = ["warehouse", "code", "name", "kind", "is_active"]
    list_filter = ["warehouse", "kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(models.Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["product", "number", "produced_on", "grade", "on_hand", "reserved", "due_on"]
    list_filter = ["grade"]
    search_fields = ["number", "product__sku", "product__name"]


@admin.register(models.StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "batch", "from_location", "to_location", "quantity", "actor"]
    list_filter = ["kind"]
    search_fields = ["batch__number", "batch__product__sku", "document", "order__number"]
    date_hierarchy = "at"


for model in (
    models.StockLevel, models.GoodsReceipt, models.GoodsReceiptLine, models.Package,
    models.Reservation, models.SplitAgreement, models.Substitution, models.StockCount,
    models.StockCountLine, models.Pick, models.PickCheck, models.LoadingRun,
    models.LoadingRunOrder,
):  # fmt: skip
    admin.site.register(model, ReadOnlyAdmin)
