"""Each counter moves on its path, through the Django client, and only there."""

from __future__ import annotations

import io
import json

import pytest

from cerfa.stats.names import CERFA_KINDS
from cerfa.stats.quality import bucket, filled_share
from cerfa.wizard.steps import STEPS
from rules.dossier import Dossier
from tests.helpers import EXAMPLE
from tests.stats.conftest import totals

pytestmark = pytest.mark.django_db


def upload(client, content: bytes):
    file = io.BytesIO(content)
    file.name = "dossier.json"
    return client.post("/contrat/reprendre/", {"dossier": file})


def resumed(client) -> str:
    response = upload(client, EXAMPLE.read_bytes())
    assert response.status_code == 302
    return response.url.rsplit("/", 2)[0] + "/"


def test_home_page_counts_its_views_but_not_its_error_pages(client):
    client.get("/")
    client.get("/")
    assert totals() == {"accueil": 2}
    upload(client, b"{pas du json")  # the home page again, with the upload's error
    assert totals() == {"accueil": 2}


def test_starting_counts_a_contract_and_its_first_step(client):
    response = client.post("/contrat/nouveau/")
    assert response.status_code == 302
    client.get(response.url)
    assert totals() == {"contrat.commence": 1, f"etape.{STEPS[0].name}": 1}
    client.get("/contrat/nouveau/")  # a GET creates nothing, counts nothing
    assert totals() == {"contrat.commence": 1, f"etape.{STEPS[0].name}": 1}


def test_a_resumed_draft_counts_once_and_the_review_is_reached(client):
    base = resumed(client)
    client.get(base + "recapitulatif/")
    assert totals() == {"contrat.repris": 1, "etape.recapitulatif": 1}
    # A broken draft resumes nothing.
    upload(client, b'{"version": 1, "apprenti": 3}')
    assert totals()["contrat.repris"] == 1


def test_each_step_reached_counts_and_a_posted_step_does_not(client):
    base = resumed(client)
    contrat_hex = base.strip("/").split("/")[-1].replace("-", "")
    client.get(base + "employeur/")
    client.get(base + "employeur/")
    # The step posted back with an error is shown again: not « reached » again.
    client.post(
        base + "employeur/",
        {f"contrat_{contrat_hex}-current_step": "employeur", "employeur.siret": "123"},
    )
    # Nor is a live check.
    client.post(
        base + "employeur/",
        {f"contrat_{contrat_hex}-current_step": "employeur", "cerfa_verification": "1"},
    )
    assert totals()["etape.employeur"] == 2


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("cerfa.pdf", "pdf"),
        ("cerfa.pdf?version=aplatie", "pdf_aplati"),
        ("points-a-verifier.pdf", "points"),
        ("dossier.json", "json"),
        ("calendrier.ics", "ics"),
        ("echange-opco.json", "opco"),
        ("dossier-complet.zip", "zip"),
        ("convention.pdf", "convention"),
        ("et-maintenant.pdf", "guide"),
    ],
)
def test_each_download_counts_by_kind(client, path, kind):
    base = resumed(client)
    before = totals()
    assert client.get(base + path).status_code == 200
    after = totals()
    assert after[f"telechargement.{kind}"] == 1
    moved = {name for name in after if after[name] != before.get(name)}
    if kind in CERFA_KINDS:
        # The CERFA's quality bucket and the codes of its findings, nothing else.
        share = filled_share(
            Dossier.from_json(EXAMPLE.read_bytes()), []
        )  # no error: every expected box counts
        assert share == 1
        quality = {name for name in moved if name.startswith("qualite.")}
        assert quality == {f"qualite.{bucket(share)}"} == {"qualite.80-100"}
        assert moved - quality - {f"telechargement.{kind}"} == {
            name for name in moved if name.startswith("constat.")
        }
    else:
        assert moved == {f"telechargement.{kind}"}


