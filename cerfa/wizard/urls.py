from django.urls import path

from cerfa.wizard import avenant, continuation, views

app_name = "wizard"

urlpatterns = [
    path("nouveau/", views.start, name="start"),
    path("reprendre/", views.resume, name="resume"),
    path("avenant/", avenant.start, name="avenant"),
    path("<uuid:contrat_id>/avenant/grille/", avenant.regrid, name="avenant_regrid"),
    path("<uuid:contrat_id>/nouveau-contrat/", continuation.new_from, name="next"),
    path(
        "<uuid:contrat_id>/transmettre/<slug:to>.json",
        continuation.download_handover,
        name="handover",
    ),
    path(
        "<uuid:contrat_id>/transmettre/<slug:to>.pdf",
        continuation.download_handover,
        {"kind": "pdf"},
        name="handover_pdf",
    ),
    path("<uuid:contrat_id>/cerfa.pdf", views.download_pdf, name="pdf"),
    path("<uuid:contrat_id>/dossier.json", views.download_json, name="json"),
    path("<uuid:contrat_id>/calendrier.ics", views.download_calendar, name="calendar"),
    path("<uuid:contrat_id>/points-a-verifier.pdf", views.download_findings, name="findings_pdf"),
    path("<uuid:contrat_id>/echange-opco.json", views.download_opco, name="opco"),
    path("<uuid:contrat_id>/dossier-complet.zip", views.download_bundle, name="bundle"),
    path("<uuid:contrat_id>/convention.pdf", views.download_convention, name="convention"),
    path("<uuid:contrat_id>/et-maintenant.pdf", views.download_guide, name="guide"),
    path("<uuid:contrat_id>/effacer/", views.erase, name="erase"),
    path("<uuid:contrat_id>/", views.wizard_view, name="contract"),
    path("<uuid:contrat_id>/<slug:step>/", views.wizard_view, name="step"),
]
