from django.urls import path

from cerfa.api import views
from cerfa.api.api import api

# The documentation page first: it answers /api/v1/ itself, before ninja's root.
urlpatterns = [
    path("", views.documentation, name="api_documentation"),
    path("", api.urls),
]
