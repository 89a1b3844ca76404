"""Issue 11 through Django's test client: the CFA ↔ employer hand-over, avenants, and a
new contract from this one."""

from __future__ import annotations

import io
import json
import re

from rules.dossier import Dossier
from tests.helpers import EXAMPLE
from tests.wizard.conftest import dossier_json, management, upload, uploaded_contract

NUMERO = "069202709000123"


def _text(response) -> str:
    return response.content.decode()


def _example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def cfa_part() -> dict:
    """What a CFA fills: the contract's dates, the training and the CFA."""
    data = _example()
    return {
        "format": data["format"],
        "contrat": {
            k: data["contrat"][k]
            for k in ("date_conclusion", "date_debut_execution", "date_fin", "type_contrat")
        },
        "formation": data["formation"],
    }


# -- hand-over ---------------------------------------------------------------------------


def test_the_cfa_file_for_the_employer_records_what_the_cfa_prepared(client):
    base = uploaded_contract(client, json.dumps(cfa_part()).encode())
    review = _text(client.get(base + "recapitulatif/"))
    assert "À transmettre à l&#x27;employeur" in review or "À transmettre à l’employeur" in review
    response = client.get(base + "transmettre/employeur.json")
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    assert "pour-l-employeur" in response["Content-Disposition"]
    data = json.loads(response.content)
    [entry] = data["preparation"]
    assert entry["par"] == "cfa"
    assert "formation.cfa.siret" in entry["champs"]
    assert not any(p.startswith("employeur.") for p in entry["champs"])
    # The file is still a dossier of format v1.
    assert Dossier.from_dict({k: v for k, v in data.items() if k != "preparation"}).formation


def test_the_employer_opening_it_sees_what_was_prepared_and_what_remains(client):
    base = uploaded_contract(client, json.dumps(cfa_part()).encode())
    handed = client.get(base + "transmettre/employeur.json").content
    client.cookies.clear()  # another browser: nothing shared but the file
    employer = uploaded_contract(client, handed)
    formation = _text(client.get(employer + "formation/"))
    assert "Préparé par le CFA" in formation
    assert "Dénomination du CFA" in formation or "dénomination" in formation.lower()
    assert "Rien ne reste à remplir dans cette section." in formation
    employeur = _text(client.get(employer + "employeur/"))
    assert "Rien n’a été préparé dans cette section." in employeur
    assert "Reste à remplir" in employeur and "SIRET" in employeur
    review = _text(client.get(employer + "recapitulatif/"))
    assert "Préparé par le CFA" in review
    assert "Complet" in review and "Reste à remplir" in review
    # Unknown key? No: the record is read, not reported as a key the format ignores.
    assert "preparation" not in review


def test_the_employer_hands_it_back_and_both_parts_are_named(client):
    base = uploaded_contract(client, json.dumps(cfa_part()).encode())
    handed = json.loads(client.get(base + "transmettre/employeur.json").content)
    full = _example()
    full["preparation"] = handed["preparation"]
    client.cookies.clear()
    employer = uploaded_contract(client, json.dumps(full).encode())
    back = json.loads(client.get(employer + "transmettre/cfa.json").content)
    assert [e["par"] for e in back["preparation"]] == ["cfa", "employeur"]
    assert "employeur.siret" in back["preparation"][1]["champs"]


