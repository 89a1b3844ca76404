"""rules/costs.py (what the contract costs at least) and rules/timeline.py (its dates).

Every amount below was worked out by hand, not by running the code: the rate × the
monthly base (SMIC 35 h: 1 766,92 € from 2024-01-01, 1 801,80 € from 2024-11-01,
1 823,03 € from 2026-01-01; Mayotte 1 415,05 € from 2026-01-01), × weekly minutes / 2100
under 35 hours, rounded *up* to the cent; a whole calendar month counts its monthly amount,
a part of a month its share of the month's days, rounded up to the cent.
"""

import datetime
from decimal import Decimal

import pytest

from rules.complete import complete
from rules.costs import compute_costs, costs_for, fr_hours, gross
from rules.dossier import Dossier
from rules.remuneration import GridInputs, compute_grid
from rules.timeline import timeline_for
from tests.helpers import DOSSIERS

from .factories import make

D = datetime.date
M = Decimal


def costs(birth, start, end, minutes=2100, **kw):
    return compute_costs(compute_grid(GridInputs(birth, start, end, **kw)), minutes)


def amounts(c):
    """(du, au, monthly on the first day, total) of each period."""
    return [(p.line.du, p.line.au, p.mensuel, p.total) for p in c.periods]


# -- the fixtures ------------------------------------------------------------------------


def test_the_example_birthday_split():
    # Born 14/05/2008, 19 at the start (01/09/2027), 21 on 14/05/2029: 61 % from 01/06/2029.
    # 43 % × 1 823,03 = 783,9029 → 783,91 × 12 = 9 406,92
    # 51 % × 1 823,03 = 929,7453 → 929,75 × 9 (09/2028-05/2029) = 8 367,75
    # 61 % × 1 823,03 = 1 112,0483 → 1 112,05 × 3 (06-08/2029) = 3 336,15
    c = costs_for(make())
    assert amounts(c) == [
        (D(2027, 9, 1), D(2028, 8, 31), M("783.91"), M("9406.92")),
        (D(2028, 9, 1), D(2029, 5, 31), M("929.75"), M("8367.75")),
        (D(2029, 6, 1), D(2029, 8, 31), M("1112.05"), M("3336.15")),
    ]
    assert c.total == M("21110.82")
    # The example's salaire à l'embauche is period 1's monthly minimum.
    assert make().contrat.salaire_brut_embauche == c.periods[0].mensuel


def test_the_minor_fixture():
    # Born 20/02/2011: 27 % → 492,22 × 12; 39 % → 710,99 × 6 (09/2028-02/2029); 18 on
    # 20/02/2029, 51 % from 01/03/2029 → 929,75 × 6. Total 5 906,64 + 4 265,94 + 5 578,50.
    from tests.helpers import load

    c = costs_for(load("mineur-representant-legal.json"))
    assert [(p.mensuel, p.total) for p in c.periods] == [
        (M("492.22"), M("5906.64")),
        (M("710.99"), M("4265.94")),
        (M("929.75"), M("5578.50")),
    ]
    assert c.total == M("15751.08")


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.name)
def test_period_1_is_the_salary_complete_fills(path):
    d = Dossier.from_json(path.read_text(encoding="utf-8"))
    c = costs_for(d)
    if c is None:
        assert timeline_for(d) is None or timeline_for(d).periods == ()
        return
    d.contrat.remunerations = []
    d.contrat.salaire_brut_embauche = None
    completed, _ = complete(d)
    assert completed.contrat.salaire_brut_embauche == c.periods[0].mensuel
    assert c.total == sum(p.total for p in c.periods)
    assert all(p.total == sum(piece.total for piece in p.pieces) for p in c.periods)


# -- hand-computed cases -----------------------------------------------------------------


def test_smc_from_21_with_years_starting_mid_month():
    # Born 10/03/2005: 21 at the start (15/09/2026). SMC 2 000 > SMIC 1 823,03: the base.
    # Year 1, 53 % × 2 000 = 1 060,00: September 2026 from the 15th, 16 days of 30 →
    # 565,333… → 565,34; October 2026 to August 2027, 11 × 1 060 = 11 660; 1-14 September
    # 2027, 14/30 → 494,666… → 494,67. Total 12 720,01.
    # Year 2, 61 % × 2 000 = 1 220,00: 650,666… → 650,67 + 13 420 + 569,333… → 569,34 =
    # 14 640,01.
    c = costs(D(2005, 3, 10), D(2026, 9, 15), D(2028, 9, 14), smc=M("2000.00"))
    assert [p.line.reference for p in c.periods] == ["SMC", "SMC"]
    assert amounts(c) == [
        (D(2026, 9, 15), D(2027, 9, 14), M("1060.00"), M("12720.01")),
        (D(2027, 9, 15), D(2028, 9, 14), M("1220.00"), M("14640.01")),
    ]
    assert c.total == M("27360.02")


