"""``cerfa fill dossiers/*.json -o pdf/``: one bad dossier never stops the batch, and every
PDF has a short name of its own."""

import errno
import json
from pathlib import Path

import pytest

from cerfa import cli as command
from cerfa.pdf.fill import fill_dossier
from tests.helpers import raw
from tests.test_cli import run


def _write(path, nom=None, text=None):
    if text is None:
        data = raw("exemple.json")
        if nom is not None:
            data["apprenti"]["nom_naissance"] = nom
        text = json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _failing_filler(dossier, **kwargs):
    if dossier.apprenti.nom_naissance == "Bug":
        raise ZeroDivisionError("division by zero")
    return fill_dossier(dossier, **kwargs)


@pytest.mark.parametrize(
    "trouble",
    ["nom de 5 000 caractères", "illisible", "bug du remplissage", "PDF impossible à écrire"],
)
def test_a_batch_of_three_goes_on_past_the_bad_one_in_the_middle(tmp_path, monkeypatch, trouble):
    """Flattened, so that the names say so: « -non-modifiable.pdf »."""
    out = tmp_path / "pdf"
    first = _write(tmp_path / "1.json", "Alpha")
    last = _write(tmp_path / "3.json", "Omega")
    middle = tmp_path / "2.json"
    if trouble == "nom de 5 000 caractères":
        _write(middle, "Moreau" * 834)
    elif trouble == "illisible":
        _write(middle, text="{")
    elif trouble == "bug du remplissage":
        _write(middle, "Bug")
        monkeypatch.setattr(command, "fill_dossier", _failing_filler)
    else:
        _write(middle, "Bloque")
        # A folder where its PDF should go: the file cannot be written.
        (out / "cerfa-apprentissage-BLOQUE-Ines-non-modifiable.pdf").mkdir(parents=True)
    status, stdout, err = run(
        "fill", str(first), str(middle), str(last), "-o", str(out), "--flatten"
    )
    assert status == 2
    assert sorted(p.name for p in out.glob("*.pdf") if p.is_file()) == [
        "cerfa-apprentissage-ALPHA-Ines-non-modifiable.pdf",
        "cerfa-apprentissage-OMEGA-Ines-non-modifiable.pdf",
    ]
    assert err.startswith("Erreur : ") and err.strip().count("\n") == 0
    assert str(middle) in err or "BLOQUE" in err
    assert "2 PDF écrit(s)" in stdout


def test_a_name_as_long_as_the_box_allows_gives_a_short_file_name(tmp_path):
    source = _write(tmp_path / "long.json", "Moreau" * 54)  # 324 characters, the box's limit
    out = tmp_path / "pdf"
    status, _, err = run("fill", str(source), "-o", f"{out}/")
    assert status == 0, err
    (pdf,) = out.iterdir()
    assert pdf.name.startswith("cerfa-apprentissage-MOREAUMOREAU") and len(pdf.name) <= 100


def test_namesakes_of_long_names_do_not_overwrite_each_other(tmp_path):
    files = [_write(tmp_path / f"{i}.json", "Moreau" * 54) for i in range(3)]
    out = tmp_path / "pdf"
    status, _, err = run("fill", *map(str, files), "-o", str(out))
    assert status == 0, err
    names = [p.name for p in out.iterdir()]
    assert all(len(name) <= 100 for name in names)
    stem = min(names, key=len).removesuffix(".pdf")
    assert sorted(name.removeprefix(stem) for name in names) == ["-2.pdf", "-3.pdf", ".pdf"]


def test_a_file_name_with_a_line_break_stays_on_one_line(tmp_path):
    bad = _write(tmp_path / "mauvais\nnom.json", text="{")
    status, _, err = run("fill", str(bad), str(_write(tmp_path / "bon.json")), "-o", str(tmp_path))
    assert status == 2
    assert err.strip().count("\n") == 0 and "mauvais\\nnom.json" in err


def test_a_disk_full_midway_leaves_no_half_contract(tmp_path, monkeypatch):
    def half_then_full(self, data):
        with self.open("wb") as handle:
            handle.write(data[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", half_then_full)
    target = tmp_path / "contrat.pdf"
    status, _, err = run("fill", str(_write(tmp_path / "d.json")), "-o", str(target))
    assert status == 2 and "No space left on device" in err
    assert not target.exists()