def test_the_pdf_for_the_employer_carries_the_record_in_its_embedded_dossier(client):
    base = uploaded_contract(client, json.dumps(cfa_part()).encode())
    response = client.get(base + "transmettre/employeur.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "pour-l-employeur.pdf" in response["Content-Disposition"]
    formation = dossier_json(client, base)["formation"]
    client.cookies.clear()
    employer = uploaded_contract(client, response.content)
    assert "Préparé par le CFA" in _text(client.get(employer + "formation/"))
    assert dossier_json(client, employer)["formation"] == formation
    back = json.loads(client.get(employer + "transmettre/cfa.json").content)
    assert [e["par"] for e in back["preparation"]] == ["cfa"]  # the employer added nothing


def test_our_ordinary_pdf_is_no_handover(client):
    base = uploaded_contract(client)
    pdf = client.get(base + "cerfa.pdf").content
    again = uploaded_contract(client, pdf)
    assert "Préparé par" not in _text(client.get(again + "formation/"))


def test_a_malformed_record_is_refused_with_a_french_message(client):
    data = cfa_part()
    data["preparation"] = [{"par": "opco", "champs": []}]
    response = upload(client, json.dumps(data).encode())
    assert response.status_code == 200
    assert "« par » doit valoir « cfa » ou « employeur »" in _text(response)


def test_handover_of_an_unknown_direction_or_contract(client):
    base = uploaded_contract(client)
    assert client.get(base + "transmettre/opco.json").status_code == 404
    other = "/contrat/00000000-0000-4000-8000-000000000000/transmettre/cfa.json"
    assert client.get(other).status_code == 404


def test_a_draft_without_record_shows_no_handover_notice(client):
    base = uploaded_contract(client)
    assert "Préparé par" not in _text(client.get(base + "formation/"))


# -- avenant -----------------------------------------------------------------------------


def post_avenant(client, content: bytes | None = None, **fields):
    file = io.BytesIO(content if content is not None else EXAMPLE.read_bytes())
    file.name = "contrat.json"
    data = {"dossier": file, **fields}
    return client.post("/contrat/avenant/", data)


def test_home_links_to_the_avenant_page_which_explains_each_type(client):
    assert 'href="/contrat/avenant/"' in _text(client.get("/"))
    page = _text(client.get("/contrat/avenant/"))
    for code in range(31, 39):
        assert f"Avenant {code}" in page
    assert "décision de prise en charge" in page  # where to find the number (FAQ Atlas)


def test_avenant_33_opens_prefilled_marked_and_lists_the_differences(client):
    response = post_avenant(
        client,
        type_avenant="33",
        numero=NUMERO,
        date_effet="2029-09-01",
        date_fin="2030-08-31",
    )
    assert response.status_code == 302, _text(response)[:2000]
    base = re.match(r"^(/contrat/[0-9a-f-]{36}/)", response.url).group(1)
    assert response.url.endswith("/contrat-en-bref/")  # the first step concerned
    # It opens with its values in their boxes (not blank as a first visit would be).
    assert 'value="2030-08-31"' in _text(client.get(response.url))
    data = dossier_json(client, base)
    c = data["contrat"]
    assert (c["type_contrat"], c["numero_contrat_precedent"], c["date_effet_avenant"]) == (
        "33",
        NUMERO,
        "2029-09-01",
    )
    assert c["date_fin"] == "2030-08-31"
    assert [line["du"] for line in c["remunerations"]][-1] == "2029-09-01"
    assert c["remunerations"][-1]["taux"] >= c["remunerations"][-2]["taux"]
    page = _text(client.get(base + "remuneration/"))
    assert page.count("À modifier") >= 2  # the step's notice and its place in the summary
    employeur = _text(client.get(base + "employeur/"))
    assert "Cette section est concernée" not in employeur
    review = _text(client.get(base + "recapitulatif/"))
    assert "Ce que l’avenant 33 modifie" in review
    table = review[review.index('id="avenant-differences"') :]
    table = table[: table.index("</table>")]
    assert "Type de contrat ou d&#x27;avenant" in table or "Type de contrat" in table
    assert "31 août 2030" in table or "31/08/2030" in table
    assert "Rémunération, 3ème année, période 1 : taux" in table
    # The rules of the registry about avenants do not find anything missing here.
    assert "Pour un avenant, indiquez" not in review


def test_avenant_from_the_contract_pdf(client):
    base = uploaded_contract(client)
    pdf = client.get(base + "cerfa.pdf").content
    response = post_avenant(client, pdf, type_avenant="37", numero=NUMERO, date_effet="2028-01-01")
    assert response.status_code == 302, _text(response)[:2000]
    assert response.url.endswith("/employeur/")
    avenant = re.match(r"^(/contrat/[0-9a-f-]{36}/)", response.url).group(1)
    data = dossier_json(client, avenant)
    assert data["contrat"]["type_contrat"] == "37"
    assert data["apprenti"] == dossier_json(client, base)["apprenti"]


def test_avenant_rules_refuse_a_bad_number_and_a_date_outside_the_contract(client):
    response = post_avenant(client, type_avenant="36", numero="12345", date_effet="2031-01-01")
    assert response.status_code == 400
    page = _text(response)
    assert "15 caractères" in page
    assert "après la fin du contrat" in page
    assert "Déposez le fichier à nouveau" in page


def test_avenant_needs_a_file_and_a_type(client):
    response = client.post("/contrat/avenant/", {"numero": NUMERO, "date_effet": "2028-01-01"})
    assert response.status_code == 400
    page = _text(response)
    assert "Aucun fichier reçu" in page
    assert "Choisissez ce que l&#x27;avenant modifie." in page


def test_a_prolongation_must_end_after_the_contract(client):
    response = post_avenant(
        client, type_avenant="33", numero=NUMERO, date_effet="2029-06-01", date_fin="2029-08-31"
    )
    assert response.status_code == 400
    assert "Une prolongation finit après la fin actuelle du contrat" in _text(response)


def test_regrid_after_the_end_date_changed(client):
    response = post_avenant(client, type_avenant="36", numero=NUMERO, date_effet="2028-03-01")
    base = re.match(r"^(/contrat/[0-9a-f-]{36}/)", response.url).group(1)
    before = dossier_json(client, base)["contrat"]["remunerations"]
    step = {
        **management(base, "contrat-en-bref"),
        **{name: values[0] for name, values in _step_data(client, base, "contrat-en-bref").items()},
        "contrat__date_fin": "2029-02-28",
    }
    assert client.post(base + "contrat-en-bref/", step).status_code == 302
    assert client.post(base + "avenant/grille/").status_code == 302
    after = dossier_json(client, base)["contrat"]["remunerations"]
    assert after != before
    assert after[-1]["au"] == "2029-02-28"
    assert after[0] == before[0]  # before the date d'effet: as contracted


def _step_data(client, base: str, step: str) -> dict:
    from cerfa.wizard import convert

    dossier = Dossier.from_dict(dossier_json(client, base))
    return convert.step_data_from(dossier)[step]


# -- next contract -----------------------------------------------------------------------


def test_new_contract_from_this_one_keeps_the_apprentice_and_leaves_the_old_untouched(client):
    base = uploaded_contract(client)
    before = dossier_json(client, base)
    review = _text(client.get(base + "recapitulatif/"))
    assert "Nouveau contrat à partir de celui-ci" in review
    response = client.post(base + "nouveau-contrat/", {"suite_motif": "rupture"})
    assert response.status_code == 302
    new = re.match(r"^(/contrat/[0-9a-f-]{36}/)", response.url).group(1)
    assert new != base
    assert dossier_json(client, base) == before
    data = dossier_json(client, new)
    assert data["apprenti"]["nir"] == before["apprenti"]["nir"]
    assert data["apprenti"]["situation_avant_contrat"] == "8"
    assert data["apprenti"]["dernier_diplome_prepare"] == before["formation"]["diplome_vise"]
    assert data["contrat"]["type_contrat"] == "23"
    assert data["contrat"]["date_debut_execution"] is None
    assert data["employeur"]["siret"] is None
    assert data["contrat"]["remunerations"] == []
    page = _text(client.get(response.url))
    assert "Nouveau contrat pour le même apprenti" in page
    assert re.search(r'value="23"[^>]*selected', page)  # the first step shows its values


def test_new_contract_needs_a_reason(client):
    base = uploaded_contract(client)
    response = client.post(base + "nouveau-contrat/", {"suite_motif": "autre"})
    assert response.status_code == 302 and response.url.endswith("/recapitulatif/")
    assert client.get(base + "nouveau-contrat/").status_code == 405


def test_the_pages_taking_a_contract_pdf_have_the_server_cap_of_a_pdf():
    from cerfa.asgi import application
    from cerfa.wizard import upload
    from cerfa.wizard.continuation import FORM_MARGIN

    guard = application.app  # inside the statistics' shutdown wrapper (cerfa/stats/asgi.py)
    caps = {route.prefix: route.max_body for route in guard.routes}
    for path in ("/contrat/reprendre/", "/contrat/avenant/"):
        assert caps[path] == upload.MAX_PDF_BYTES + FORM_MARGIN