def test_mayotte_smic():
    # Employer in Mayotte (976), apprentice born 10/10/2004, 21 at the start (01/09/2026):
    # 53 % × 1 415,05 = 749,9765 → 749,98 × 12 = 8 999,76; 61 % → 863,1805 → 863,19 × 12 =
    # 10 358,28. Total 19 358,04.
    d = make(
        {
            "apprenti.date_naissance": "2004-10-10",
            "contrat.date_debut_execution": "2026-09-01",
            "contrat.date_fin": "2028-08-31",
            "employeur.adresse.code_postal": "97600",
        }
    )
    c = costs_for(d)
    assert amounts(c) == [
        (D(2026, 9, 1), D(2027, 8, 31), M("749.98"), M("8999.76")),
        (D(2027, 9, 1), D(2028, 8, 31), M("863.19"), M("10358.28")),
    ]
    assert c.total == M("19358.04")
    assert c.last_known.mayotte and c.last_known.monthly == M("1415.05")
    assert "Le dernier SMIC connu à Mayotte" in " ".join(c.sentences())


def test_part_time():
    # The example at 28 h 30 a week: 1 710 / 2 100 of each amount.
    # 783,9029 × 1 710 / 2 100 = 638,3209… → 638,33 × 12 = 7 659,96
    # 929,7453 × 1 710 / 2 100 = 757,0783… → 757,08 × 9 = 6 813,72
    # 1 112,0483 × 1 710 / 2 100 = 905,5250… → 905,53 × 3 = 2 716,59. Total 17 190,27.
    d = make({"contrat.duree_hebdo": {"heures": 28, "minutes": 30}})
    c = costs_for(d)
    assert [(p.mensuel, p.total) for p in c.periods] == [
        (M("638.33"), M("7659.96")),
        (M("757.08"), M("6813.72")),
        (M("905.53"), M("2716.59")),
    ]
    assert c.total == M("17190.27")
    assert c.sentences()[0] == (
        "Montants calculés pour 28 h 30 par semaine, soit 81,43 % d'un temps plein de "
        "35 heures : le SMIC est un salaire horaire."
    )
    # The salaire à l'embauche complete fills for that week is the same amount.
    d.contrat.salaire_brut_embauche = None
    assert complete(d)[0].contrat.salaire_brut_embauche == M("638.33")


def test_a_smic_revaluation_inside_a_period():
    # Born 15/03/2006, 18 at the start (01/09/2024), 21 after the end.
    # Year 1 (01/09/2024-31/08/2025), 43 %: on its first day the SMIC is 1 766,92 →
    # 759,7756 → 759,78 (September, October 2024); from 01/11/2024 the SMIC is 1 801,80 →
    # 774,774 → 774,78 (10 months). 1 519,56 + 7 747,80 = 9 267,36.
    # Year 2 (01/09/2025-31/08/2026), 51 %: 1 801,80 → 918,918 → 918,92 × 4 (09-12/2025);
    # from 01/01/2026, 1 823,03 → 929,7453 → 929,75 × 8. 3 675,68 + 7 438,00 = 11 113,68.
    c = costs(D(2006, 3, 15), D(2024, 9, 1), D(2026, 8, 31))
    assert amounts(c) == [
        (D(2024, 9, 1), D(2025, 8, 31), M("759.78"), M("9267.36")),
        (D(2025, 9, 1), D(2026, 8, 31), M("918.92"), M("11113.68")),
    ]
    assert c.total == M("20381.04")
    year1, year2 = c.periods
    assert [(p.du, p.au, p.base, p.mensuel, p.total) for p in year1.pieces] == [
        (D(2024, 9, 1), D(2024, 10, 31), M("1766.92"), M("759.78"), M("1519.56")),
        (D(2024, 11, 1), D(2025, 8, 31), M("1801.80"), M("774.78"), M("7747.80")),
    ]
    assert [(p.du, p.mensuel) for p in year2.pieces] == [
        (D(2025, 9, 1), M("918.92")),
        (D(2026, 1, 1), M("929.75")),
    ]
    # Which SMIC applies, and why, with the source: said once per revaluation.
    said = [s for s in c.sentences() if s.startswith("Le SMIC est revalorisé")]
    assert said[0] == (
        "Le SMIC est revalorisé le 01/11/2024, pendant la période du 01/09/2024 au "
        "31/08/2025 : son montant mensuel (759,78 €) est calculé sur le SMIC en vigueur le "
        "premier jour (1 766,92 €), puis le minimum passe à 774,78 € à partir du 01/11/2024 "
        "(43 % de 1 801,80 €, SMIC revalorisé). Le salaire minimum de l'apprenti est un "
        "pourcentage du SMIC : il suit chaque revalorisation dès sa date d'effet (C. trav. "
        "art. D6222-26, L3231-5 et L3231-6). Le total en tient compte."
    )
    assert len(said) == 2 and "le 01/01/2026" in said[1]


