from django.urls import include, path

from cerfa import views

urlpatterns = [
    path("", views.home, name="home"),
    path("contrat/", include("cerfa.wizard.urls")),
    path("api/", include("cerfa.lookups.urls")),
]
