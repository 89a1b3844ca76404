from django.urls import path

from cerfa.lookups import views

app_name = "lookups"

# The value looked up travels in the query string (``?value=``), never in the path: the
# access log and Django's request log write the path, and the value is what the user typed.
urlpatterns = [
    path("siret/", views.siret, name="siret"),
    path("communes/", views.communes, name="communes"),
    path("cfa/", views.cfa, name="cfa"),
    path("diplome/", views.diplome, name="diplome"),
    path("idcc/", views.idcc, name="idcc"),
]
