"""Teach while typing: the live check, the stop before leaving a step, the same findings
everywhere, the help beside each field, erasing with a confirmation."""

import html as html_lib
import io
import json
import re

import pytest
from django.core.management import call_command

from cerfa import clients
from cerfa.wizard import convert
from cerfa.wizard.forms import NIVEAU_DIPLOME_MAITRE_CHOICES
from cerfa.wizard.steps import BY_NAME, STEPS
from rules import codes
from tests.helpers import raw
from tests.wizard.conftest import dossier_json, management, uploaded_contract

BAD_SIRET = "52147896600175"  # the example's SIRET with a wrong key


def _text(response) -> str:
    return response.content.decode()


def _plain(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _dossier(client, base):
    from rules.dossier import Dossier

    return Dossier.from_dict(dossier_json(client, base))


def _employeur_data(client, base, **changes) -> dict:
    """The employer step as the page would post it: its stored values, changed."""
    stored = convert.step_data_from(_dossier(client, base)).get("employeur", {})
    return {**{name: values[0] for name, values in stored.items()}, **changes}


def live(client, base, step, data):
    return client.post(
        base + step + "/", {**management(base, step), **data, "cerfa_verification": "1"}
    )


@pytest.fixture(autouse=True)
def _fresh_limits():
    clients.reset_creation_limiter()
    yield
    clients.reset_creation_limiter()


def test_live_check_shows_a_bad_siret_key_beside_its_field_and_stores_nothing(client):
    base = uploaded_contract(client)
    response = live(
        client, base, "employeur", _employeur_data(client, base, employeur__siret=BAD_SIRET)
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "no-store" in response["Cache-Control"]
    answer = json.loads(response.content)
    siret = answer["fields"]["employeur__siret"]
    assert 'id="id_employeur__siret-findings"' in siret
    assert "Erreur :" in siret and "clé" in _plain(siret).lower()
    # Every field of the step gets its container back, empty when nothing is found.
    assert set(answer["fields"]) == set(BY_NAME["employeur"].form(context=None).fields)
    assert answer["fields"]["employeur__denomination"].count("<li") == 0
    assert "N° SIRET" in _plain(answer["summary"])
    # Nothing was stored: the contract still has its right SIRET.
    assert dossier_json(client, base)["employeur"]["siret"] == "52147896600174"


def test_live_check_reports_an_unreadable_value_of_the_step(client):
    base = uploaded_contract(client)
    response = live(client, base, "contrat-en-bref", {"contrat__date_fin": "2029-02-31"})
    answer = json.loads(response.content)
    assert "Cette date n'existe pas" in _plain(answer["fields"]["contrat__date_fin"])


def test_live_check_refuses_the_review_and_unknown_steps(client):
    base = uploaded_contract(client)
    assert live(client, base, "recapitulatif", {}).status_code == 400
    response = client.post(
        base + "employeur/",
        {**management(base, "pas-une-etape"), "cerfa_verification": "1"},
    )
    assert response.status_code == 400


def test_live_checks_are_limited_per_session(client, settings):
    settings.CERFA_LIVE_CHECKS_BURST = 3
    settings.CERFA_LIVE_CHECKS_PER_MINUTE = 1
    clients.reset_creation_limiter()
    base = uploaded_contract(client)
    statuses = [live(client, base, "employeur", {}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = live(client, base, "employeur", {})
    assert int(refused["Retry-After"]) >= 1
    # The page itself is never refused: « Suivant » checks instead.
    assert client.get(base + "employeur/").status_code == 200


def test_next_with_an_error_shows_the_step_once_then_continue_moves_on(client):
    base = uploaded_contract(client)
    data = _employeur_data(client, base, employeur__siret=BAD_SIRET)
    response = client.post(
        base + "employeur/", {**management(base, "employeur", stop_on_errors=True), **data}
    )
    page = _text(response)
    assert response.status_code == 200
    assert re.search(r"<title>Erreur : L(&#x27;|')employeur — étape 2 sur 11", page)
    summary = re.search(r'<div class="fr-alert[^"]*" role="alert" id="resume-etape"[^>]*>', page)
    assert summary and "autofocus" in summary.group(0) and 'tabindex="-1"' in summary.group(0)
    assert "Continuer malgré tout" in page
    assert 'href="#champ-employeur__siret"' in page
    # What was typed is kept: stored, and shown in its box.
    assert dossier_json(client, base)["employeur"]["siret"] == BAD_SIRET
    assert f'value="{BAD_SIRET}"' in page
    seen = re.search(r'name="cerfa_erreurs_vues" value="([0-9a-f]+)"', page).group(1)

    # « Continuer malgré tout » moves on.
    response = client.post(
        base + "employeur/",
        {**management(base, "employeur", stop_on_errors=True), **data, "cerfa_continuer": "1"},
    )
    assert response.status_code == 302 and response.url.endswith("/apprenti/")
    # So does « Suivant » again on the same errors: the step is shown once, not forever.
    response = client.post(
        base + "employeur/",
        {**management(base, "employeur", stop_on_errors=True), **data, "cerfa_erreurs_vues": seen},
    )
    assert response.status_code == 302 and response.url.endswith("/apprenti/")


def test_a_new_error_stops_again(client):
    base = uploaded_contract(client)
    first = _employeur_data(client, base, employeur__siret=BAD_SIRET)
    page = _text(
        client.post(
            base + "employeur/", {**management(base, "employeur", stop_on_errors=True), **first}
        )
    )
    seen = re.search(r'name="cerfa_erreurs_vues" value="([0-9a-f]+)"', page).group(1)
    worse = {**first, "employeur__code_ape": "99"}
    response = client.post(
        base + "employeur/",
        {**management(base, "employeur", stop_on_errors=True), **worse, "cerfa_erreurs_vues": seen},
    )
    assert response.status_code == 200 and "Continuer malgré tout" in _text(response)


def test_warnings_alone_never_stop(client):
    base = uploaded_contract(client)
    data = _employeur_data(client, base, employeur__telephone="12")
    response = client.post(
        base + "employeur/", {**management(base, "employeur", stop_on_errors=True), **data}
    )
    assert response.status_code == 302 and response.url.endswith("/apprenti/")
    # The warning is shown beside its field when the user comes back.
    page = _text(client.get(base + "employeur/"))
    findings = re.search(r'id="id_employeur__telephone-findings">(.*?)</div>', page, re.S)
    assert "Attention :" in findings.group(1)


def test_an_unreadable_value_gets_the_error_title_and_a_focused_summary(client):
    base = uploaded_contract(client)
    response = client.post(
        base + "contrat-en-bref/",
        {**management(base, "contrat-en-bref"), "contrat__date_fin": "2029-02-31"},
    )
    page = _text(response)
    assert response.status_code == 200
    assert re.search(r"<title>Erreur : Le contrat en bref", page)
    assert re.search(r'id="erreurs-saisie" tabindex="-1" autofocus', page)


def _step_page_findings(page: str, step: str) -> set[tuple[str, str]]:
    found = set()
    for name in BY_NAME[step].form.base_fields:
        match = re.search(rf'id="id_{name}-findings">(.*?)</div>', page, re.S)
        if match:
            for item in re.findall(r"<li[^>]*>(.*?)</li>", match.group(1), re.S):
                found.add((name, " ".join(_plain(item).split())))
    return found


def test_live_check_step_review_and_cli_give_the_same_findings(client, tmp_path):
    """One engine: the same dossier gives the same findings on every path."""
    data = raw("exemple.json")
    data["employeur"]["siret"] = BAD_SIRET
    data["employeur"]["telephone"] = "12"
    data["apprenti"]["courriel"] = "contact@"
    data["formation"]["code_rncp"] = "RNCP1"
    content = json.dumps(data).encode()
    base = uploaded_contract(client, content)
    stored = convert.step_data_from(_dossier(client, base))

    path = tmp_path / "d.json"
    path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("cerfa", "check", str(path), "--json", stdout=out)
    cli = json.loads(out.getvalue())["findings"]

    review = " ".join(_plain(_text(client.get(base + "recapitulatif/"))).split())
    from rules.dossier import Dossier

    dossier = Dossier.from_dict(data)
    compared = 0
    for step in ("employeur", "apprenti", "formation"):
        values = {name: v[0] for name, v in stored.get(step, {}).items()}
        answer = json.loads(live(client, base, step, values).content)
        from_live = set()
        for name, fragment in answer["fields"].items():
            for item in re.findall(r"<li[^>]*>(.*?)</li>", fragment, re.S):
                from_live.add((name, " ".join(_plain(item).split())))
        from_page = _step_page_findings(_text(client.get(base + step + "/")), step)
        assert from_live == from_page, step
        from_cli = set()
        for finding in cli:
            for field in finding["fields"]:
                where = convert.anchor(field, dossier)
                if where and where[0] == step:
                    label = {"error": "Erreur", "warning": "Attention", "info": "Information"}
                    text = f"{label[finding['level']]} : {finding['message']}"
                    from_cli.add((where[1], " ".join(text.split())))
        assert from_live == from_cli, step
        for _name, message in from_live:
            assert message.split(" : ", 1)[1] in review
        compared += len(from_live)
    assert compared >= 4


def test_every_field_shows_its_hint_outside_its_name(client):
    base = uploaded_contract(client)
    page = _text(client.get(base + "employeur/"))
    label = re.search(
        r'<label class="fr-label" for="id_employeur__adresse__voie">(.*?)</label>', page, re.S
    )
    assert "numéro" not in label.group(1)
    field = re.search(r'<input[^>]*name="employeur__adresse__voie"[^>]*>', page).group(0)
    assert (
        'aria-describedby="id_employeur__adresse__voie-hint id_employeur__adresse__voie-findings"'
        in field
    )
    assert 'id="id_employeur__adresse__voie-hint"' in page


def test_help_panels_give_the_rule_and_the_registry_sources(client):
    base = uploaded_contract(client)
    page = _text(client.get(base + "employeur/"))
    block = re.search(r'id="champ-employeur__siret".*?(?=<div id="champ-)', page, re.S).group(0)
    assert "<summary" in block and "Réglementation" in block and "Le saviez-vous ?" in block
    # The sources are those of the rules that check the SIRET (rules/checks/identifiers.py).
    from rules.checks.identifiers import REF_SIRENE

    assert html_lib.unescape(REF_SIRENE.split(" ; ")[0]) in html_lib.unescape(block)


def test_every_help_panel_renders_on_every_step(client):
    base = uploaded_contract(client)
    for step in STEPS:
        response = client.get(base + step.name + "/")
        if response.status_code != 200:
            continue  # a step that does not apply to the example
        page = _text(response)
        assert page.count("<details") == page.count("</details>")
        assert page.count("<summary") == page.count("Réglementation<span") + page.count(
            "Le saviez-vous ?<span"
        )


def test_maitre_levels_keep_the_notice_codes_with_plain_labels():
    assert [c for c, _ in NIVEAU_DIPLOME_MAITRE_CHOICES] == [
        c for c, _ in codes.NIVEAU_DIPLOME_MAITRE
    ]
    labels = dict(NIVEAU_DIPLOME_MAITRE_CHOICES)
    assert "brevet professionnel" in labels["4"] and "brevet de maîtrise" in labels["5"]


def test_erase_asks_first_then_erases(client):
    base = uploaded_contract(client)
    page = _text(client.get(base + "employeur/"))
    # Apart from the navigation, a link to the question (a modal window with JavaScript).
    assert 'id="effacer-lien"' in page and 'id="modal-effacer"' in page
    assert page.index('id="wizard-form"') < page.index('id="effacer-titre"')
    question = client.get(base + "effacer/")
    assert question.status_code == 200 and "Oui, effacer ce contrat" in _text(question)
    assert dossier_json(client, base)["employeur"]["siret"]  # nothing erased yet
    response = client.post(base + "effacer/")
    assert response.status_code == 302
    assert client.get(base + "employeur/").status_code == 404


def test_erase_question_for_an_unknown_contract_is_404(client):
    base = uploaded_contract(client)
    other = base.replace(base.strip("/").split("/")[-1][:8], "00000000")
    assert client.get(other + "effacer/").status_code == 404


def test_a_live_check_or_a_page_shown_never_writes_the_contract_back(client, monkeypatch):
    """The live check of a field left races the « Suivant » that follows: were it to write
    back what it read, it could undo the step just stored."""
    from cerfa.store import get_store

    base = uploaded_contract(client)
    client.get(base + "employeur/")  # the stored current step is now this one
    writes = []
    store = get_store()
    original = store.replace
    # The contract's own entry; its memo (cerfa/wizard/memo.py) is an entry of its own.
    monkeypatch.setattr(
        store,
        "replace",
        lambda *a, **k: (":memo:" in a[0] or writes.append(a[0])) or original(*a, **k),
    )
    live(client, base, "employeur", _employeur_data(client, base, employeur__siret=BAD_SIRET))
    client.get(base + "employeur/")
    assert writes == []
    client.post(
        base + "employeur/",
        {
            **management(base, "employeur"),
            **_employeur_data(client, base, employeur__siret=BAD_SIRET),
        },
    )
    assert len(writes) == 1
