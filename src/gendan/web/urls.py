from django.urls import path

from gendan.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("figures/<slug:figure>/<str:key>/", views.figure_orders_view, name="figure-orders"),
]
