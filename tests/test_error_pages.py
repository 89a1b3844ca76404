"""Django's error pages speak French: the service's own 404, CSRF, 400 and 500 pages."""

import pytest
from django.template import loader
from django.test import Client


def test_unknown_address_gets_a_french_page(client):
    response = client.get("/cette-page-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr"' in html and "Page introuvable" in html
    assert "Not Found" not in html


def test_a_post_without_its_csrf_token_gets_a_french_page():
    response = Client(enforce_csrf_checks=True).post("/contrat/reprendre/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Votre envoi n’a pas pu être vérifié" in html and "Autorisez les cookies" in html
    assert "Forbidden" not in html


@pytest.mark.parametrize(
    ("name", "title"), [("500.html", "Le service a rencontré une erreur"), ("400.html", "Demande")]
)
def test_pages_rendered_without_context_are_french(name, title):
    # Django renders them with no context at all (django.views.defaults).
    html = loader.get_template(name).render()
    assert '<html lang="fr">' in html and title in html
