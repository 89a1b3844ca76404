from django.urls import path

from cerfa.lookups import views

app_name = "lookups"

urlpatterns = [
    path("siret/<str:value>/", views.siret, name="siret"),
    path("communes/<str:value>/", views.communes, name="communes"),
    path("cfa/<str:value>/", views.cfa, name="cfa"),
    path("diplome/<str:value>/", views.diplome, name="diplome"),
    path("idcc/<str:value>/", views.idcc, name="idcc"),
]
