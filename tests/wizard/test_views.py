"""The wizard's pages through Django's test client: steps, navigation, downloads, erasing."""

import io
import json
import re

import pytest
from pypdf import PdfReader

from cerfa.store import get_store
from cerfa.wizard import storage
from cerfa.wizard.steps import BY_NAME, STEPS
from tests.wizard.conftest import (
    dossier_json,
    example_json,
    management,
    started_contract,
    upload,
    uploaded_contract,
)


def _text(response) -> str:
    return response.content.decode()


def test_home_says_what_it_does_and_offers_both_ways_in(client):
    response = client.get("/")
    html = _text(response)
    assert response.status_code == 200
    assert 'lang="fr"' in html
    # « Commencer » is a form (POST with its CSRF token), never a link a crawler follows.
    assert re.search(
        r'<form method="post" action="/contrat/nouveau/">\s*<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert 'href="/contrat/nouveau/"' not in html
    assert "Reprendre un brouillon" in html and 'type="file"' in html
    assert "Rien." in html and "employeurs" in html and "CFA" in html


def test_every_step_renders_with_its_stepper_and_no_store(client):
    base = uploaded_contract(client)
    # The example has no legal representative and no separate training place: those two
    # steps are skipped, and every other keeps its number among all eleven.
    skipped = ("representant-legal", "lieu-de-formation")
    for index, step in enumerate(STEPS, start=1):
        if step.name in skipped:
            continue
        response = client.get(base + step.name + "/")
        html = _text(response)
        assert response.status_code == 200, step.name
        assert "no-store" in response["Cache-Control"]
        assert f"Étape {index} sur {len(STEPS)}" in html, step.name
        assert 'class="fr-skiplinks"' in html
        assert "Terminer et effacer mes données" in html
        for name in skipped:
            number = [s.name for s in STEPS].index(name) + 1
            assert f"{number}. {BY_NAME[name].title} <span" in html
        assert html.count("(sans objet pour ce contrat)") == 2
    assert client.get(base + "representant-legal/").status_code in (302, 404)


def test_values_and_labels_are_shown_not_raw_codes(client):
    base = uploaded_contract(client)
    html = _text(client.get(base + "employeur/"))
    assert 'value="52147896600174"' in html
    assert '<option value="11" selected>Entreprise inscrite au répertoire des métiers' in html
    # A private employer is offered the private types only, and no unemployment question.
    assert 'value="22"' not in html
    assert "assurance chômage" not in html


def test_public_employer_gets_public_types_and_the_unemployment_question(client):
    base = started_contract(client)
    client.post(
        base + "contrat-en-bref/",
        {
            **management(base, "contrat-en-bref"),
            "employeur__prive_public": "public",
        },
    )
    html = _text(client.get(base + "employeur/"))
    assert '<option value="22">Commune</option>' in html
    assert 'value="11"' not in html
    assert "assurance chômage" in html


def test_avenant_asks_previous_contract_and_effective_date(client):
    base = started_contract(client)
    html = _text(client.get(base + "contrat/"))
    assert "Numéro du contrat précédent" not in html and "date d&#x27;effet" not in html
    client.post(
        base + "contrat-en-bref/",
        {
            **management(base, "contrat-en-bref"),
            "contrat__type_contrat": "33",
        },
    )
    html = _text(client.get(base + "contrat/"))
    assert "Numéro du contrat précédent ou du contrat sur lequel porte l&#x27;avenant" in html
    assert "Si avenant, date d&#x27;effet" in html


def test_minor_gets_the_legal_representative_step(client):
    base = started_contract(client)
    client.post(
        base + "contrat-en-bref/",
        {
            **management(base, "contrat-en-bref"),
            "contrat__date_conclusion": "2027-08-24",
        },
    )
    client.post(
        base + "apprenti/",
        {
            **management(base, "apprenti"),
            "apprenti__date_naissance": "2011-03-02",
        },
    )
    assert client.get(base + "representant-legal/").status_code == 200
    assert "Le représentant légal" in _text(client.get(base + "maitres/"))
    client.post(
        base + "apprenti/",
        {
            **management(base, "apprenti"),
            "apprenti__date_naissance": "2001-03-02",
        },
    )
    html = _text(client.get(base + "maitres/"))
    # Still in the summary, with its number, but no longer a step to go to.
    assert '4. Le représentant légal <span class="cerfa-sommaire__note">(sans objet' in html
    assert 'value="representant-legal"' not in html
    # The step no longer exists: its URL leads back to the first step.
    assert client.get(base + "representant-legal/").status_code == 302


def test_legal_representative_step_says_why_when_the_age_is_not_known(client):
    base = started_contract(client)
    unknown = _text(client.get(base + "representant-legal/"))
    assert "pas encore indiquée" in unknown
    assert "sera mineur(e) à la date de conclusion" not in unknown
    client.post(
        base + "contrat-en-bref/",
        {**management(base, "contrat-en-bref"), "contrat__date_conclusion": "2027-08-24"},
    )
    client.post(
        base + "apprenti/",
        {**management(base, "apprenti"), "apprenti__date_naissance": "2011-03-02"},
    )
    minor = _text(client.get(base + "representant-legal/"))
    assert "sera mineur(e) à la date de conclusion" in minor
    assert "pas encore indiquée" not in minor


def test_next_moves_on_and_an_unreadable_value_stops(client):
    base = started_contract(client)
    response = client.post(
        base + "contrat-en-bref/",
        {
            **management(base, "contrat-en-bref"),
            "contrat__mode_contractuel": "1",
        },
    )
    assert response.status_code == 302 and response.url.endswith("/employeur/")
    response = client.post(
        base + "contrat-en-bref/",
        {
            **management(base, "contrat-en-bref"),
            "contrat__date_fin": "2029-02-31",
            "contrat__mode_contractuel": "9",
        },
    )
    html = _text(response)
    assert response.status_code == 200
    assert "Certaines valeurs ne peuvent pas être lues" in html
    assert "Cette date n&#x27;existe pas" in html
    assert "pas dans la liste du CERFA" in html
    assert 'href="#champ-contrat__date_fin"' in html


def test_previous_keeps_what_was_typed_even_when_invalid(client):
    base = started_contract(client)
    client.post(base + "contrat-en-bref/", management(base, "contrat-en-bref"))
    response = client.post(
        base + "employeur/",
        {
            **management(base, "employeur"),
            "employeur__denomination": "Salon Élégance",
            "employeur__effectif": "six",  # unreadable, kept as typed
            "wizard_goto_step": "contrat-en-bref",
        },
    )
    assert response.status_code == 302 and response.url.endswith("/contrat-en-bref/")
    html = _text(client.get(base + "employeur/"))
    assert 'value="Salon Élégance"' in html
    assert 'value="six"' in html and "nombre entier" in html


def test_jump_from_the_summary_keeps_the_current_step(client):
    base = started_contract(client)
    response = client.post(
        base + "contrat-en-bref/",
        {
            **management(base, "contrat-en-bref"),
            "contrat__date_conclusion": "2027-08-24",
            "wizard_goto_step": "formation",
        },
    )
    assert response.url.endswith("/formation/")
    assert 'value="2027-08-24"' in _text(client.get(base + "contrat-en-bref/"))


def test_only_the_steps_own_fields_are_stored(client):
    base = started_contract(client)
    client.post(
        base + "contrat-en-bref/",
        {
            **management(base, "contrat-en-bref"),
            "contrat__mode_contractuel": "1",
            "something_else": "x",
        },
    )
    contrat_id = base.strip("/").split("/")[-1]
    key = storage.store_key(client_request(client), __import__("uuid").UUID(contrat_id))
    data = get_store().get(key)["step_data"]["contrat-en-bref"]
    assert data == {"contrat__mode_contractuel": ["1"]}


def client_request(client):
    """A stand-in request carrying the client's session, to compute store keys."""

    class R:
        session = client.session

    return R()


def test_two_contracts_in_one_session_stay_apart(client):
    first = started_contract(client)
    second = started_contract(client)
    assert first != second
    client.post(first + "apprenti/", {**management(first, "apprenti"), "apprenti__prenom": "Inès"})
    client.post(second + "apprenti/", {**management(second, "apprenti"), "apprenti__prenom": "Noé"})
    assert dossier_json(client, first)["apprenti"]["prenom"] == "Inès"
    assert dossier_json(client, second)["apprenti"]["prenom"] == "Noé"
    # A reload of a step URL lands on the same contract.
    assert 'value="Inès"' in _text(client.get(first + "apprenti/"))
    assert 'value="Noé"' in _text(client.get(second + "apprenti/"))


def test_a_contract_of_another_session_is_unknown(client, django_user_model=None):
    from django.test import Client

    base = uploaded_contract(client)
    stranger = Client()
    response = stranger.get(base + "apprenti/")
    assert response.status_code == 404
    assert "Moreau" not in _text(response)
    assert stranger.get(base + "dossier.json").status_code == 404
    assert stranger.get(base + "cerfa.pdf").status_code == 404


def test_review_summarises_every_section_with_labels_and_links(client):
    base = uploaded_contract(client)
    response = client.get(base + "recapitulatif/")
    html = _text(response)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    for name, title in (
        ("contrat-en-bref", "Le contrat en bref"),
        ("employeur", "L&#x27;employeur"),
        ("apprenti", "L&#x27;apprenti(e)"),
        ("formation", "La formation et le CFA"),
    ):
        assert title in html
        assert f'href="{base}{name}/"' in html
    assert "Entreprise inscrite au répertoire des métiers" in html  # type 11, as words
    assert "Brevet professionnel Coiffure" in html
    assert "14/05/2008" in html  # dates the French way
    assert "783,91 €" in html
    assert "Télécharger le CERFA rempli (PDF modifiable)" in html
    assert "Télécharger mes données (.json)" in html


def test_review_lists_findings_linked_to_their_fields(client):
    dossier = json.loads(example_json())
    dossier["employeur"]["siret"] = "52147896600175"  # wrong Luhn key
    dossier["apprenti"]["nationalite"] = "7"  # outside its table
    base = uploaded_contract(client, json.dumps(dossier).encode())
    html = _text(client.get(base + "recapitulatif/"))
    assert "Erreurs à corriger" in html
    assert f'href="{base}employeur/#champ-employeur__siret"' in html
    assert f'href="{base}apprenti/#champ-apprenti__nationalite"' in html
    # The step then shows the same finding next to its field.
    step = _text(client.get(base + "employeur/"))
    assert 'id="id_employeur__siret-findings"' in step


def test_review_names_the_remuneration_line_of_an_unreadable_value(client):
    base = uploaded_contract(client)
    client.post(
        base + "remuneration/",
        {
            **management(base, "remuneration"),
            "remuneration_2_1_du": "2028-02-31",
            "wizard_goto_step": "recapitulatif",
        },
    )
    html = _text(client.get(base + "recapitulatif/"))
    assert "« 2ème année, période 1 : Du » : Cette date n&#x27;existe pas" in html
    assert f'href="{base}remuneration/#champ-remuneration_2_1_du"' in html


def test_findings_come_as_a_points_a_verifier_pdf(client):
    dossier = json.loads(example_json())
    dossier["employeur"]["siret"] = "52147896600175"  # wrong Luhn key
    base = uploaded_contract(client, json.dumps(dossier).encode())
    html = _text(client.get(base + "recapitulatif/"))
    assert f'href="{base}points-a-verifier.pdf"' in html
    response = client.get(base + "points-a-verifier.pdf")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        'attachment; filename="cerfa-apprentissage-MOREAU-Ines-points-a-verifier.pdf"; '
        "filename*=UTF-8''cerfa-apprentissage-MOREAU-In%C3%A8s-points-a-verifier.pdf"
    )
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Apprenti : Inès Moreau" in text
    assert "employeur.siret" in text


