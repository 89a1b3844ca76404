"""The pages a public service owes its users: legal notice, accessibility statement, privacy
policy and site map, linked from every page's footer; the publisher's identity comes from
the settings, and says « À compléter » while it is not given."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cerfa.wizard.upload import FIELD
from tests.helpers import EXAMPLE, settings_with

PAGES = {
    "legal_notice": ("/mentions-legales/", "Mentions légales"),
    "accessibility": ("/accessibilite/", "Déclaration d’accessibilité"),
    "privacy": ("/confidentialite/", "Politique de confidentialité"),
    "sitemap": ("/plan-du-site/", "Plan du site"),
}
PUBLISHER = {
    "CERFA_EDITEUR_NOM": "Direction de l’exemple",
    "CERFA_EDITEUR_ADRESSE": "1 rue de l’Exemple, 75000 Paris",
    "CERFA_EDITEUR_CONTACT": "contact@exemple.gouv.fr",
    "CERFA_DIRECTEUR_PUBLICATION": "Camille Exemple, directrice",
    "CERFA_HEBERGEUR": "Hébergeur exemple, 2 avenue du Nuage, 69000 Lyon, 01 23 45 67 89",
}


class Outline(HTMLParser):
    """The parts of a page these tests read: titles, h1s, and the footer's bottom links."""

    def __init__(self):
        super().__init__()
        self.titles: list[str] = []
        self.h1s: list[str] = []
        self.footer_links: list[tuple[str, str, str | None]] = []  # text, href, aria-current
        self._in: str | None = None
        self._link: dict | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("title", "h1"):
            self._in, self._text = tag, ""
        elif tag == "a" and "fr-footer__bottom-link" in (attrs.get("class") or ""):
            self._link, self._text = attrs, ""

    def handle_endtag(self, tag):
        if tag == self._in:
            (self.titles if tag == "title" else self.h1s).append(" ".join(self._text.split()))
            self._in = None
        elif tag == "a" and self._link is not None:
            text = " ".join(self._text.split())
            self.footer_links.append((text, self._link["href"], self._link.get("aria-current")))
            self._link = None

    def handle_data(self, data):
        if self._in or self._link is not None:
            self._text += data


def outline(html: str) -> Outline:
    parsed = Outline()
    parsed.feed(html)
    return parsed


@pytest.mark.parametrize("name", PAGES)
def test_each_page_has_its_title_one_h1_a_date_and_the_security_headers(client, name):
    path, title = PAGES[name]
    assert reverse(name) == path
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    parsed = outline(html)
    assert parsed.titles == [f"{title} — Contrat d’apprentissage rempli juste"]
    assert parsed.h1s == [title]
    assert "Mise à jour le 1er décembre 2026" in html
    assert '<html lang="fr"' in html
    assert "no-store" in response["Cache-Control"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    # Reading a page opens no session: no cookie at all.
    assert not response.cookies
    assert client.post(path).status_code == 405


def test_every_page_footer_links_the_four_pages_and_marks_the_current_one(client):
    links = outline(client.get("/").content.decode()).footer_links
    assert [(text, href) for text, href, _ in links] == [
        ("Plan du site", "/plan-du-site/"),
        ("Accessibilité : non conforme", "/accessibilite/"),
        ("Mentions légales", "/mentions-legales/"),
        ("Politique de confidentialité", "/confidentialite/"),
        ("Statistiques", "/statistiques/"),
    ]
    assert all(current is None for _, _, current in links)
    for path, _ in PAGES.values():
        current = [
            href
            for _, href, mark in outline(client.get(path).content.decode()).footer_links
            if mark
        ]
        assert current == [path]


def test_the_site_map_links_every_page(client):
    html = client.get("/plan-du-site/").content.decode()
    for name in ("home", *PAGES):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("home")}#reprendre"' in html


def test_unset_publisher_is_shown_as_to_be_completed(client, settings):
    for name in PUBLISHER:
        setattr(settings, name, "")
    html = client.get("/mentions-legales/").content.decode()
    for name in PUBLISHER:
        assert f"réglage <code>{name}</code>" in html
    assert html.count("À compléter") == len(PUBLISHER)
    for path in ("/accessibilite/", "/confidentialite/"):
        html = client.get(path).content.decode()
        assert "À compléter" in html and "CERFA_EDITEUR_CONTACT" in html


def test_the_publisher_given_in_the_settings_replaces_every_placeholder(client, settings):
    for name, value in PUBLISHER.items():
        setattr(settings, name, value)
    for path, _ in PAGES.values():
        html = client.get(path).content.decode()
        assert "À compléter" not in html and "CERFA_EDITEUR" not in html
    html = client.get("/mentions-legales/").content.decode()
    for value in PUBLISHER.values():
        assert value in html
    assert '<a href="mailto:contact@exemple.gouv.fr">contact@exemple.gouv.fr</a>' in html
    assert "Direction de l’exemple s’engage" in client.get("/accessibilite/").content.decode()


