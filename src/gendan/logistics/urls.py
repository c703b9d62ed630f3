"""The deliveries' pages: each part of the logistics app adds its own lines."""

from django.urls import path  # noqa: F401  (the parts add their paths below)

urlpatterns: list = []