def test_pdf_download_is_the_filled_cerfa(client):
    from tests.helpers import read_fields

    base = uploaded_contract(client)
    response = client.get(base + "cerfa.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        'attachment; filename="cerfa-apprentissage-MOREAU-Ines.pdf"; '
        "filename*=UTF-8''cerfa-apprentissage-MOREAU-In%C3%A8s.pdf"
    )
    values = read_fields(response.content)
    assert "52147896600174" in values.values()
    flat = client.get(base + "cerfa.pdf?version=aplatie")
    assert flat.status_code == 200
    # Its own name: downloading both keeps both.
    assert flat["Content-Disposition"] == (
        'attachment; filename="cerfa-apprentissage-MOREAU-Ines-non-modifiable.pdf"; '
        "filename*=UTF-8''cerfa-apprentissage-MOREAU-In%C3%A8s-non-modifiable.pdf"
    )
    assert not PdfReader(io.BytesIO(flat.content)).get_fields()
    assert "MOREAU" in PdfReader(io.BytesIO(flat.content)).pages[0].extract_text().upper()


def test_json_download_is_dossier_format_v1(client):
    base = uploaded_contract(client)
    response = client.get(base + "dossier.json")
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        'attachment; filename="cerfa-apprentissage-MOREAU-Ines.json"; '
        "filename*=UTF-8''cerfa-apprentissage-MOREAU-In%C3%A8s.json"
    )
    data = json.loads(response.content)
    assert data["format"] == "cerfa-fa13/1"
    original = json.loads(example_json())
    assert data["employeur"] == {
        **original["employeur"],
        "adresse": {**original["employeur"]["adresse"], "complement": None},
    }
    assert data["contrat"]["remunerations"] == original["contrat"]["remunerations"]