def test_an_smc_line_follows_the_smic_once_a_revaluation_takes_it_above():
    # Born 01/01/2000 (24), 01/09/2024-31/08/2025, SMC 1 780 (> 1 766,92): 53 % × 1 780 =
    # 943,40 for September and October; from 01/11/2024 the SMIC (1 801,80) is higher:
    # 53 % × 1 801,80 = 954,954 → 954,96 × 10. 1 886,80 + 9 549,60 = 11 436,40.
    c = costs(D(2000, 1, 1), D(2024, 9, 1), D(2025, 8, 31), smc=M("1780.00"))
    (period,) = c.periods
    assert [(p.reference, p.mensuel, p.total) for p in period.pieces] == [
        ("SMC", M("943.40"), M("1886.80")),
        ("SMIC", M("954.96"), M("9549.60")),
    ]
    assert c.total == M("11436.40")


def test_an_smc_still_higher_after_a_revaluation_keeps_one_amount():
    # SMC 2 000 stays above the SMIC of 01/11/2024: 53 % × 2 000 = 1 060 × 12 = 12 720.
    c = costs(D(2000, 1, 1), D(2024, 9, 1), D(2025, 8, 31), smc=M("2000.00"))
    (period,) = c.periods
    assert len(period.pieces) == 1 and period.total == M("12720.00")
    assert not [s for s in c.sentences() if s.startswith("Le SMIC est revalorisé")]


def test_overtime_is_not_counted_and_said_so():
    c = costs_for(make({"contrat.duree_hebdo": {"heures": 39, "minutes": 0}}))
    assert c.periods[0].mensuel == M("783.91")
    assert "semaine de 39 heures" in c.sentences()[0]
    assert "L3121-36" in c.sentences()[0]


def test_an_unknown_week_is_counted_as_35_hours_and_said_so():
    c = costs_for(make({"contrat.duree_hebdo": {"heures": None, "minutes": None}}))
    assert c.periods[0].mensuel == M("783.91")
    assert c.sentences()[0].startswith("La durée hebdomadaire du travail n'est pas indiquée")


def test_part_of_a_month_is_its_share_of_the_days_rounded_up():
    # 15-29 February 2028 (leap year): 15/29 of 1 000 = 517,241… → 517,25.
    assert gross(M("1000.00"), D(2028, 2, 15), D(2028, 2, 29)) == M("517.25")
    assert gross(M("1000.00"), D(2028, 2, 1), D(2028, 2, 29)) == M("1000.00")
    # 31 January + all of February + 1 March: 1/31 → 32,258… → 32,26; 1 000; 32,26.
    assert gross(M("1000.00"), D(2028, 1, 31), D(2028, 3, 1)) == M("1064.52")


def test_no_grid_no_costs():
    assert costs_for(make({"apprenti.date_naissance": None})) is None


def test_amounts_as_json_data():
    data = costs_for(make()).to_dict()
    assert data["total_brut_minimum"] == "21110.82"
    first = data["periodes"][0]
    assert first["salaire_brut_mensuel_minimum"] == "783.91"
    assert first["du"] == "2027-09-01" and first["taux_minimum"] == 43
    assert first["tranches"][0]["smic_en_vigueur_depuis"] == "2026-01-01"


