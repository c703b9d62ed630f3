from django.urls import path

from gendan.warehouse import (
    views,
    views_counts,
    views_pickup,
    views_receiving,
    views_reservations,
    views_returns,
    views_stock,
)
from gendan.warehouse import views_picking as picking

urlpatterns = [
    # Stock by product, batch and place, with the moves behind each figure; moves and
    # write-offs; low stock; stock counts and their approval.
    path("stock/", views_stock.stock_list, name="warehouse-stock"),
    path("stock/low/", views_stock.stock_low, name="warehouse-stock-low"),
    path("stock/products/<int:pk>/", views_stock.stock_product, name="warehouse-stock-product"),
    path("stock/batches/<int:pk>/", views_stock.stock_batch, name="warehouse-stock-batch"),
    path("stock/batches/<int:pk>/move/", views_stock.stock_batch_move, name="warehouse-stock-move"),
    path("counts/", views_counts.count_list_view, name="warehouse-counts"),
    path("counts/new/", views_counts.count_start, name="warehouse-count-start"),
    path("counts/<int:pk>/", views_counts.count_detail, name="warehouse-count"),
    path("counts/<int:pk>/lines/", views_counts.count_lines, name="warehouse-count-lines"),
    path("counts/<int:pk>/approve/", views_counts.count_approve, name="warehouse-count-approve"),
    path("counts/<int:pk>/reject/", views_counts.count_reject, name="warehouse-count-reject"),
    # Goods received by batch: the receipts, a new one (form or .xlsx), its labels.
    path("receipts/", views_receiving.receipt_list_view, name="warehouse-receipt-list"),
    path("receipts/new/", views_receiving.receipt_create_view, name="warehouse-receipt-create"),
    path("receipts/import/", views_receiving.receipt_import_view, name="warehouse-receipt-import"),
    path(
        "receipts/import/template.xlsx",
        views_receiving.receipt_import_template,
        name="warehouse-receipt-import-template",
    ),
    path("receipts/<int:pk>/", views_receiving.receipt_detail, name="warehouse-receipt-detail"),
    path(
        "receipts/<int:pk>/labels.pdf",
        views_receiving.receipt_labels,
        name="warehouse-receipt-labels",
    ),
    # The order page's warehouse part (an htmx partial): reservations, picking, stock.
    path("orders/<int:pk>/panel/", views.order_panel, name="warehouse-order-panel"),
    # O-58 for the clerk: what each product gets from one batch or what is short (an htmx
    # partial of the panel), and the customer's agreement to a split.
    path(
        "orders/<int:pk>/shortfalls/",
        views_reservations.order_shortfalls_panel,
        name="warehouse-order-shortfalls",
    ),
    path(
        "orders/<int:pk>/split-agreements/",
        views_reservations.split_agreement_record,
        name="warehouse-split-agreement",
    ),
    # O-18, O-58: the notes to prepare, what to pick by day, picking an order on a phone.
    path("work/", picking.work_list, name="warehouse-work"),
    path("picklist/", picking.work_picklist, name="warehouse-picklist"),
    path("orders/<int:pk>/pick/", picking.order_pick, name="warehouse-order-pick"),
    path("orders/<int:pk>/pick/scan/", picking.pick_scan, name="warehouse-pick-scan"),
    path("orders/<int:pk>/pick/quantity/", picking.pick_quantity, name="warehouse-pick-quantity"),
    path(
        "orders/<int:pk>/picks/<int:pick_pk>/undo/",
        picking.pick_undo_view,
        name="warehouse-pick-undo",
    ),
    path("orders/<int:pk>/pick/checks/", picking.pick_check, name="warehouse-pick-check"),
    # A return's grading form (O-62, O-63), inside the order page's booking-in form.
    path(
        "returns/<int:pk>/grading/", views_returns.return_grading, name="warehouse-return-grading"
    ),
    # O-61: a self-pickup's stock by batch before its note (an htmx partial), and the
    # customer's choice of a substitute.
    path("orders/<int:pk>/pickup/", views_pickup.pickup_panel, name="warehouse-pickup"),
    path(
        "orders/<int:pk>/substitutions/",
        views_pickup.pickup_substitution,
        name="warehouse-pickup-substitution",
    ),
]
