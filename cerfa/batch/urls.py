"""The pages of « Plusieurs contrats » (``cerfa/batch/web.py``), under ``/lots/``."""

from django.urls import path, register_converter

from cerfa.batch import web


class HexId:
    """A batch's id: 32 hexadecimal digits (``uuid4().hex``)."""

    regex = "[0-9a-f]{32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(HexId, "hex")

app_name = "batch"

urlpatterns = [
    path("", web.start, name="start"),
    path("modele-lot-contrats.xlsx", web.model, name="model"),
    path("envoi/", web.upload_file, name="upload"),
    path("<hex:lot>/", web.table, name="table"),
    path("<hex:lot>/avancement/", web.progress, name="progress"),
    path("<hex:lot>/avancement.json", web.status, name="status"),
    path("<hex:lot>/lignes/<int:index>/corriger/", web.open_row, name="open"),
    path("<hex:lot>/lignes/<int:index>/retour/", web.back, name="back"),
    path("<hex:lot>/cerfa.zip", web.download_zip, name="zip"),
    path("<hex:lot>/points-a-verifier.xlsx", web.download_summary, name="summary"),
    path("<hex:lot>/effacer/", web.erase, name="erase"),
]
