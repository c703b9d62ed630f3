from django.urls import path

from gendan.catalog import views

urlpatterns = [
    path("products/", views.product_list_view, name="product-list"),
    path("products/new/", views.product_create_view, name="product-create"),
    path("products/<int:pk>/", views.product_detail, name="product-detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product-edit"),
    path("products/<int:pk>/price/", views.product_price, name="product-price"),
    path("price-lists/", views.price_list_list_view, name="price-list-list"),
    path("price-lists/new/", views.price_list_create_view, name="price-list-create"),
    path("price-lists/<int:pk>/", views.price_list_detail, name="price-list-detail"),
    path("price-lists/<int:pk>/edit/", views.price_list_edit, name="price-list-edit"),
    path(
        "customers/<int:pk>/price-lists/",
        views.customer_price_lists,
        name="customer-price-lists",
    ),
]
