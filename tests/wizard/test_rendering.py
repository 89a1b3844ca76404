"""Golden pages: every step of the wizard, as the server writes it, equals its snapshot.

Each page is rendered through the Django test client, the way a user reaches it: every
fixture contract of tests/fixtures/dossiers resumed through « Reprendre » (each step and
the review page), a blank contract, steps posted with values that cannot be read (a date
that does not exist, a code outside its list, a number written in words: the page shows
its input errors), a step stopped on the rules' errors (« Continuer malgré tout »), a
postal code shared by several communes (their list), the attestations left unticked (a
checkbox with its findings) and the answer of a live check (the findings of each field,
as static/js/live.js receives them).

Only what differs between two renderings of the same page is normalised: the CSRF token
and the contract's id (in its URLs and in the wizard's form prefix). Everything else is
compared character for character with tests/wizard/snapshots/<case>.html.gz, so that a
change of the markup, down to one space, fails here. The rules' deadlines depend on
today's date: the checks run as if on ``TODAY``.

When a change of the markup is intended, rewrite the snapshots from the current code and
review their diff before committing it (``git diff --text`` shows nothing readable: the
snapshots are gzipped, a hundred whole pages being half the repository's text otherwise;
``zdiff`` or ``git show HEAD:<file> | zcat`` compares two)::

    CERFA_SNAPSHOTS=write .venv/bin/python -m pytest tests/wizard/test_rendering.py -q

A step that does not apply to a contract (the page redirects) has no snapshot; writing
removes a stale one. The snapshots are whole pages: a change of templates/base.html or
of a step's template shows here too, and is rewritten the same way.
"""

from __future__ import annotations

import datetime
import difflib
import gzip
import json
import os
import re
from pathlib import Path

import pytest

from cerfa import clients
from cerfa.wizard import convert, render
from cerfa.wizard.steps import STEPS
from rules import engine
from rules.dossier import Dossier
from tests.helpers import DOSSIERS
from tests.wizard.conftest import (
    dossier_json,
    management,
    started_contract,
    uploaded_contract,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"
WRITE = os.environ.get("CERFA_SNAPSHOTS") == "write"
# The day the rules are checked on: a snapshot must not change with the calendar.
TODAY = datetime.date(2026, 6, 15)
STEP_NAMES = [step.name for step in STEPS]
FIXTURES = {path.stem: path for path in DOSSIERS}

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
BAD_SIRET = "52147896600175"  # the example's SIRET with a wrong key


@pytest.fixture(autouse=True)
def _fixed_day_and_limits(monkeypatch):
    check = engine.check

    def on_fixed_day(dossier, today=None):
        return check(dossier, today=today or TODAY)

    monkeypatch.setattr(engine, "check", on_fixed_day)
    clients.reset_creation_limiter()
    yield
    clients.reset_creation_limiter()


def normalised(text: str, base: str) -> str:
    contrat_id = base.strip("/").split("/")[-1]
    text = CSRF.sub(r"\1CSRF\2", text)
    return text.replace(contrat_id, "CONTRAT-ID").replace(contrat_id.replace("-", ""), "CONTRATHEX")


def snapshot_path(case: str) -> Path:
    return SNAPSHOTS / f"{case}.html.gz"


def read_snapshot(case: str) -> str:
    return gzip.decompress(snapshot_path(case).read_bytes()).decode("utf-8")


def compare(case: str, text: str | None) -> None:
    """``text`` equals the snapshot of ``case``; None: the case has no page (no snapshot)."""
    path = snapshot_path(case)
    if WRITE:
        SNAPSHOTS.mkdir(exist_ok=True)
        if text is None:
            path.unlink(missing_ok=True)
        else:
            # No date in the gzip header: the same page gives the same file.
            path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
        return
    if text is None:
        assert not path.exists(), f"{case}: no such page any more, its snapshot is stale"
        return
    assert path.exists(), f"{case}: no snapshot (CERFA_SNAPSHOTS=write writes it)"
    expected = read_snapshot(case)
    if text != expected:
        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(), text.splitlines(), "snapshot", "page", lineterm="", n=1
            )
        )
        pytest.fail(f"{case}: the page differs from its snapshot\n{diff[:4000]}")


def page(client, base: str, response) -> str | None:
    if response.status_code == 302:
        return None
    assert response.status_code == 200, response.content[:500]
    return normalised(response.content.decode(), base)


def stored(client, base: str, step: str, **changes: str) -> dict:
    """A step as its page would post it: its stored values, changed."""
    dossier = Dossier.from_dict(dossier_json(client, base))
    values = convert.step_data_from(dossier).get(step, {})
    return {**{name: found[0] for name, found in values.items()}, **changes}


def post(client, base: str, step: str, data: dict, **kwargs):
    return client.post(base + step + "/", {**management(base, step, **kwargs), **data})


