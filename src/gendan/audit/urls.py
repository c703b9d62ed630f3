from django.urls import path

from gendan.audit import views

urlpatterns = [path("", views.audit_list, name="audit-list")]