def test_a_download_of_an_unknown_contract_counts_nothing(client):
    client.get("/contrat/00000000-0000-4000-8000-000000000000/cerfa.pdf")
    assert totals() == {}


def test_finding_codes_are_counted_once_per_download(client):
    content = json.loads(EXAMPLE.read_bytes())
    content["employeur"]["siret"] = "12345678901234"  # a wrong key
    response = upload(client, json.dumps(content).encode())
    base = response.url.rsplit("/", 2)[0] + "/"
    client.get(base + "cerfa.pdf")
    client.get(base + "cerfa.pdf")
    counted = totals()
    assert counted["telechargement.pdf"] == 2
    siret_codes = [name for name in counted if name.startswith("constat.employeur.siret")]
    assert siret_codes and all(counted[name] == 2 for name in siret_codes)


def test_lookups_count_answered_or_unavailable_per_api(client, online):
    from tests.helpers import LOOKUP_URLS

    online.get(
        LOOKUP_URLS["cdtn"] + "/api/idcc/1486",
        json={"id": "1486", "num": 1486, "shortTitle": "Bureaux d'études techniques"},
    )
    client.get("/api/idcc/?value=1486")
    client.get("/api/siret/?value=12")  # invalid: nothing asked of the API, nothing counted
    counted = totals()
    assert set(counted) == {"recherche.idcc.repondue"}


def test_lookups_switched_off_count_as_unavailable(client):
    client.get("/api/communes/?value=69003")  # answered by La Poste's table
    client.get("/api/cfa/?value=0751234J")
    assert totals() == {"recherche.communes.indisponible": 1, "recherche.cfa.indisponible": 1}


def test_a_batch_counts_once_with_its_size_bucket_and_its_downloads(client):
    from tests.test_batch_web import FIXTURES as BATCH_FIXTURES
    from tests.test_batch_web import _drafts_zip, _uploaded

    table = _uploaded(client, _drafts_zip(), "brouillons.zip")
    counted = totals()
    size = len(BATCH_FIXTURES)  # the drafts; the broken member is no contract
    bucket = "1" if size == 1 else "2-10"
    assert counted["lot.execute"] == 1 and counted[f"lot.taille.{bucket}"] == 1
    assert client.get(table + "cerfa.zip").status_code == 200
    b"".join(client.get(table + "cerfa.zip").streaming_content)
    assert client.get(table + "points-a-verifier.xlsx").status_code == 200
    counted = totals()
    assert counted["telechargement.lot"] == 2 and counted["telechargement.lot_points"] == 1


def test_an_avenant_a_next_contract_and_a_hand_over_are_counted(client):
    base = resumed(client)
    file = io.BytesIO(EXAMPLE.read_bytes())
    file.name = "contrat.json"
    avenant = client.post(
        "/contrat/avenant/",
        {
            "dossier": file,
            "type_avenant": "33",
            "numero": "069202709000123",
            "date_effet": "2029-09-01",
            "date_fin": "2030-08-31",
        },
    )
    assert avenant.status_code == 302
    assert client.post(base + "nouveau-contrat/", {"suite_motif": "rupture"}).status_code == 302
    assert client.get(base + "transmettre/employeur.json").status_code == 200
    counted = totals()
    assert counted["contrat.avenant"] == 1 and counted["contrat.suivant"] == 1
    assert counted["telechargement.transmission"] == 1


def test_the_api_counts_its_calls_and_its_cerfas_quality(client):
    for path in ("/api/v1/check", "/api/v1/complete?hors_ligne=1", "/api/v1/fill"):
        response = client.post(path, EXAMPLE.read_bytes(), content_type="application/json")
        assert response.status_code == 200
    client.post("/api/v1/check", b"{", content_type="application/json")  # refused: not counted
    counted = totals()
    assert {name: counted[name] for name in counted if name.startswith("api.")} == {
        "api.verification": 1,
        "api.completion": 1,
        "api.remplissage": 1,
    }
    assert counted["telechargement.api"] == 1 and counted["qualite.80-100"] == 1