def compare_steps(client, base: str, prefix: str) -> None:
    """Every step of a contract, the review page included, against its snapshot; every
    difference is listed."""
    failures = []
    for step in STEP_NAMES:
        try:
            compare(f"{prefix}--{step}", page(client, base, client.get(base + step + "/")))
        except (AssertionError, pytest.fail.Exception) as failure:
            failures.append(str(failure))
    if failures:
        pytest.fail("\n\n".join(failures))


@pytest.mark.parametrize("fixture", sorted(FIXTURES))
def test_every_step_of_every_fixture_contract(client, fixture):
    compare_steps(client, uploaded_contract(client, FIXTURES[fixture].read_bytes()), fixture)


def test_every_step_of_a_blank_contract(client):
    compare_steps(client, started_contract(client), "blank")


def test_a_postal_code_of_several_communes_lists_them(client):
    base = uploaded_contract(client)
    data = stored(
        client,
        base,
        "employeur",
        employeur__adresse__code_postal="01090",
        employeur__adresse__commune="",
    )
    assert post(client, base, "employeur", data).status_code == 302
    response = client.get(base + "employeur/")
    assert "<datalist" in response.content.decode()
    compare("communes--employeur", page(client, base, response))


# Values no field can read, for each kind of box: the page shows them with their errors.
UNREADABLE = {
    "apprenti": {
        "apprenti__date_naissance": "31/02/2005",  # a date
        "apprenti__sexe": "X",  # radios
        "apprenti__departement_naissance": "999",  # a list
    },
    "employeur": {
        "employeur__effectif": "beaucoup",  # a whole number
        "employeur__adhesion_regime_assurance_chomage": "peut-être",  # yes / no
        "employeur__siret": "1" * 400,  # longer than its box
    },
    "remuneration": {
        "contrat__smc": "mille euros",  # an amount
        "remuneration_1_1_taux": "beaucoup",  # a rate
    },
}


@pytest.mark.parametrize("step", sorted(UNREADABLE))
def test_a_step_posted_with_values_that_cannot_be_read(client, step):
    base = uploaded_contract(client)
    response = post(client, base, step, stored(client, base, step, **UNREADABLE[step]))
    assert response.status_code == 200
    compare(f"erreurs-saisie--{step}", page(client, base, response))


def test_a_step_stopped_on_the_rules_errors(client):
    base = uploaded_contract(client)
    data = stored(client, base, "employeur", employeur__siret=BAD_SIRET)
    response = post(client, base, "employeur", data, stop_on_errors=True)
    assert "Continuer malgré tout" in response.content.decode()
    compare("arret-erreurs--employeur", page(client, base, response))


def test_boxes_left_unticked_show_their_findings(client):
    """A checkbox with the rules' findings beside it (the attestations the rules want)."""
    base = uploaded_contract(client)
    for step, name in (
        ("signature", "signature__attestation_pieces_justificatives"),
        ("maitres", "attestation_maitre_eligibilite"),
    ):
        data = {k: v for k, v in stored(client, base, step).items() if k != name}
        assert post(client, base, step, data).status_code == 302
        response = client.get(base + step + "/")
        assert "cerfa-field-findings__list" in response.content.decode()
        compare(f"non-coche--{step}", page(client, base, response))


def test_the_live_check_of_a_step(client):
    base = uploaded_contract(client)
    data = stored(client, base, "employeur", employeur__siret=BAD_SIRET)
    response = post(client, base, "employeur", {**data, "cerfa_verification": "1"})
    assert response.status_code == 200
    answer = json.loads(response.content)
    parts = [f"<!-- {name} -->\n{html}" for name, html in answer["fields"].items()]
    parts.append(f"<!-- summary -->\n{answer['summary']}")
    compare("verification--employeur", normalised("\n".join(parts) + "\n", base))


def test_the_fixed_parts_of_the_fields_are_written_once_per_field(client):
    """render.FIXED_CACHE holds every field of the wizard (some have two labels), and its
    key is the form's own words: what the user types never adds an entry."""
    assert 2 * sum(len(step.form.base_fields) for step in STEPS) <= render.FIXED_CACHE
    base = uploaded_contract(client)
    client.get(base + "employeur/")
    known = render._fixed.cache_info().currsize
    typed = stored(
        client, base, "employeur", employeur__denomination="Autre nom", employeur__effectif="x"
    )
    assert post(client, base, "employeur", typed).status_code == 200
    assert render._fixed.cache_info().currsize == known


def test_a_one_character_change_of_a_page_fails():
    """The comparison itself: a snapshot one character off is a failure."""
    if WRITE:
        pytest.skip("writing the snapshots")
    text = read_snapshot("exemple--apprenti")
    compare("exemple--apprenti", text)
    at = text.index('aria-describedby="') + len('aria-describedby="')
    for changed in (
        text[:at] + "x" + text[at + 1 :],  # one character replaced
        text[:at] + " " + text[at:],  # one space more
        text[:at] + text[at + 1 :],  # one character less
    ):
        with pytest.raises(pytest.fail.Exception, match="differs"):
            compare("exemple--apprenti", changed)
