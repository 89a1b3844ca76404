"""The satisfaction survey: its fixed answers only, counted once per session."""

from __future__ import annotations

import pytest

from cerfa.stats.survey import QUESTIONS
from tests.stats.conftest import totals

pytestmark = pytest.mark.django_db


def test_the_survey_is_a_dsfr_form_without_free_text(client):
    response = client.get("/avis/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<textarea" not in html and 'type="text"' not in html
    for name, (question, choices) in QUESTIONS.items():
        assert question in html
        for value, label in choices:
            assert f'name="{name}" value="{value}"' in html and label in html
    assert html.count('<fieldset class="fr-fieldset') == len(QUESTIONS)


def test_answers_are_counted_once_per_session(client):
    client.get("/avis/")
    response = client.post(
        "/avis/", {"satisfaction": "4", "profil": "cfa", "difficulte": "remuneration"}
    )
    assert response.status_code == 302 and response.url == "/avis/"
    assert "Merci, votre avis est compté" in client.get("/avis/").content.decode()
    expected = {
        "avis.satisfaction.4": 1,
        "avis.profil.cfa": 1,
        "avis.difficulte.remuneration": 1,
        "avis.reponses": 1,
    }
    assert totals() == expected
    # The same session again: shown its thanks, counted nothing more.
    again = client.post("/avis/", {"satisfaction": "1"})
    assert again.status_code == 200 and "Merci" in again.content.decode()
    assert totals() == expected


def test_any_question_may_be_left_out_but_not_all(client):
    client.get("/avis/")
    empty = client.post("/avis/", {})
    assert empty.status_code == 400
    assert "Choisissez au moins une réponse" in empty.content.decode()
    assert empty.content.decode().count("<title>Erreur : ") == 1
    assert totals() == {}
    assert client.post("/avis/", {"profil": "employeur"}).status_code == 302
    assert totals() == {"avis.profil.employeur": 1, "avis.reponses": 1}


@pytest.mark.parametrize(
    "data",
    [
        {"satisfaction": "6"},
        {"satisfaction": "0"},
        {"satisfaction": "4", "profil": "apprenti"},
        {"difficulte": "Mon maître d'apprentissage, Jean Dupont"},
        {"satisfaction": ["4", "5"], "profil": "<script>"},
        {"satisfaction": "4 "},
    ],
)
def test_only_its_choices_are_accepted(client, data):
    client.get("/avis/")
    response = client.post("/avis/", data)
    assert response.status_code == 400
    assert "Choisissez l’une des réponses proposées." in response.content.decode()
    assert totals() == {}
    # Refused, so not « answered »: the session may still answer.
    assert client.post("/avis/", {"satisfaction": "5"}).status_code == 302


def test_the_review_page_links_the_survey(client):
    from tests.stats.test_paths import resumed

    base = resumed(client)
    assert 'href="/avis/"' in client.get(base + "recapitulatif/").content.decode()