def test_the_longest_names_give_short_download_headers(client):
    """As long as their boxes allow, the apprentice's names give file names of 100
    characters at most: a header of a few hundred bytes, not of the whole name."""
    dossier = json.loads(example_json())
    dossier["apprenti"]["nom_naissance"] = "Lefèvre-" * 40  # 320 characters
    dossier["apprenti"]["prenom"] = "Éloïse" * 42
    base = uploaded_contract(client, json.dumps(dossier).encode())
    headers = [
        client.get(base + path)["Content-Disposition"]
        for path in (
            "cerfa.pdf",
            "cerfa.pdf?version=aplatie",
            "points-a-verifier.pdf",
            "dossier.json",
        )
    ]
    assert len(set(headers)) == 4
    for header in headers:
        # The accented name, percent-encoded, takes more bytes: still a few hundred.
        assert len(header.encode("latin-1")) < 600
        assert 'filename="cerfa-apprentissage-LEFEVRE-LEFEVRE' in header
        assert "filename*=UTF-8''cerfa-apprentissage-LEF%C3%88VRE-LEF%C3%88VRE" in header


def test_exported_json_uploaded_again_restores_every_field(client):
    base = uploaded_contract(client)
    exported = client.get(base + "dossier.json").content
    again = uploaded_contract(client, exported)
    assert again != base
    assert client.get(again + "dossier.json").content == exported


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not json at all", "pas du JSON valide"),
        (b"\xff\xfe\x00garbage", "pas un texte UTF-8"),
        (b"[1, 2, 3]", "doit être un objet JSON"),
        (b'{"format": "autre/9"}', "Format de dossier inconnu"),
        (b'{"apprenti": {"date_naissance": 20080514}}', "apprenti.date_naissance"),
        (b'{"employeur": {"type_employeur": 11}}', "zéros"),
        (b'{"maitres": {"0": {}}}', "doit être une liste"),
        (b"[" * 90_000 + b"]" * 90_000, "imbriqué"),
        (b"", "vide"),
        (b"{" + b" " * 300_000 + b"}", "trop gros"),
    ],
)
def test_bad_drafts_get_a_french_explanation_on_the_home_page(client, content, expected):
    response = upload(client, content)
    html = _text(response)
    assert response.status_code == 200
    assert "Reprendre un brouillon" in html
    assert 'class="fr-error-text" id="brouillon-erreur"' in html
    message = re.search(r'id="brouillon-erreur">(.*?)</p>', html, re.S).group(1)
    assert expected in message.replace("&#x27;", "'"), message
    assert storage.contract_ids(client_request(client)) == []


