from django.urls import path

from gendan.crm import views

urlpatterns = [
    path("", views.dashboard_view, name="crm-dashboard"),
    path("people/<slug:group>/", views.people, name="crm-people"),
    path("customers/", views.customers, name="crm-customers"),
    path("customers/<int:pk>/", views.care, name="crm-care"),
    path("tags/", views.tags, name="crm-tags"),
    path("tags/add/", views.tag_list_add, name="crm-tag-add"),
    path("rfm/", views.rfm, name="crm-rfm"),
    path("rfm/preview/", views.rfm_preview, name="crm-rfm-preview"),
    path("rfm/people/", views.rfm_people_view, name="crm-rfm-people"),
]
