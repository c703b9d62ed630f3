from django.urls import path

from gendan.parties import views

urlpatterns = [
    path("", views.customer_list_view, name="customer-list"),
    path("new/", views.customer_create_view, name="customer-create"),
    path("<int:pk>/", views.customer_detail, name="customer-detail"),
    path("<int:pk>/edit/", views.customer_edit, name="customer-edit"),
]