def test_upload_without_file(client):
    response = client.post("/contrat/reprendre/", {})
    assert "Aucun fichier reçu" in _text(response)


def test_upload_requires_the_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    file = io.BytesIO(example_json())
    file.name = "d.json"
    assert strict.post("/contrat/reprendre/", {"dossier": file}).status_code == 403


def test_unknown_keys_are_reported_after_upload(client):
    dossier = json.loads(example_json())
    dossier["apprenti"]["surnom"] = "Nénès"
    base = uploaded_contract(client, json.dumps(dossier).encode())
    html = _text(client.get(base + "recapitulatif/"))
    assert "apprenti.surnom" in html


def test_erase_deletes_the_contract_at_once(client):
    base = uploaded_contract(client)
    assert any(k for k in get_store().keys() if "cerfa:contrat" in k)
    response = client.post(base + "effacer/")
    assert response.status_code == 302 and response.url == "/"
    assert "ont été effacées" in _text(client.get("/"))
    for url in ("apprenti/", "recapitulatif/", "cerfa.pdf", "dossier.json"):
        page = client.get(base + url)
        assert page.status_code == 404
        assert "Moreau" not in _text(page)
    assert not any("cerfa:contrat" in k for k in get_store().keys())


def test_erasing_one_contract_keeps_the_other(client):
    first = uploaded_contract(client)
    second = uploaded_contract(client)
    client.post(first + "effacer/")
    assert client.get(first + "apprenti/").status_code == 404
    assert client.get(second + "apprenti/").status_code == 200


