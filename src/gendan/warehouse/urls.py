from django.urls import path

from gendan.warehouse import views, views_returns

urlpatterns = [
    # The order page's warehouse part (an htmx partial): reservations, picking, stock.
    path("orders/<int:pk>/panel/", views.order_panel, name="warehouse-order-panel"),
    # A return's grading form (O-62, O-63), inside the order page's booking-in form.
    path(
        "returns/<int:pk>/grading/", views_returns.return_grading, name="warehouse-return-grading"
    ),
]
