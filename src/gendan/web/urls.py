from django.urls import path

from gendan.web import views

urlpatterns = [path("", views.home, name="home")]
