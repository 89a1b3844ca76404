"""rules/complete.py: what ``cerfa complete`` derives, and what it never touches.

The expected grids are worked out by hand (see the header of test_remuneration.py for the
rules and SMIC values used). Every dossier is the example one (contract from 01/09/2027 to
31/08/2029 unless changed, SMIC 1 823,03 €) with the grid and the salary emptied.
"""

import datetime
from decimal import Decimal

import pytest

from rules import complete as completion
from rules.dossier import Remuneration
from rules.opco import FINDING_CODE as OPCO_FINDING

from .factories import make, run

D = datetime.date


def complete(dossier):
    """``complete`` without its information on the employer's OPCO, which every dossier with
    an IDCC gets (tested in test_table_rules.py): these tests are about the grid."""
    done, findings = completion.complete(dossier)
    return done, [f for f in findings if f.code != OPCO_FINDING]


EMPTY = {"contrat.remunerations": [], "contrat.salaire_brut_embauche": None}


def lines_of(d):
    return [(x.annee, x.periode, x.du, x.au, x.taux, x.reference) for x in d.contrat.remunerations]


CASES = {
    # Born 15/03/2010: 18 on 15/03/2028, 43 % from 01/04/2028. 27 % × 1 823,03 → 492,22.
    "minor turning 18 in year 1": (
        {"apprenti.date_naissance": "2010-03-15"},
        [
            (1, 1, D(2027, 9, 1), D(2028, 3, 31), 27, "SMIC"),
            (1, 2, D(2028, 4, 1), D(2028, 8, 31), 43, "SMIC"),
            (2, 1, D(2028, 9, 1), D(2029, 8, 31), 51, "SMIC"),
        ],
        "492.22",
    ),
    # The example: 19 at the start, 21 on 14/05/2029, 61 % from 01/06/2029. 43 % → 783,91.
    "18-20 turning 21 in year 2": (
        {},
        [
            (1, 1, D(2027, 9, 1), D(2028, 8, 31), 43, "SMIC"),
            (2, 1, D(2028, 9, 1), D(2029, 5, 31), 51, "SMIC"),
            (2, 2, D(2029, 6, 1), D(2029, 8, 31), 61, "SMIC"),
        ],
        "783.91",
    ),
    # Born 10/03/2002: 25 at the start, 26 on 10/03/2028, 100 % from 01/04/2028; 3 years.
    # 53 % × 1 823,03 = 966,2059 → 966,21.
    "25 turning 26 in year 1 of 3": (
        {"apprenti.date_naissance": "2002-03-10", "contrat.date_fin": "2030-08-31"},
        [
            (1, 1, D(2027, 9, 1), D(2028, 3, 31), 53, "SMIC"),
            (1, 2, D(2028, 4, 1), D(2028, 8, 31), 100, "SMIC"),
            (2, 1, D(2028, 9, 1), D(2029, 8, 31), 100, "SMIC"),
            (3, 1, D(2029, 9, 1), D(2030, 8, 31), 100, "SMIC"),
        ],
        "966.21",
    ),
    # Born 30/06/1999: 28 at the start: 100 % of the SMIC.
    "26 and over": (
        {"apprenti.date_naissance": "1999-06-30"},
        [
            (1, 1, D(2027, 9, 1), D(2028, 8, 31), 100, "SMIC"),
            (2, 1, D(2028, 9, 1), D(2029, 8, 31), 100, "SMIC"),
        ],
        "1823.03",
    ),
    # Start 15/09/2027, end 20/01/2029; born 20/11/2009: 18 on 20/11/2027, 43 % from
    # 01/12/2027; year 2 from 15/09/2028 to the end. 27 % → 492,22.
    "mid-month start, mid-year end": (
        {
            "apprenti.date_naissance": "2009-11-20",
            "contrat.date_debut_execution": "2027-09-15",
            "contrat.date_fin": "2029-01-20",
        },
        [
            (1, 1, D(2027, 9, 15), D(2027, 11, 30), 27, "SMIC"),
            (1, 2, D(2027, 12, 1), D(2028, 9, 14), 43, "SMIC"),
            (2, 1, D(2028, 9, 15), D(2029, 1, 20), 51, "SMIC"),
        ],
        "492.22",
    ),
    # Born 01/05/2005: 22 at the start; SMC 2 000 € > SMIC: 53 % × 2 000 = 1 060,00.
    "higher SMC at 22": (
        {"apprenti.date_naissance": "2005-05-01", "contrat.smc": "2000.00"},
        [
            (1, 1, D(2027, 9, 1), D(2028, 8, 31), 53, "SMC"),
            (2, 1, D(2028, 9, 1), D(2029, 8, 31), 61, "SMC"),
        ],
        "1060.00",
    ),
    # SMC 1 700 € < SMIC: base SMIC, 53 % → 966,21.
    "lower SMC at 22": (
        {"apprenti.date_naissance": "2005-05-01", "contrat.smc": "1700.00"},
        [
            (1, 1, D(2027, 9, 1), D(2028, 8, 31), 53, "SMIC"),
            (2, 1, D(2028, 9, 1), D(2029, 8, 31), 61, "SMIC"),
        ],
        "966.21",
    ),
    # A commune of Mayotte; born 14/02/2006: 21 at the start. Mayotte SMIC 1 415,05 €:
    # 53 % = 749,9765 → 749,98.
    "public employer in 976": (
        {
            "employeur.prive_public": "public",
            "employeur.type_employeur": "22",
            "employeur.adresse.code_postal": "97600",
            "employeur.adresse.commune": "Mamoudzou",
            "apprenti.date_naissance": "2006-02-14",
        },
        [
            (1, 1, D(2027, 9, 1), D(2028, 8, 31), 53, "SMIC"),
            (2, 1, D(2028, 9, 1), D(2029, 8, 31), 61, "SMIC"),
        ],
        "749.98",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_fills_the_grid_and_the_salary(name):
    changes, expected, salary = CASES[name]
    done, findings = complete(make({**changes, **EMPTY}))
    assert lines_of(done) == expected
    assert done.contrat.salaire_brut_embauche == Decimal(salary)
    assert findings == []


def test_the_example_is_already_complete():
    d = make()
    done, findings = complete(d)
    assert done == d and findings == []


def test_the_input_is_not_modified():
    d = make(EMPTY)
    complete(d)
    assert d.contrat.remunerations == [] and d.contrat.salaire_brut_embauche is None


def test_rates_above_the_minimum_are_kept():
    d = make(
        {
            "contrat.remunerations.0.taux": 45,
            "contrat.remunerations.1.taux": 55.5,
            "contrat.salaire_brut_embauche": None,
        }
    )
    done, findings = complete(d)
    assert [x.taux for x in done.contrat.remunerations] == [45, 55.5, 61]
    # The salary follows line 1 as written: 45 % × 1 823,03 = 820,3635 → 820,37.
    assert done.contrat.salaire_brut_embauche == Decimal("820.37")
    assert findings == []


def test_a_rate_below_the_minimum_is_raised_and_reported():
    done, findings = complete(
        make({"contrat.remunerations.0.taux": 20, "contrat.remunerations.1.taux": 60})
    )
    assert [x.taux for x in done.contrat.remunerations] == [43, 60, 61]
    (f,) = findings
    assert (f.level, f.code, f.fields) == (
        "warning",
        "complete.remunerations.taux_releve",
        ("contrat.remunerations.0.taux",),
    )
    assert "20 %" in f.message and "43 %" in f.message and "D6222-26" in f.reference
    assert run("contrat.remunerations.taux_minimum", done) == []


def test_an_unsplit_year_is_raised_to_its_highest_minimum():
    # Year 2 written as one line at 51 % from 01/09/2028 to 31/08/2029: from 01/06/2029 the
    # minimum is 61 %, so the whole line must be at 61 % to be legal.
    d = make({"contrat.remunerations.1.au": "2029-08-31"})
    d.contrat.remunerations.pop()
    done, findings = complete(d)
    assert lines_of(done)[1] == (2, 1, D(2028, 9, 1), D(2029, 8, 31), 61, "SMIC")
    assert [f.fields for f in findings] == [("contrat.remunerations.1.taux",)]


def test_the_smc_base_is_set_when_due():
    done, findings = complete(make({"contrat.smc": "2000.00"}))
    assert [x.reference for x in done.contrat.remunerations] == ["SMIC", "SMIC", "SMC"]
    (f,) = findings
    assert (f.code, f.fields) == (
        "complete.remunerations.base_corrigee",
        ("contrat.remunerations.2.reference",),
    )
    assert run("contrat.remunerations.base", done) == []


def test_a_salary_given_is_never_overwritten():
    done, _ = complete(make({"contrat.salaire_brut_embauche": "700.00"}))
    assert done.contrat.salaire_brut_embauche == Decimal("700.00")


def test_empty_boxes_of_a_written_line_are_filled():
    d = make(
        {
            "contrat.remunerations.1.taux": None,
            "contrat.remunerations.1.reference": None,
            "contrat.remunerations.2.du": None,
            "contrat.remunerations.2.au": None,
        }
    )
    done, findings = complete(d)
    assert lines_of(done) == lines_of(make())
    assert findings == []


def test_year_and_period_from_the_dates():
    d = make({"contrat.remunerations.2.annee": None, "contrat.remunerations.2.periode": None})
    done, _ = complete(d)
    assert lines_of(done) == lines_of(make())


def test_nothing_to_compute_without_the_dates():
    d = make({**EMPTY, "apprenti.date_naissance": None})
    done, findings = complete(d)
    assert done.contrat.remunerations == [] and done.contrat.salaire_brut_embauche is None
    assert findings == []


def test_a_weekly_duration_under_35_hours():
    # 30 h: 783,9029 × 30 / 35 = 671,9168 → 671,92.
    done, _ = complete(make({**EMPTY, "contrat.duree_hebdo.heures": 30}))
    assert done.contrat.salaire_brut_embauche == Decimal("671.92")


@pytest.mark.parametrize(
    ("type_employeur", "expected"), [("11", "prive"), ("22", "public"), ("99", None)]
)
def test_prive_public_from_the_employer_type(type_employeur, expected):
    d = make({"employeur.prive_public": None, "employeur.type_employeur": type_employeur})
    assert complete(d)[0].employeur.prive_public == expected


def test_prive_public_given_is_kept():
    d = make({"employeur.prive_public": "public", "employeur.type_employeur": "11"})
    assert complete(d)[0].employeur.prive_public == "public"


def test_sex_from_a_valid_nir():
    # The example's NIR 208056912304504 starts with 2: a woman.
    assert complete(make({"apprenti.sexe": None}))[0].apprenti.sexe == "F"
    bad_key = make({"apprenti.sexe": None, "apprenti.nir": "208056912304505"})
    assert complete(bad_key)[0].apprenti.sexe is None


def test_lines_are_remunerations():
    done, _ = complete(make(EMPTY))
    assert all(isinstance(x, Remuneration) for x in done.contrat.remunerations)
