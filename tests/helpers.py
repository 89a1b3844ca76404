"""Shared test helpers: dossier fixtures and reading a filled PDF back."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from cerfa.pdf.fieldmap import decode_field_name
from rules.dossier import Dossier

FIXTURES = Path(__file__).parent / "fixtures"
DOSSIERS = sorted((FIXTURES / "dossiers").glob("*.json"))
# The example contract every test starts from (fictitious data).
EXAMPLE = FIXTURES / "dossiers" / "exemple.json"

# Fake addresses of the public APIs: tests replay their answers there (``responses``).
LOOKUP_URLS = {
    "entreprises": "https://entreprises.test",
    "geo": "https://geo.test",
    "referentiel": "https://referentiel.test",
    "catalogue": "https://catalogue.test",
    "cdtn": "https://cdtn.test",
}


def load(name: str) -> Dossier:
    return Dossier.from_json((FIXTURES / "dossiers" / name).read_text(encoding="utf-8"))


def raw(name: str) -> dict:
    return json.loads((FIXTURES / "dossiers" / name).read_text(encoding="utf-8"))


def read_fields(pdf: bytes) -> dict[str, object]:
    """Field name (decoded) → value as pypdf reads it back from the filled PDF."""
    reader = PdfReader(io.BytesIO(pdf))
    return {decode_field_name(name): field.get("/V") for name, field in reader.get_fields().items()}


def settings_with(probe: str, **env: str) -> tuple[int, str, str]:
    """Run ``probe`` (Python code) with the production settings module and only ``env`` of
    the project's variables: (exit code, standard output, standard error)."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("CERFA_", "DJANGO_", "REDIS"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="cerfa.settings")
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).parent.parent,
        env=clean,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout, done.stderr