def test_a_contact_that_is_a_web_form_is_a_link_and_a_telephone_is_text(client, settings):
    settings.CERFA_EDITEUR_CONTACT = "https://exemple.gouv.fr/contact"
    html = client.get("/accessibilite/").content.decode()
    assert '<a href="https://exemple.gouv.fr/contact">https://exemple.gouv.fr/contact</a>' in html
    settings.CERFA_EDITEUR_CONTACT = "01 23 45 67 89"
    html = client.get("/accessibilite/").content.decode()
    assert "01 23 45 67 89" in html and 'href="mailto:' not in html


def test_the_publisher_settings_are_read_from_the_environment():
    probe = (
        "import json, django; from django.conf import settings; django.setup();"
        f"print(json.dumps({{n: getattr(settings, n) for n in {sorted(PUBLISHER)!r}}}))"
    )
    status, out, err = settings_with(probe, **{k: f"  {v} " for k, v in PUBLISHER.items()})
    assert status == 0, err
    assert json.loads(out) == PUBLISHER  # surrounding spaces dropped
    status, out, err = settings_with(probe)
    assert status == 0, err
    assert set(json.loads(out).values()) == {""}


def test_accessibility_statement_is_honest_about_the_missing_audit(client):
    html = client.get("/accessibilite/").content.decode()
    assert "est <strong>non conforme</strong> au référentiel général" in html
    assert "RGAA), version 4.1" in html
    assert "<strong>aucun audit n’a été réalisé</strong>" in html
    for covered in ("axe-core", "uniquement au clavier", "sans JavaScript"):
        assert covered in html
    assert "Ce qui n’a pas été vérifié" in html and "lecteur d’écran" in html
    assert "Signaler un problème" in html
    assert "Défenseur des droits" in html and "Libre réponse 71120" in html


def test_privacy_policy_says_what_goes_where_and_for_how_long(client, settings):
    settings.SESSION_MINUTES = 20
    settings.CERFA_LOOKUPS_ENABLED = True
    html = client.get("/confidentialite/").content.decode()
    assert "au plus tard 20 minutes après votre dernière action" in html
    assert "jamais écrites sur disque" in html
    assert f"cookie « {settings.SESSION_COOKIE_NAME} »" in html
    assert "cookie « messages »" not in html and "Aucun autre cookie" in html
    assert "Aucun script d’un autre site" in html and "aucun cookie de mesure" in html
    assert "aucune adresse IP" in html and 'href="/statistiques/"' in html
    for host, sent in (
        ("recherche-entreprises.api.gouv.fr", "le SIRET de l’employeur"),
        ("geo.api.gouv.fr", "un code postal"),
        ("referentiel.apprentissage.onisep.fr", "le numéro UAI ou le SIRET du CFA"),
        ("catalogue-apprentissage.intercariforef.org", "le code RNCP ou le code diplôme"),
        ("code.travail.gouv.fr", "le numéro IDCC"),
    ):
        assert f"({host})</td>" in html and sent in html
    # The addresses the server really calls.
    settings.CERFA_LOOKUP_URLS = {**settings.CERFA_LOOKUP_URLS, "geo": "https://miroir.exemple.fr"}
    assert "(miroir.exemple.fr)</td>" in client.get("/confidentialite/").content.decode()
    settings.CERFA_LOOKUPS_ENABLED = False
    html = client.get("/confidentialite/").content.decode()
    assert "les recherches sont désactivées" in html and "geo.api.gouv.fr" not in html


def test_the_cookies_the_privacy_policy_names_are_the_only_ones(client, settings):
    """Resuming a draft sets the most cookies of any action: the session alone; the
    confirmation it shows on the next page travels in the session (SessionStorage), so
    there is no « messages » cookie."""
    client.get("/")
    draft = SimpleUploadedFile("brouillon.json", EXAMPLE.read_bytes(), "application/json")
    response = client.post(reverse("wizard:resume"), {FIELD: draft})
    assert response.status_code == 302
    assert set(response.cookies) == {settings.SESSION_COOKIE_NAME}
    shown = client.get(response["Location"])
    assert "Votre brouillon est chargé" in shown.content.decode()
    assert "messages" not in shown.cookies
    # Shown once: the next page no longer has it.
    assert "Votre brouillon est chargé" not in client.get(response["Location"]).content.decode()


def test_privacy_policy_says_when_redis_may_keep_data_on_disk(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # never connected to: the page reads settings
    settings.CERFA_REDIS_ALLOW_PERSISTENCE = True
    html = client.get("/confidentialite/").content.decode()
    assert "autorise à écrire sur son disque" in html and "jamais écrites sur disque" not in html
