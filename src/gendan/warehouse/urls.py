from django.urls import path

from gendan.warehouse import views

urlpatterns = [
    # The order page's warehouse part (an htmx partial): reservations, picking, stock.
    path("orders/<int:pk>/panel/", views.order_panel, name="warehouse-order-panel"),
]