def test_erase_needs_post(client):
    base = uploaded_contract(client)
    # A GET only asks: the confirmation page, its POST form, nothing erased.
    html = _text(client.get(base + "effacer/"))
    assert "Effacer ce contrat ?" in html and 'method="post"' in html
    assert client.get(base + "apprenti/").status_code == 200


def test_wizard_masks_posted_values_in_error_reports(rf):
    from cerfa.sessions import SessionStore
    from cerfa.wizard import views

    request = rf.post("/contrat/x/apprenti/", {})
    request.session = SessionStore()
    contrat_id = storage.new_contract(request)
    request.POST = request.POST.copy()
    request.POST.update({"apprenti__nir": "secret", **management(f"/{contrat_id}/", "apprenti")})
    views.wizard_view(request, contrat_id=contrat_id, step="apprenti")
    assert request.sensitive_post_parameters == "__ALL__"


def test_unknown_step_name_redirects_to_the_first_step(client):
    base = started_contract(client)
    response = client.get(base + "nimporte-quoi/")
    assert response.status_code == 302 and response.url.endswith("/contrat-en-bref/")


def test_remuneration_step_offers_the_legal_grid_when_no_line_is_typed(client):
    dossier = json.loads(example_json())
    dossier["contrat"]["remunerations"] = []
    dossier["contrat"]["salaire_brut_embauche"] = None
    base = uploaded_contract(client, json.dumps(dossier).encode())
    html = _text(client.get(base + "remuneration/"))
    assert "Grille calculée au minimum légal" in html
    assert "Votre apprenti aura 21 ans le 14/05/2029" in html
    assert 'name="remuneration_1_1_taux" value="43"' in html
    assert 'name="remuneration_2_2_du" value="2029-06-01"' in html
    assert 'name="contrat__salaire_brut_embauche" value="783,91"' in html
    # Shown, not stored: the dossier has no line until the step is submitted.
    assert dossier_json(client, base)["contrat"]["remunerations"] == []


def test_remuneration_step_keeps_the_lines_the_user_typed(client):
    dossier = json.loads(example_json())
    dossier["contrat"]["remunerations"][0]["taux"] = 50
    base = uploaded_contract(client, json.dumps(dossier).encode())
    html = _text(client.get(base + "remuneration/"))
    assert "Grille calculée au minimum légal" not in html
    assert 'name="remuneration_1_1_taux" value="50"' in html
