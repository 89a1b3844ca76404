"""Every complete fixture is a valid contract: no error-level finding from any rule."""

from datetime import date

import pytest

from cerfa.checks import findings_for
from rules.dossier import Dossier
from tests.helpers import DOSSIERS

COMPLETE = [p for p in DOSSIERS if p.stem != "brouillon-incomplet"]
TODAY = date(2027, 8, 20)


@pytest.mark.parametrize("path", COMPLETE, ids=lambda p: p.stem)
def test_complete_fixture_has_no_error(path):
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    errors = [f.as_line() for f in findings_for(dossier, today=TODAY) if f.level == "error"]
    assert errors == []


def test_the_draft_is_reported_incomplete_not_refused():
    (draft,) = [p for p in DOSSIERS if p.stem == "brouillon-incomplet"]
    findings = findings_for(Dossier.from_json(draft.read_text()), today=TODAY)
    missing = {field for f in findings if f.level == "error" for field in f.fields}
    assert {"employeur.siret", "apprenti.nom_naissance"} <= missing
