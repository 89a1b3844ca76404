"""The whole contract in one ZIP: cerfa/documents/bundle.py, its download from the review
page and ``cerfa bundle``."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import icalendar
import jsonschema
import pytest
from pypdf import PdfReader

from cerfa import downloads
from cerfa.checks import findings_for
from cerfa.documents import bundle as bundle_module
from cerfa.documents.bundle import README_NAME, bundle, points_pdf
from cerfa.documents.calendar import calendar_bytes
from cerfa.documents.convention import convention_pdf
from cerfa.documents.guide import guide_pdf
from cerfa.documents.opco_exchange import SCHEMA_PATH, opco_exchange
from cerfa.pdf.fill import fill_dossier
from cerfa.store import get_store
from rules.dossier import Dossier
from tests.helpers import DOSSIERS, load, raw, read_fields
from tests.wizard.conftest import uploaded_contract

NOW = datetime.datetime(2027, 6, 1, 8, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2027, 6, 1)
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def expected_names(dossier: Dossier, findings: bool) -> list[str]:
    kinds = (
        ["pdf"] + (["points"] if findings else []) + ["convention", "guide", "ics", "opco", "json"]
    )
    return [README_NAME] + [downloads.filename(dossier, kind) for kind in kinds]


def _texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def check_archive(
    data: bytes,
    dossier: Dossier,
    findings: bool,
    key: str | None,
    today: datetime.date | None = None,
    same_process: bool = True,
) -> dict:
    """Every piece is there under its own name and reads back; returns them by name.
    ``same_process``: the archive was made here, so its documents are compared with the
    single downloads' functions' (a server's, started from the checkout earlier, may lag
    behind a source file edited since)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None  # every member's CRC checks
    assert archive.namelist() == expected_names(dossier, findings)
    read = {info.filename: archive.read(info) for info in archive.infolist()}
    name = {kind: downloads.filename(dossier, kind) for kind in downloads.SUFFIXES}
    # The CERFA: the single download's filling, every box as the dossier says.
    cerfa = PdfReader(io.BytesIO(read[name["pdf"]]))
    assert len(cerfa.pages) >= 1 and cerfa.get_fields()
    assert read_fields(read[name["pdf"]]) == read_fields(fill_dossier(dossier).pdf)
    if findings:
        points = PdfReader(io.BytesIO(read[name["points"]]))
        assert len(points.pages) >= 1
        assert "Points à vérifier" in points.pages[0].extract_text()
    # The convention and the guide: the single downloads' documents.
    for kind in ("convention", "guide"):
        document = PdfReader(io.BytesIO(read[name[kind]]))
        assert len(document.pages) >= 1 and document.pages[0].extract_text().strip()
    if same_process:
        assert _texts(read[name["convention"]]) == _texts(convention_pdf(dossier))
        assert _texts(read[name["guide"]]) == _texts(guide_pdf(dossier, today=today))
    else:
        # Made by another process (the browser's server): what they are, not byte for byte.
        assert "Convention de formation" in _texts(read[name["convention"]])[0]
        assert "Et maintenant" in _texts(read[name["guide"]])[0]
    # The calendar: the same events as its single download with the same key.
    events = list(icalendar.Calendar.from_ical(read[name["ics"]]).walk("VEVENT"))
    alone = list(icalendar.Calendar.from_ical(calendar_bytes(dossier, key=key)).walk("VEVENT"))

    def shown(event):
        return event.decoded("dtstart"), str(event["summary"]), str(event["description"])

    assert [shown(e) for e in events] == [shown(e) for e in alone]
    if key is not None:  # without a key each file draws its own random UIDs
        assert [str(e["uid"]) for e in events] == [str(e["uid"]) for e in alone]
    # The JSONs.
    exchange = json.loads(read[name["opco"]].decode("utf-8"))
    jsonschema.validate(exchange, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert exchange == opco_exchange(dossier)
    assert Dossier.from_json(read[name["json"]]).to_dict() == dossier.to_dict()
    # The note names every piece, in French.
    readme = read[README_NAME].decode("utf-8")
    assert readme.startswith("Dossier complet du contrat d'apprentissage")
    for piece in archive.namelist()[1:]:
        assert f"- {piece}\r\n" in readme
    assert "ne peut pas le transmettre" in readme
    return read


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_every_fixture_gives_every_piece_and_each_reads_back(path):
    dossier = load(path.name)
    findings = bool(findings_for(dossier, today=TODAY))
    made = bundle(dossier, key="cle", today=TODAY, now=NOW)
    assert made.names == expected_names(dossier, findings)
    check_archive(made.data, dossier, findings, key="cle", today=TODAY)


def test_the_findings_pdf_comes_only_with_findings():
    with_findings = load("exemple.json")
    assert findings_for(with_findings, today=TODAY)
    assert downloads.filename(with_findings, "points") in bundle(with_findings, today=TODAY).names
    clean = load("mineur-representant-legal.json")
    assert findings_for(clean, today=TODAY) == []
    made = bundle(clean, today=TODAY)
    assert not any(name.endswith(downloads.SUFFIXES["points"]) for name in made.names)
    readme = zipfile.ZipFile(io.BytesIO(made.data)).read(README_NAME).decode("utf-8")
    assert "points à vérifier" not in readme


def test_the_points_pdf_is_the_single_downloads():
    dossier = load("exemple.json")
    findings = findings_for(dossier, today=TODAY)
    archive = zipfile.ZipFile(io.BytesIO(bundle(dossier, today=TODAY).data))
    inside = archive.read(downloads.filename(dossier, "points"))
    alone = points_pdf(dossier, findings)
    assert _texts(inside) == _texts(alone)
    assert "Apprenti : Inès Moreau" in _texts(inside)[0]


def test_the_files_are_dated_in_french_time_and_readable_by_all():
    archive = zipfile.ZipFile(io.BytesIO(bundle(load("exemple.json"), now=NOW).data))
    for info in archive.infolist():
        assert info.date_time == (2027, 6, 1, 10, 30, 0)  # 8:30 UTC is 10:30 in Paris in June
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert (info.external_attr >> 16) & 0o777 == 0o644


def test_a_draft_without_dates_still_gives_every_piece():
    dossier = Dossier.from_dict({"format": "cerfa-fa13/1"})
    read = check_archive(bundle(dossier).data, dossier, findings=True, key=None)
    assert downloads.filename(dossier, "pdf") == "cerfa-apprentissage.pdf"
    assert len(read) == 8


def test_a_missing_template_is_said_not_hidden(monkeypatch, tmp_path):
    from cerfa.pdf.template import TemplateError

    monkeypatch.setenv("CERFA_TEMPLATE_PATH", str(tmp_path / "absent.pdf"))
    with pytest.raises(TemplateError):
        bundle(load("exemple.json"))


def test_the_archive_is_made_by_the_single_downloads_functions(monkeypatch):
    """No second way to fill, to check or to write the calendar: the archive calls them."""
    calls = []
    names = (
        "calendar_bytes",
        "convention_pdf",
        "dossier_bytes",
        "findings_for",
        "guide_pdf",
        "opco_exchange_bytes",
        "points_pdf",
    )
    for name in names:
        real = getattr(bundle_module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(bundle_module, name, spy)
    bundle(load("exemple.json"))
    assert sorted(calls) == list(names)  # each once


# -- the download ------------------------------------------------------------------------


@pytest.fixture
def _empty_store():
    get_store().clear()
    yield
    get_store().clear()


@pytest.mark.usefixtures("_empty_store")
def test_the_review_pages_primary_download_is_the_whole_dossier(client):
    base = uploaded_contract(client)
    review = client.get(base + "recapitulatif/").content.decode()
    primary = (
        f'<a class="fr-btn fr-icon-download-line" href="{base}dossier-complet.zip" download>'
        "Télécharger le dossier complet (.zip)</a>"
    )
    assert primary in review
    # The only primary button of the list; each piece stays on its own, secondary.
    assert review.count('class="fr-btn fr-icon-') == 1
    for href in ("cerfa.pdf", "points-a-verifier.pdf", "dossier.json", "calendrier.ics"):
        assert f'href="{base}{href}' in review
    response = client.get(base + "dossier-complet.zip")
    assert response.status_code == 200
    # The contract as the wizard holds it (its blank boxes are None, the fixture's "").
    dossier = Dossier.from_json(client.get(base + "dossier.json").content)
    contrat_hex = base.strip("/").split("/")[-1].replace("-", "")
    read = check_archive(response.content, dossier, findings=True, key=contrat_hex)
    # Its calendar is the single download's: importing one then the other doubles nothing.
    single = client.get(base + "calendrier.ics").content
    uids = [str(e["uid"]) for e in icalendar.Calendar.from_ical(single).walk("VEVENT")]
    inside = read[downloads.filename(dossier, "ics")]
    assert [str(e["uid"]) for e in icalendar.Calendar.from_ical(inside).walk("VEVENT")] == uids
    assert json.loads(read[downloads.filename(dossier, "json")]) == json.loads(
        client.get(base + "dossier.json").content
    )


@pytest.mark.usefixtures("_empty_store")
def test_without_the_template_the_archive_answers_503_in_french(client, monkeypatch, tmp_path):
    base = uploaded_contract(client)
    monkeypatch.setenv("CERFA_TEMPLATE_PATH", str(tmp_path / "absent.pdf"))
    response = client.get(base + "dossier-complet.zip")
    assert response.status_code == 503
    assert "PDF indisponible" in response.content.decode()


# -- the command line --------------------------------------------------------------------


def test_the_command_writes_the_same_archive_and_replaces_an_existing_file(tmp_path):
    from tests.test_cli import EXAMPLE, run

    target = tmp_path / "dossier.zip"
    target.write_bytes(b"an older file")
    status, out, err = run("bundle", EXAMPLE, "-o", str(target))
    assert (status, out, err) == (0, "", "")
    check_archive(target.read_bytes(), load("exemple.json"), findings=True, key=None)


def test_the_command_reads_standard_input(tmp_path, monkeypatch):
    from tests.test_cli import run

    target = tmp_path / "dossier.zip"
    text = json.dumps(raw("deux-maitres.json"))
    status, _, err = run("bundle", "-", "-o", str(target), stdin=text, monkeypatch=monkeypatch)
    assert status == 0 and err == ""
    assert zipfile.ZipFile(target).namelist()[1] == "cerfa-apprentissage-MOREAU-Ines.pdf"


def test_the_command_exits_2_with_a_french_line(tmp_path, monkeypatch):
    from tests.test_cli import EXAMPLE, run

    status, out, err = run("bundle", str(tmp_path / "absent.json"), "-o", "x.zip")
    assert (status, out) == (2, "") and err == (
        f"Erreur : le fichier {tmp_path / 'absent.json'} est introuvable.\n"
    )
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "cerfa-fa13/1", "apprenti": []}')
    status, _, err = run("bundle", str(broken), "-o", str(tmp_path / "x.zip"))
    assert status == 2 and err.startswith("Erreur : Dossier illisible")
    status, _, err = run("bundle", EXAMPLE, "-o", str(tmp_path / "absent" / "d.zip"))
    assert status == 2 and err.startswith("Erreur : impossible d'écrire")
    assert not (tmp_path / "absent").exists() and not (tmp_path / "x.zip").exists()
    status, out, err = run("bundle", EXAMPLE, "-o", "-")
    assert (status, out) == (2, "") and "fichier .zip" in err and "-o dossier.zip" in err
    monkeypatch.setenv("CERFA_TEMPLATE_PATH", str(tmp_path / "absent.pdf"))
    status, _, err = run("bundle", EXAMPLE, "-o", str(tmp_path / "d.zip"))
    assert status == 2 and err.startswith("Erreur : ") and err.count("\n") == 1
    assert not (tmp_path / "d.zip").exists()


def test_the_opco_command_prints_the_exchange_file(tmp_path):
    from tests.helpers import FIXTURES
    from tests.test_cli import run

    status, out, err = run("opco", str(FIXTURES / "dossiers" / "deux-maitres.json"))
    assert (status, err) == (0, "")
    assert json.loads(out) == opco_exchange(load("deux-maitres.json"))
    status, out, err = run("opco", str(tmp_path / "absent.json"))
    assert (status, out) == (2, "") and "introuvable" in err


# -- the bench ---------------------------------------------------------------------------


def test_the_bench_times_every_piece_and_judges_the_whole_zip():
    """``make bench``'s rows for the documents (their figures are not judged here)."""
    from cerfa.documents.bench import ZIP_SECONDS, bench_rows

    rows = bench_rows(rounds=1)
    assert [row.what for row in rows[:-1]] == [
        "Pièce : CERFA rempli",
        "Pièce : points à vérifier (constats compris)",
        "Pièce : convention de formation",
        "Pièce : « Et maintenant ? »",
        "Pièce : agenda .ics",
        "Pièce : fichier d'échange OPCO",
        "Pièce : constats seuls",
    ]
    whole = rows[-1]
    assert whole.what == "Dossier complet (.zip) d'un contrat, 8 fichiers"
    assert whole.target == f"< {ZIP_SECONDS:.0f} s" and isinstance(whole.met, bool)
    assert "pic mémoire" in whole.against