def test_hours_in_words():
    assert fr_hours(2100) == "35 heures"
    assert fr_hours(1710) == "28 h 30"


# -- the timeline's dates ----------------------------------------------------------------


def _days(t):
    return [(m.kind, m.day) for m in t.milestones]


def test_the_example_milestones_in_order():
    t = timeline_for(make())
    assert _days(t) == [
        ("conclusion", D(2027, 8, 24)),
        ("debut", D(2027, 9, 1)),
        ("formation_pratique", D(2027, 9, 1)),
        ("cfa", D(2027, 9, 6)),
        # 5 jours ouvrables after Wednesday 01/09/2027: Thu 2, Fri 3, Sat 4, Mon 6, Tue 7.
        ("transmission", D(2027, 9, 7)),
        # The 45th day of practical training from 01/09/2027: 30 in September, 15 in October.
        ("fin_essai", D(2027, 10, 15)),
        ("epreuves", D(2029, 7, 3)),
        ("fin", D(2029, 8, 31)),
    ]
    trial = next(m for m in t.milestones if m.kind == "fin_essai")
    assert trial.estimate and "estimation" in trial.label.lower()
    assert "L6222-18" in trial.detail
    assert "D6224-1" in next(m for m in t.milestones if m.kind == "transmission").detail
    assert t.first == D(2027, 8, 24) and t.last == D(2029, 8, 31)


def test_the_filing_deadline_skips_a_public_holiday_and_a_sunday():
    # Wednesday 10/11/2027: 11 November is a holiday; Fri 12, Sat 13, Mon 15, Tue 16, Wed 17.
    t = timeline_for(
        make(
            {
                "contrat.date_conclusion": "2027-11-02",
                "contrat.date_debut_execution": "2027-11-10",
                "contrat.date_debut_formation_pratique": "2027-11-10",
            }
        )
    )
    assert dict(_days(t))["transmission"] == D(2027, 11, 17)


def test_the_trial_period_counts_from_the_start_of_practical_training():
    t = timeline_for(make({"contrat.date_debut_formation_pratique": "2027-09-13"}))
    assert dict(_days(t))["fin_essai"] == D(2027, 10, 27)


def test_a_public_administrative_employer_files_with_the_state():
    t = timeline_for(make({"employeur.type_employeur": "21", "employeur.prive_public": "public"}))
    filing = next(m for m in t.milestones if m.kind == "transmission")
    assert "DDETS" in filing.label and "D6275-1" in filing.detail


def test_an_avenant_has_no_new_trial_period_nor_filing_deadline_but_its_date():
    from tests.helpers import load

    t = timeline_for(load("avenant.json"))
    kinds = [m.kind for m in t.milestones]
    assert "fin_essai" not in kinds and "transmission" not in kinds
    assert "avenant" in kinds
    assert next(m for m in t.milestones if m.kind == "conclusion").label == (
        "Signature de l'avenant"
    )


def test_periods_say_why_their_rate():
    t = timeline_for(make())
    assert [p.reason for p in t.periods] == [
        "18 à 20 ans, 1re année du contrat.",
        "18 à 20 ans, 2e année du contrat.",
        "21 ans le 14/05/2029, nouveau taux le 1er du mois suivant (C. trav. art. D6222-31) : "
        "21 à 25 ans, 2e année du contrat ; base : le SMIC, aucun salaire minimum "
        "conventionnel n'étant indiqué.",
    ]
    assert [p.name for p in t.periods] == ["Année 1", "Année 2", "Année 2, période 2"]
    smc = timeline_for(make({"apprenti.date_naissance": "2005-03-10", "contrat.smc": "2500.00"}))
    assert all("salaire minimum conventionnel, plus élevé" in p.reason for p in smc.periods)


def test_no_timeline_without_start_and_end_in_order():
    assert timeline_for(make({"contrat.date_fin": None})) is None
    assert timeline_for(make({"contrat.date_fin": "2027-08-01"})) is None


def test_a_timeline_without_a_grid_says_why():
    t = timeline_for(make({"apprenti.date_naissance": "2030-01-01"}))
    assert t.periods == () and t.costs is None
    assert "date de naissance" in t.grid_problem
    assert timeline_for(make({"apprenti.date_naissance": None})).grid_problem == ""
