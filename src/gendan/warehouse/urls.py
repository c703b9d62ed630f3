from django.urls import path

from gendan.warehouse import views, views_pickup, views_reservations, views_returns
from gendan.warehouse import views_picking as picking

urlpatterns = [
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
