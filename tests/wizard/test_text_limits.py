"""The wizard's text boxes have the dossier's maximum lengths (rules/limits.py), and a text
too long, even stored unchecked by « Précédent », reaches neither the rules, the pages
nor the PDF."""

import io
import json
import re

from django.utils.datastructures import MultiValueDict
from pypdf import PdfReader

from cerfa.store import get_store
from cerfa.wizard import convert, fields
from cerfa.wizard.forms import dossier_path
from cerfa.wizard.steps import STEPS
from rules import limits
from tests.helpers import read_fields
from tests.wizard.conftest import (
    dossier_json,
    example_json,
    management,
    upload,
    uploaded_contract,
)

LONG_NAME = "Moreau" * 100  # 600 characters; the box shows 324 at most


def test_every_text_box_has_its_dossier_maximum_in_the_page():
    seen = 0
    for step in STEPS:
        form = step.form()
        for name, field in form.fields.items():
            if field.kind != fields.TEXT:
                continue
            limit = limits.max_length(dossier_path(name))
            assert field.max_length == limit, name
            assert f'maxlength="{limit}"' in str(form[name]), name
            seen += 1
    assert seen > 40


def test_a_text_too_long_stops_its_step_and_stays_in_its_box(client):
    base = uploaded_contract(client)
    response = client.post(
        base + "apprenti/",
        {**management(base, "apprenti"), "apprenti__nom_naissance": LONG_NAME},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Certaines valeurs ne peuvent pas être lues" in html
    assert "Ce texte compte 600 caractères" in html and "324 au plus" in html
    assert f'value="{LONG_NAME}"' in html


def test_a_text_too_long_kept_by_previous_never_reaches_the_contract(client):
    base = uploaded_contract(client)
    response = client.post(
        base + "apprenti/",
        {
            **management(base, "apprenti"),
            "apprenti__nom_naissance": LONG_NAME,
            "apprenti__prenom": "Inès",
            "wizard_goto_step": "employeur",
        },
    )
    assert response.status_code == 302
    # The step shows it again, with its error.
    # Stored cut one character past the limit (what is kept of a step is bounded), so the
    # error still shows and the box holds what the browser would have let through.
    html = client.get(base + "apprenti/").content.decode()
    assert f'value="{LONG_NAME[:325]}"' in html and "324 au plus" in html
    # The review lists it as unreadable; the rules, the PDF and the JSON never see it.
    review = client.get(base + "recapitulatif/")
    assert review.status_code == 200
    assert "Ce texte compte 325 caractères" in review.content.decode()
    assert "MoreauMoreau" not in review.content.decode()
    assert dossier_json(client, base)["apprenti"]["nom_naissance"] is None
    pdf = client.get(base + "cerfa.pdf")
    assert pdf.status_code == 200
    assert not any(LONG_NAME in str(v) for v in read_fields(pdf.content).values())
    flat = client.get(base + "cerfa.pdf?version=aplatie")
    text = PdfReader(io.BytesIO(flat.content)).pages[0].extract_text()
    assert "MoreauMoreau" not in text
    assert client.get(base + "points-a-verifier.pdf").status_code == 200


def test_a_forged_code_too_long_is_dropped_not_a_crash():
    """A select's value outside its list is kept for the rules to name, unless it is
    longer than any box could show (the dossier loader would refuse it)."""
    data = {
        "apprenti": MultiValueDict({"apprenti__nationalite": ["9" * 5000]}),
        "contrat-en-bref": MultiValueDict({"contrat__mode_contractuel": ["x" * 11]}),
    }
    built = convert.build(data)
    assert built.dossier.apprenti.nationalite is None
    assert built.dossier.contrat.mode_contractuel is None
    assert sorted(e.name for e in built.errors) == [
        "apprenti__nationalite",
        "contrat__mode_contractuel",
    ]
    # Within its limit, a wrong code still reaches the rules, which say what to write.
    built = convert.build({"apprenti": MultiValueDict({"apprenti__nationalite": ["Française"]})})
    assert built.dossier.apprenti.nationalite == "Française"


def test_the_uploaded_draft_with_a_text_too_long_is_refused(client):
    dossier = json.loads(example_json())
    dossier["formation"]["intitule_precis"] = "Brevet professionnel " * 20
    html = upload(client, json.dumps(dossier).encode()).content.decode()
    assert "« formation.intitule_precis » est trop long" in html
    assert "232 au plus" in html


def test_what_a_step_stores_unvalidated_is_bounded_whatever_is_posted(client):
    """« Précédent » stores a step as posted: a hostile client sending 280 kB in every box
    of every step must not grow the contract past what the boxes can hold."""
    base = uploaded_contract(client)
    before = get_store().bytes_used
    for step in STEPS[:-1]:  # every step but the review
        page = client.get(base + step.name + "/")
        if page.status_code != 200:
            continue
        names = {
            name
            for name in re.findall(
                r'<(?:input|select|textarea)[^>]* name="([^"]+)"', page.content.decode()
            )
            if name not in ("csrfmiddlewaretoken", "wizard_goto_step")
            and "-current_step" not in name
        }
        assert names, step.name
        posted = {name: ["x" * 2_000] * 3 for name in names}
        response = client.post(
            base + step.name + "/",
            {**management(base, step.name), **posted, "wizard_goto_step": "contrat-en-bref"},
        )
        assert response.status_code == 302, step.name
    grown = get_store().bytes_used - before
    assert grown < 64_000, grown
