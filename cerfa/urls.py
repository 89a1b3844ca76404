from django.urls import path

from cerfa import views

urlpatterns = [
    path("", views.home, name="home"),
]
