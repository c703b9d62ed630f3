from django.urls import path

from gendan.crm import views

urlpatterns = [
    path("", views.dashboard_view, name="crm-dashboard"),
    path("people/<slug:group>/", views.people, name="crm-people"),
    path("customers/", views.customers, name="crm-customers"),
    path("customers/<int:pk>/", views.care, name="crm-care"),
    path("tags/", views.tags, name="crm-tags"),
    path("act/", views.people_act, name="crm-people-act"),
    path("items/", views.items, name="crm-items"),
    path("profile/", views.profile_view, name="crm-profile"),
    path("loyal/", views.loyal, name="crm-loyal"),
    path("customers/<int:pk>/contact/", views.care_contact, name="crm-care-contact"),
    path("tags/rule/", views.tag_rule, name="crm-tag-rule-new"),
    path("tags/rule/preview/", views.tag_rule_preview, name="crm-tag-rule-preview"),
    path("tags/<int:pk>/rule/", views.tag_rule, name="crm-tag-rule"),
    path("tags/<int:pk>/evaluate/", views.tag_refresh_view, name="crm-tag-evaluate"),
    path("tags/<int:pk>/delete/", views.tag_delete_view, name="crm-tag-delete"),
    path("groups/", views.group_create_view, name="crm-group-create"),
    path("groups/<int:pk>/delete/", views.group_delete_view, name="crm-group-delete"),
    path("rfm/", views.rfm, name="crm-rfm"),
    path("rfm/preview/", views.rfm_preview, name="crm-rfm-preview"),
    path("rfm/people/", views.rfm_people_view, name="crm-rfm-people"),
]
