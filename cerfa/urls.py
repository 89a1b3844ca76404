from django.urls import include, path

from cerfa import views
from cerfa.stats import views as stats_views

urlpatterns = [
    path("", views.home, name="home"),
    path("contrat/", include("cerfa.wizard.urls")),
    path("lots/", include("cerfa.batch.urls")),
    path("api/v1/", include("cerfa.api.urls")),
    path("api/", include("cerfa.lookups.urls")),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("plan-du-site/", views.sitemap, name="sitemap"),
    path("sante/", views.health, name="health"),
    path("statistiques/", include("cerfa.stats.urls")),
    path("avis/", stats_views.survey, name="survey"),
]
