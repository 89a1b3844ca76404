from django.urls import path

from cerfa.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("donnees.csv", views.statistics_csv, name="csv"),
]
