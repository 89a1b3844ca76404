"""A canary typed into every field of every step, on every path of the service, against
the production server: it is found nowhere in the statistics database (every table
dumped), in the server's log, or in a file it wrote. The counts are there, so the paths
were taken and counted."""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

from cerfa.wizard.steps import STEPS
from tests.helpers import FIXTURES
from tests.server import start_server

pytestmark = [pytest.mark.database]

# Together, these two drafts open every conditional step (the legal representative of a
# minor, a lieu de formation distinct from the CFA).
DRAFTS = ("mineur-representant-legal.json", "lieu-formation-distinct.json")
DOWNLOADS = (
    "cerfa.pdf",
    "cerfa.pdf?version=aplatie",
    "points-a-verifier.pdf",
    "dossier.json",
    "calendrier.ics",
    "echange-opco.json",
    "dossier-complet.zip",
    "convention.pdf",
    "et-maintenant.pdf",
)
LOOKUPS = ("siret", "communes", "cfa", "diplome", "idcc")
# The draft's free texts: where a person's words go.
TEXTS = {
    "nom_naissance", "nom_usage", "prenom", "commune_naissance", "voie", "complement",
    "commune", "denomination", "emploi_occupe", "intitule_precis", "fait_a",
    "diplome_plus_eleve",
}  # fmt: skip
CONTROLS = {"csrfmiddlewaretoken", "wizard_goto_step"}


class WizardForm(HTMLParser):
    """The names of the wizard form's fields, and its CSRF token."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.names: list[str] = []
        self.token = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == "wizard-form"
        elif self.inside and tag in ("input", "select", "textarea") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken":
                self.token = attrs.get("value", "")
            elif name not in CONTROLS and not name.endswith("-current_step"):
                if name not in self.names:
                    self.names.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def token_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def canaried(value, canary):
    if isinstance(value, dict):
        return {
            k: canary if k in TEXTS and isinstance(v, str) else canaried(v, canary)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [canaried(v, canary) for v in value]
    return value


def resume(http, url: str, content: bytes) -> requests.Response:
    token = token_of(http.get(url + "/").text)
    return http.post(
        url + "/contrat/reprendre/",
        data={"csrfmiddlewaretoken": token},
        files={"dossier": ("brouillon.json", content, "application/json")},
        allow_redirects=False,
    )


def walk_every_step(http, url: str, base: str, canary: str) -> int:
    """Each step from the last to the first (the earlier ones still hold the draft's
    values, so each conditional step is there): its live check, then every field typed
    with the canary and kept by « Précédent ». The number of fields typed."""
    typed = 0
    contrat_hex = base.strip("/").split("/")[-1].replace("-", "")
    steps = [step.name for step in STEPS if step.name != "recapitulatif"]
    for index in range(len(steps) - 1, -1, -1):
        page = http.get(url + base + steps[index] + "/")
        if page.url.rstrip("/").rsplit("/", 1)[-1] != steps[index]:
            continue  # a step that does not apply to this contract
        form = WizardForm()
        form.feed(page.text)
        assert form.names, steps[index]
        data = {name: canary for name in form.names}
        data.update(
            {"csrfmiddlewaretoken": form.token, f"contrat_{contrat_hex}-current_step": steps[index]}
        )
        live = http.post(page.url, data={**data, "cerfa_verification": "1"})
        assert live.status_code == 200 and live.headers["Content-Type"] == "application/json"
        back = steps[index - 1] if index else steps[index]
        moved = http.post(page.url, data={**data, "wizard_goto_step": back})
        assert moved.status_code == 200, (steps[index], moved.status_code, moved.text[:500])
        typed += len(form.names)
    return typed


def tables(server) -> set[str]:
    if server.database_url:
        import psycopg

        with psycopg.connect(server.database_url) as connection:
            rows = connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchall()
    else:
        with sqlite3.connect(server.data_dir / "statistiques.sqlite3") as connection:
            rows = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).fetchall()
    return {name for (name,) in rows}


def dump(server) -> str:
    """Every row of every table of the server's database, as text."""
    if server.database_url:
        import psycopg

        lines = []
        with psycopg.connect(server.database_url) as connection:
            tables = connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchall()
            for (table,) in tables:
                for row in connection.execute(f'SELECT * FROM "{table}"'):
                    lines.append(f"{table} {row!r}")
        return "\n".join(lines)
    database = server.data_dir / "statistiques.sqlite3"
    with sqlite3.connect(database) as connection:
        return "\n".join(connection.iterdump())


def files_containing(folder: Path, needles: list[bytes]) -> list[str]:
    return [
        str(path)
        for path in folder.rglob("*")
        if path.is_file() and any(n in path.read_bytes() for n in needles)
    ]


def test_a_canary_typed_everywhere_reaches_no_database_log_or_file():
    canary = f"canari{secrets.token_hex(6)}"
    needles = [canary, canary.upper(), canary.capitalize()]
    server = start_server()
    try:
        http = requests.Session()
        url = server.url
        typed = 0
        for name in DRAFTS:
            draft = json.loads((FIXTURES / "dossiers" / name).read_bytes())
            response = resume(http, url, json.dumps(draft).encode())
            assert response.status_code == 302
            base = response.headers["Location"].rsplit("/", 2)[0] + "/"
            typed += walk_every_step(http, url, base, canary)
            review = http.get(url + base + "recapitulatif/")
            assert review.status_code == 200 and canary in review.text
            for download in DOWNLOADS:
                assert http.get(url + base + download).status_code == 200, download
        assert typed > 150  # every box of every step, both drafts together
        # A draft whose free texts are the canary, then one the format refuses.
        draft = canaried(json.loads((FIXTURES / "dossiers" / DRAFTS[0]).read_bytes()), canary)
        assert resume(http, url, json.dumps(draft).encode()).status_code == 302
        assert resume(http, url, f'{{"version": 1, "{canary}": [}}'.encode()).status_code == 200
        for api in LOOKUPS:
            assert http.get(f"{url}/api/{api}/", params={"value": canary}).status_code == 200
        survey = http.get(url + "/avis/")
        refused = http.post(
            url + "/avis/",
            data={
                "csrfmiddlewaretoken": token_of(survey.text),
                "satisfaction": canary,
                "difficulte": canary,
            },
        )
        assert refused.status_code == 400
        assert http.get(url + "/statistiques/").status_code == 200
        assert http.get(url + "/statistiques/donnees.csv").status_code == 200
    finally:
        server.stop(clean=False)  # its counts are written as it stops
    try:
        search(server, needles)
    finally:
        server.clean()


def search(server, needles: list[str]) -> None:
    # The aggregates and Django's list of migrations: no other table, none of sessions.
    assert tables(server) == {"stats_dailycount", "django_migrations"}
    text = dump(server)
    assert not [n for n in needles if n in text]
    # The paths were taken and counted: the dump is not empty for want of counts.
    for counted in (
        "telechargement.pdf",
        "telechargement.zip",
        "etape.signature",
        "contrat.repris",
    ):
        assert counted in text, counted
    log = server.log()
    assert "GET /contrat/" in log  # the access log was written
    assert not [n for n in needles if n in log]
    folders = [server.tmpdir] + ([server.data_dir] if server.data_dir else [])
    assert files_containing_any(folders, [n.encode() for n in needles]) == []


def files_containing_any(folders: list[Path], needles: list[bytes]) -> list[str]:
    return [found for folder in folders for found in files_containing(folder, needles)]
