"""The official IDCC list (KALI spreadsheet) and `python manage.py cerfa_idcc_update`."""

import datetime
import io
import zipfile

import pytest
import requests
import responses
from django.core.management import CommandError, call_command

from cerfa.lookups import kali
from rules import idcc

from .kali_fixture import ROWS, build_xlsx


def test_the_spreadsheet_is_read_by_its_headers():
    rows = kali.read_xlsx_rows(build_xlsx())
    assert rows[0] == ["Liste des conventions collectives nationales (KALI)"]
    # Rows come in sheet order; the empty row 3 is simply absent.
    assert rows[2][3:7] == ["IDCC", "TITRE", "NATURE", "ETAT"]
    assert rows[3][3] == "1486" and rows[6][3] == "2596" and rows[8][3] == "1486"
    assert rows[6][4] == "Convention collective nationale de la coiffure"  # inline string


def test_one_convention_per_idcc_with_its_state():
    parsed = kali.parse_xlsx(build_xlsx(), today=datetime.date(2026, 10, 1))
    assert parsed.complet is True and parsed.date == "2026-10-01"
    found = {code: (c.titre, c.en_vigueur) for code, c in parsed.conventions.items()}
    assert found == {
        "1486": ("Convention collective nationale des bureaux d'études techniques", True),
        "0016": ("Convention collective nationale des transports routiers", True),
        "0650": (
            "Convention collective nationale des ingénieurs et cadres de la métallurgie",
            False,
        ),
        "2596": ("Convention collective nationale de la coiffure", True),
        "3248": ("Convention collective nationale de la métallurgie", True),
        "5021": ("Convention signée, pas encore en vigueur", False),
        "1234": ("Convention sans état connu", None),
    }


def test_a_spreadsheet_without_the_expected_headers_is_refused():
    rows = [
        (1, [("A", "s", "Autre chose"), ("B", "s", "Titre")]),
        (2, [("A", "n", "1486"), ("B", "s", "Syntec")]),
    ]
    with pytest.raises(kali.KaliFormatError, match="IDCC, TITRE et ETAT"):
        kali.parse_xlsx(build_xlsx(rows))


def test_headers_without_any_convention_are_refused():
    with pytest.raises(kali.KaliFormatError, match="aucune convention"):
        kali.parse_xlsx(build_xlsx(ROWS[:3]))


@pytest.mark.parametrize("content", [b"pas un zip", b""])
def test_a_file_that_is_not_a_spreadsheet_is_refused(content):
    with pytest.raises(kali.KaliFormatError, match="XLSX"):
        kali.parse_xlsx(content)


def test_a_zip_that_is_not_a_spreadsheet_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lisez-moi.txt", "rien")
    with pytest.raises(kali.KaliFormatError, match="incomplet"):
        kali.parse_xlsx(buffer.getvalue())


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "liste.xlsx"
    path.write_bytes(build_xlsx())
    return path


def test_the_command_writes_a_complete_list(source, tmp_path, capsys):
    output = tmp_path / "idcc.json"
    call_command("cerfa_idcc_update", source=str(source), output=str(output), minimum=5)
    written = idcc.parse(output.read_text(encoding="utf-8"))
    assert written.complet is True
    assert len(written.conventions) == 7
    assert idcc.find("650", written).en_vigueur is False
    assert "7 conventions collectives (4 en vigueur)" in capsys.readouterr().out


def test_the_command_keeps_the_list_when_too_few_conventions_are_read(source, tmp_path):
    output = tmp_path / "idcc.json"
    output.write_text("ancienne liste", encoding="utf-8")
    with pytest.raises(CommandError, match="Seulement 7 conventions"):
        call_command("cerfa_idcc_update", source=str(source), output=str(output))
    assert output.read_text(encoding="utf-8") == "ancienne liste"


def test_the_command_explains_a_bad_source(tmp_path):
    bad = tmp_path / "liste.xlsx"
    bad.write_bytes(b"<html>page d'erreur</html>")
    with pytest.raises(CommandError, match="XLSX"):
        call_command("cerfa_idcc_update", source=str(bad), output=str(tmp_path / "o.json"))
    with pytest.raises(CommandError, match="Impossible de lire"):
        call_command(
            "cerfa_idcc_update",
            source=str(tmp_path / "absent.xlsx"),
            output=str(tmp_path / "o.json"),
        )


def test_the_command_downloads_the_source(tmp_path, settings):
    settings.CERFA_IDCC_SOURCE_URL = "https://data.test/liste.xlsx"
    output = tmp_path / "idcc.json"
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "https://data.test/liste.xlsx", body=build_xlsx())
        call_command("cerfa_idcc_update", output=str(output), minimum=1)
    assert idcc.parse(output.read_text(encoding="utf-8")).complet is True


def test_the_command_says_when_the_download_fails(tmp_path, settings):
    settings.CERFA_IDCC_SOURCE_URL = "https://data.test/liste.xlsx"
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET,
            "https://data.test/liste.xlsx",
            body=requests.exceptions.ConnectionError(),
        )
        with pytest.raises(CommandError, match="Téléchargement impossible"):
            call_command("cerfa_idcc_update", output=str(tmp_path / "o.json"))
