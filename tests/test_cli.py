"""``python manage.py cerfa check|complete|fill``, exactly as dossier format v1 says."""

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from tests.helpers import DOSSIERS, FIXTURES, raw, settings_with
from tests.test_template import minimal_pdf

EXAMPLE = str(FIXTURES / "dossiers" / "exemple.json")


def run(*args, stdin: str | None = None, monkeypatch=None):
    """Run the command in process; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    try:
        call_command("cerfa", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


def test_check_clean_dossier_exits_0():
    status, out, _ = run("check", EXAMPLE)
    assert status == 0
    assert "Erreur" not in out


def test_check_json_output(tmp_path):
    data = raw("exemple.json")
    data["employeur"]["siret"] = "52147896600175"  # wrong Luhn key
    data["employeur"]["inconnu"] = "x"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    status, out, _ = run("check", str(path), "--json")
    assert status == 1
    findings = json.loads(out)["findings"]
    assert set(findings[0]) == {"level", "code", "fields", "message", "reference"}
    assert any(f["level"] == "error" and "employeur.siret" in f["fields"] for f in findings)
    assert any(f["code"] == "format.cle_inconnue" for f in findings)


def test_check_reads_standard_input(monkeypatch):
    status, out, _ = run(
        "check", "-", stdin=json.dumps(raw("exemple.json")), monkeypatch=monkeypatch
    )
    assert status == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ceci n'est pas du json", "n'est pas du JSON valide"),
        (
            '{"apprenti": {"date_naissance": 20080514}}',
            "« apprenti.date_naissance » doit être une date",
        ),
        ('{"format": "cerfa-fa13/2"}', "Format de dossier inconnu"),
        ('{"contrat": {"remunerations": [{"taux": NaN}]}}', "« contrat.remunerations.0.taux »"),
        ('{"employeur": {"effectif": ' + "9" * 5000 + "}}", "« employeur.effectif »"),
    ],
)
@pytest.mark.parametrize("action", ["check", "complete", "fill"])
def test_unreadable_input_exits_2_with_one_french_line(tmp_path, content, message, action):
    path = tmp_path / "bad.json"
    path.write_text(content)
    extra = ["-o", str(tmp_path / "out.pdf")] if action == "fill" else []
    status, out, err = run(action, str(path), *extra)
    assert status == 2
    assert out == ""
    assert err.strip().count("\n") == 0
    assert err.startswith("Erreur : ") and message in err
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("action", ["check", "complete", "fill"])
def test_null_items_in_the_lists_are_read_as_empty_ones(tmp_path, action):
    data = raw("exemple.json")
    data["maitres"].append(None)
    data["contrat"]["remunerations"].insert(0, None)
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    extra = ["-o", str(tmp_path / "out.pdf")] if action == "fill" else []
    status, _, _ = run(action, str(path), *extra)
    assert status == (1 if action == "check" else 0)  # check: maître n°2 has no name


def test_a_pipe_is_read_like_a_file(tmp_path):
    """`cerfa check <(jq … dossier.json)`: bash hands over /dev/fd/63, a pipe."""
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as pipe:
            pipe.write(Path(EXAMPLE).read_bytes())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    status, _, err = run("check", str(fifo))
    if writer.is_alive():  # the command never opened the pipe: release the writer
        with open(fifo, "rb") as pipe:
            pipe.read()
    writer.join()
    assert status == 0, err


def test_a_folder_is_named_as_such(tmp_path):
    status, _, err = run("check", str(tmp_path))
    assert status == 2 and "répertoire" in err


def test_missing_file_exits_2(tmp_path):
    status, _, err = run("check", str(tmp_path / "absent.json"))
    assert status == 2 and "introuvable" in err


def test_complete_prints_the_dossier(tmp_path):
    status, out, _ = run("complete", EXAMPLE)
    assert status == 0
    assert json.loads(out)["apprenti"]["nom_naissance"] == "Moreau"


def test_fill_writes_a_pdf(tmp_path):
    target = tmp_path / "contrat.pdf"
    status, _, _ = run("fill", EXAMPLE, "-o", str(target))
    assert status == 0
    reader = PdfReader(target)
    assert len(reader.pages) == 2 and len(reader.get_fields()) == 216


def test_fill_flatten(tmp_path):
    target = tmp_path / "contrat.pdf"
    assert run("fill", EXAMPLE, "-o", str(target), "--flatten")[0] == 0
    assert "/AcroForm" not in PdfReader(target).trailer["/Root"]


def test_fill_sixty_dossiers_in_one_call(tmp_path):
    """A CFA in September: one call, one PDF per apprentice, named after them."""
    sources = tmp_path / "dossiers"
    sources.mkdir()
    files = []
    for i in range(60):
        data = raw(DOSSIERS[i % len(DOSSIERS)].name)
        data["apprenti"]["nom_naissance"] = f"Apprenti{i:02d}"
        path = sources / f"{i:02d}.json"
        path.write_text(json.dumps(data, ensure_ascii=False))
        files.append(str(path))
    out = tmp_path / "pdf"
    status, stdout, _ = run("fill", *files, "-o", str(out))
    assert status == 0
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 60
    assert "60 PDF écrit(s)" in stdout
    assert any(p.name.startswith("cerfa-apprentissage-APPRENTI07-") for p in pdfs)


def test_fill_batch_goes_on_past_a_bad_file_and_exits_2(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    out = tmp_path / "pdf"
    status, _, err = run("fill", EXAMPLE, str(bad), EXAMPLE, "-o", str(out))
    assert status == 2
    assert sorted(p.name for p in out.iterdir()) == [
        "cerfa-apprentissage-MOREAU-Ines-2.pdf",
        "cerfa-apprentissage-MOREAU-Ines.pdf",
    ]
    assert "bad.json" in err


def test_a_dossier_the_filling_fails_on_does_not_stop_the_batch(tmp_path, monkeypatch):
    """A bug met on one contract: one French line for it, the others are written, exit 2."""
    from cerfa import cli as command
    from cerfa.pdf.fill import fill_dossier

    def failing(dossier, **kwargs):
        if dossier.apprenti.nom_naissance == "Bug":
            raise ZeroDivisionError("division by zero")
        return fill_dossier(dossier, **kwargs)

    monkeypatch.setattr(command, "fill_dossier", failing)
    data = raw("exemple.json")
    data["apprenti"]["nom_naissance"] = "Bug"
    bug = tmp_path / "bug.json"
    bug.write_text(json.dumps(data))
    out = tmp_path / "pdf"
    status, stdout, err = run("fill", str(bug), EXAMPLE, "-o", str(out))
    assert status == 2
    assert [p.name for p in out.iterdir()] == ["cerfa-apprentissage-MOREAU-Ines.pdf"]
    assert err.startswith(f"Erreur : {bug} : ") and err.strip().count("\n") == 0
    assert "1 PDF écrit(s)" in stdout
    status, _, err = run("fill", str(bug), "-o", str(tmp_path / "one.pdf"))
    assert status == 2 and err.startswith("Erreur : ") and err.strip().count("\n") == 0


def test_an_output_that_cannot_be_written_exits_2_with_one_french_line(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    for output in (tmp_path / "absent" / "contrat.pdf", a_file / "contrat.pdf"):
        status, _, err = run("fill", EXAMPLE, "-o", str(output))
        assert status == 2 and err.startswith("Erreur : ") and str(output) in err
    status, _, err = run("fill", EXAMPLE, EXAMPLE, "-o", str(a_file))
    assert status == 2 and err.startswith("Erreur : ") and err.strip().count("\n") == 0


@pytest.mark.parametrize(
    "template_bytes",
    [b"%PDF-1.4\n" + b"\x00" * 300, minimal_pdf("CERFA 10103*12")],
    ids=["corrupted", "other-version"],
)
def test_fill_with_a_wrong_template_exits_2(tmp_path, monkeypatch, template_bytes):
    bad = tmp_path / "template.pdf"
    bad.write_bytes(template_bytes)
    monkeypatch.setenv("CERFA_TEMPLATE_PATH", str(bad))
    status, _, err = run("fill", EXAMPLE, "-o", str(tmp_path / "out.pdf"))
    assert status == 2
    assert err.startswith("Erreur : ") and err.strip().count("\n") == 0
    assert "10103*14" in err


def test_complete_fills_a_missing_grid_and_keeps_what_was_typed(tmp_path):
    data = raw("exemple.json")
    data["contrat"]["remunerations"] = []
    data["contrat"]["salaire_brut_embauche"] = None
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data))
    status, out, _ = run("complete", str(path))
    assert status == 0
    completed = json.loads(out)
    assert completed["contrat"]["remunerations"] == raw("exemple.json")["contrat"]["remunerations"]
    assert completed["contrat"]["salaire_brut_embauche"] == "783.91"
    assert completed["apprenti"] == data["apprenti"]


@pytest.mark.parametrize(
    ("action", "unused"),
    [
        ("check", {"pypdf", "requests", "urllib3"}),
        ("fill", {"pypdf", "requests", "urllib3"}),
        ("complete --hors-ligne", {"pypdf"}),
    ],
)
def test_a_command_imports_only_what_its_action_uses(tmp_path, action, unused):
    """As run from a shell (``manage.py``, hence with Django's system checks unless the
    command declines them, which would import the wizard's views and the lookups): the
    template is read from its install-time description, not parsed."""
    from cerfa.pdf import template

    installed = tmp_path / "cerfa.pdf"
    installed.write_bytes(template.template_path().read_bytes())
    template.install(None, installed)
    args = [*action.split(), EXAMPLE] + (
        ["-o", str(tmp_path / "out.pdf")] if action == "fill" else []
    )
    probe = (
        "import sys\n"
        "from django.core.management import execute_from_command_line\n"
        f"execute_from_command_line(['manage.py', 'cerfa', *{args!r}])\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(unused)!r})))\n"
    )
    status, out, err = settings_with(probe, CERFA_TEMPLATE_PATH=str(installed))
    assert status == 0, err
    assert out.strip().splitlines()[-1] == "[]"


def shell(*args: str, **env: str) -> tuple[int, str, str]:
    """``python -X importtime manage.py cerfa …`` in a process of its own, as a shell runs
    it: (exit status, stdout, the modules it imported)."""
    import os
    import subprocess

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "manage.py", "cerfa", *args],
        cwd=Path(__file__).parent.parent,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    return done.returncode, done.stdout, imported


@pytest.mark.parametrize("action", ["check", "fill"])
def test_manage_py_runs_check_and_fill_without_django(tmp_path, action):
    """manage.py's fast path: neither Django's management machinery (URLs, HTTP, the ORM,
    whose import alone costs more than checking a dossier) nor Django's setup; the same
    output as the Django command's (``call_command``)."""
    dossier = str(FIXTURES / "dossiers" / "brouillon-incomplet.json")
    args = ["--json", dossier] if action == "check" else [dossier, "-o", str(tmp_path / "a.pdf")]
    status, out, imported = shell(action, *args)
    assert not {"django.core.management", "django.db", "django.apps"} & imported
    expected_status, expected_out, _ = run(
        action, *(args if action == "check" else [dossier, "-o", str(tmp_path / "b.pdf")])
    )
    assert status == expected_status
    if action == "check":
        # The same findings in the same order (rules/engine.load_rules orders the registry
        # whatever the process imported first).
        assert json.loads(out) == json.loads(expected_out)
    else:
        assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_manage_py_gives_django_options_to_django(tmp_path):
    """An option only Django's command knows takes Django's path, which sets Django up."""
    status, out, imported = shell("--settings=cerfa.settings", "check", EXAMPLE)
    assert status == 0, out
    assert "django.core.management" in imported


def test_manage_py_sets_django_up_for_the_other_actions():
    status, out, imported = shell("complete", "--hors-ligne", EXAMPLE)
    assert status == 0
    assert json.loads(out)["format"] == "cerfa-fa13/1"
    assert "django.apps" in imported
