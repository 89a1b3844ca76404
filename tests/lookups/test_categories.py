"""INSEE legal category → suggested CERFA employer type."""

import pytest

from cerfa.lookups.categories import Suggestion, suggest
from rules import codes


@pytest.mark.parametrize(
    "code, expected",
    [
        ("7113", ("public", "21")),
        ("7172", ("public", "21")),
        ("7210", ("public", "22")),
        ("7220", ("public", "23")),
        ("7230", ("public", "24")),
        ("7229", ("public", "29")),
        ("7364", ("public", "25")),
        ("7331", ("public", "26")),
        ("7383", ("public", "27")),
        ("7381", ("public", "27")),
        ("7348", ("public", "28")),
        ("7361", ("public", "28")),
        ("7371", ("public", "30")),
        ("4110", ("public", "30")),
        ("4140", ("public", "30")),
        ("7410", ("public", "29")),
        ("5710", ("prive", "12")),
        ("5499", ("prive", "12")),
        ("5599", ("prive", "12")),
        ("6220", ("prive", "12")),
        ("6901", ("prive", "12")),
        ("6598", ("prive", "13")),
        ("6533", ("prive", "13")),
        ("6317", ("prive", "13")),
        ("5785", ("prive", "14")),
        ("6561", ("prive", "14")),
        ("6578", ("prive", "14")),
        ("9220", ("prive", "15")),
        ("9230", ("prive", "15")),
        ("6540", ("prive", "16")),
        ("8210", ("prive", "16")),
        ("9300", ("prive", "16")),
    ],
)
def test_category_alone(code, expected):
    found = suggest(code)
    assert (found.prive_public, found.type_employeur) == expected


def test_groupement_d_employeurs_is_also_an_employeur_specifique():
    assert suggest("9223") == Suggestion("prive", "15", "2")


def test_repertoire_des_metiers_wins_over_the_rcs():
    assert suggest("5710", registre_metiers=True).type_employeur == "11"
    assert suggest("1000", registre_metiers=True).type_employeur == "11"


def test_agricultural_activity_means_msa():
    assert suggest("5499", code_naf="0111Z").type_employeur == "13"
    assert suggest("1000", code_naf="0210Z").type_employeur == "13"
    assert suggest("5499", code_naf="1071C").type_employeur == "12"


def test_agricultural_bodies_stay_msa_even_at_the_repertoire_des_metiers():
    assert suggest("6598", registre_metiers=True).type_employeur == "13"


def test_public_employers_are_never_changed_by_activity():
    assert suggest("7210", registre_metiers=True, code_naf="0111Z") == Suggestion("public", "22")


@pytest.mark.parametrize("code", ["1000", "3210", "7999", "", None, "57", "ABCD", "0000"])
def test_no_suggestion_when_the_category_does_not_tell(code):
    assert suggest(code) is None


def test_every_suggestion_is_a_cerfa_type_of_its_own_box():
    """Over every 4-digit category, a suggested type is in rules/codes.py's list of the box
    it goes with (11-16 privé, 21-30 public), as the rules check it."""
    private, public = (
        codes.codes(codes.TYPE_EMPLOYEUR_PRIVE),
        codes.codes(codes.TYPE_EMPLOYEUR_PUBLIC),
    )
    seen = set()
    for number in range(10000):
        for found in (suggest(f"{number:04d}"), suggest(f"{number:04d}", registre_metiers=True)):
            if found is None:
                continue
            assert found.type_employeur in (private if found.prive_public == "prive" else public)
            assert found.employeur_specifique in (None, *codes.codes(codes.EMPLOYEUR_SPECIFIQUE))
            seen.add(found.type_employeur)
    assert seen == private | public
