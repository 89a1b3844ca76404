"""Avenants: which values each type concerns, the opened avenant and its recomputed grid."""

from __future__ import annotations

import datetime

import pytest

from rules import avenant
from rules.codes import TYPE_CONTRAT, TYPE_CONTRAT_AVENANT
from rules.dossier import Dossier
from rules.engine import load_rules
from rules.registry import RULES, Context
from rules.remuneration import grid_for
from tests.helpers import EXAMPLE

D = datetime.date
NUMERO = "069202709000123"


def example() -> Dossier:
    return Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))


def test_every_avenant_type_of_the_form_is_explained_once_with_its_notice_label():
    assert [t.code for t in avenant.TYPES] == sorted(TYPE_CONTRAT_AVENANT)
    labels = dict(TYPE_CONTRAT)
    for kind in avenant.TYPES:
        assert kind.title == labels[kind.code]
        assert kind.plain and kind.concerns


@pytest.mark.parametrize(
    ("code", "path", "expected"),
    [
        ("31", "employeur.siret", True),
        ("31", "maitres.0.nom_naissance", False),
        ("32", "maitres.1.prenom", True),
        ("33", "contrat.remunerations.3.taux", True),
        ("33", "contrat.date_fin", True),
        ("33", "contrat.date_finale", False),  # a prefix is a whole segment
        ("36", "contrat.duree_hebdo.heures", True),
        ("37", "employeur.adresse.commune", True),
        ("37", "employeur.denomination", False),
        ("38", "formation.lieu_principal.uai", True),
        ("11", "employeur.siret", False),  # not an avenant
    ],
)
def test_concerns(code, path, expected):
    assert avenant.concerns(code, path) is expected


def test_opened_avenant_carries_its_code_number_and_dates_and_leaves_the_initial_untouched():
    initial = example()
    before = initial.to_json()
    out = avenant.opened(initial, "36", NUMERO, D(2028, 3, 1))
    assert initial.to_json() == before
    c = out.contrat
    assert (c.type_contrat, c.numero_contrat_precedent, c.date_effet_avenant) == (
        "36",
        NUMERO,
        D(2028, 3, 1),
    )
    assert c.date_fin == initial.contrat.date_fin
    assert out.apprenti == initial.apprenti


def test_opened_refuses_a_code_that_is_not_an_avenant():
    with pytest.raises(ValueError):
        avenant.opened(example(), "21", NUMERO, D(2028, 3, 1))


def test_avenant_33_adds_the_extension_at_the_last_year_rate_and_keeps_the_performed_lines():
    initial = example()
    out = avenant.opened(initial, "33", NUMERO, D(2029, 9, 1), D(2030, 8, 31))
    lines = out.contrat.remunerations
    # The three lines of the initial contract end before the date d'effet: kept as they were.
    assert lines[:3] == initial.contrat.remunerations
    added = lines[3:]
    assert [(x.annee, x.periode, x.du, x.au) for x in added] == [
        (3, 1, D(2029, 9, 1), D(2030, 8, 31))
    ]
    # D6222-28: the extension pays at least the rate of the contract's last year.
    assert added[0].taux >= initial.contrat.remunerations[-1].taux
    assert added[0].taux == grid_for(out).lines[-1].taux


def test_a_line_from_the_date_deffet_on_is_recomputed_but_a_higher_contractual_rate_is_kept():
    initial = example()
    initial.contrat.remunerations[2].taux = 70  # the contract paid more than 61 %
    initial.contrat.remunerations[1].taux = 40  # and this line is below the minimum (51 %)
    out = avenant.opened(initial, "36", NUMERO, D(2028, 3, 1))
    rates = [line.taux for line in out.contrat.remunerations]
    assert rates[0] == 43  # ends before the date d'effet: as contracted
    assert rates[1] == 51  # recomputed at the minimum
    assert rates[2] == 70  # above the minimum, same period: kept


def test_regrid_without_a_grid_returns_the_initial_lines():
    initial = example()
    initial.apprenti.date_naissance = None
    out = avenant.opened(initial, "33", NUMERO, D(2029, 9, 1), D(2030, 8, 31))
    assert out.contrat.remunerations == initial.contrat.remunerations


def test_an_avenant_not_about_pay_keeps_the_grid():
    initial = example()
    out = avenant.opened(initial, "37", NUMERO, D(2028, 3, 1))
    assert out.contrat.remunerations == initial.contrat.remunerations


def _codes(d: Dossier) -> set[str]:
    load_rules()
    ctx = Context(today=D(2027, 8, 25))
    return {f.code for r in RULES.values() for f in r.run(d, ctx)}


def test_the_registry_avenant_rules_fire_on_an_opened_avenant():
    initial = example()
    missing_number = avenant.opened(initial, "33", "", D(2029, 9, 1), D(2030, 8, 31))
    assert "contrat.numero_contrat_precedent.avenant" in _codes(missing_number)
    bad_number = avenant.opened(initial, "33", "12345", D(2029, 9, 1), D(2030, 8, 31))
    assert "contrat.numero_contrat_precedent.format" in _codes(bad_number)
    outside = avenant.opened(initial, "36", NUMERO, D(2031, 1, 1))
    assert "contrat.date_effet_avenant.hors_contrat" in _codes(outside)
    good = avenant.opened(initial, "33", NUMERO, D(2029, 9, 1), D(2030, 8, 31))
    assert not {
        "contrat.numero_contrat_precedent.avenant",
        "contrat.numero_contrat_precedent.format",
        "contrat.date_effet_avenant.hors_contrat",
        "contrat.date_effet_avenant.manquante",
    } & _codes(good)
