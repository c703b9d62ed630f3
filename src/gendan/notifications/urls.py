from django.urls import path

from gendan.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("read/", views.notifications_read, name="notifications-read"),
]
