"""The differences of two dossiers, the hand-over record, and the next contract."""

from __future__ import annotations

import datetime

import pytest

from rules import handover
from rules.diff import Change, differences, leaves
from rules.dossier import Dossier, Maitre, Remuneration
from rules.next_contract import REASONS, next_contract
from tests.helpers import EXAMPLE

D = datetime.date


def example() -> Dossier:
    return Dossier.from_json(EXAMPLE.read_text(encoding="utf-8"))


# -- diff --------------------------------------------------------------------------------


def test_same_dossier_has_no_difference_and_spaces_or_empty_blocks_do_not_count():
    a, b = example(), example()
    assert differences(a, b) == []
    b.employeur.denomination = f"  {a.employeur.denomination} "
    b.employeur.adresse.complement = None  # "" in the example: blank either way
    assert differences(a, b) == []


def test_changed_added_and_removed_values_each_give_one_change_in_the_format_order():
    a, b = example(), example()
    b.contrat.date_fin = D(2030, 8, 31)
    b.contrat.remunerations.append(Remuneration(3, 1, D(2029, 9, 1), D(2030, 8, 31), 61, "SMIC"))
    b.employeur.code_ape = None
    b.maitres.append(Maitre(prenom="Luc"))
    changes = differences(a, b)
    assert Change("contrat.date_fin", D(2029, 8, 31), D(2030, 8, 31)) in changes
    assert Change("contrat.remunerations.3.taux", None, 61) in changes
    assert Change("maitres.1.prenom", None, "Luc") in changes
    assert changes[-1] == Change("employeur.code_ape", a.employeur.code_ape, None)
    paths = [c.path for c in changes]
    assert paths.index("maitres.1.prenom") < paths.index("contrat.date_fin")


def test_leaves_keeps_false_answers_and_drops_blanks():
    d = example()
    values = leaves(d)
    assert values["contrat.machines_dangereuses"] is False
    assert "apprenti.nom_usage" not in values or values["apprenti.nom_usage"]


# -- hand-over ---------------------------------------------------------------------------


def cfa_part() -> Dossier:
    d = example()
    return Dossier(contrat=d.contrat, formation=d.formation)


def test_the_cfa_records_what_it_filled_and_the_employer_what_it_added():
    d = cfa_part()
    first = handover.record(d, "cfa", [])
    assert [c.by for c in first] == ["cfa"]
    assert "formation.cfa.siret" in first[0].paths
    assert not any(p.startswith("employeur.") for p in first[0].paths)
    full = example()
    second = handover.record(full, "employeur", handover.parse(handover.dump(first)))
    assert [c.by for c in second] == ["cfa", "employeur"]
    assert set(second[0].paths) == set(first[0].paths)
    assert "employeur.siret" in second[1].paths
    assert not set(second[0].paths) & set(second[1].paths)
    who = handover.prepared_by(second)
    assert who["formation.cfa.uai"] == "cfa"
    assert who["employeur.siret"] == "employeur"


def test_a_file_handed_back_and_forth_is_still_read_and_says_who_prepared_what():
    """More hand-overs than ``parse`` reads entries: the record folds them, one per role."""
    d = example()
    paths = handover.filled(d)
    roles = ("cfa", "employeur")
    previous = [
        handover.Contribution(roles[n % 2], (paths[n],)) for n in range(handover.MAX_ENTRIES)
    ]
    by = roles[handover.MAX_ENTRIES % 2]
    out = handover.record(d, by, previous)
    read = handover.parse(handover.dump(out))  # what we write, we read back
    who = handover.prepared_by(read)
    for n in range(handover.MAX_ENTRIES):
        assert who[paths[n]] == roles[n % 2]
    assert who[paths[handover.MAX_ENTRIES]] == by


def test_a_value_emptied_since_is_no_longer_listed():
    first = handover.record(cfa_part(), "cfa", [])
    d = cfa_part()
    d.formation.cfa.siret = None
    again = handover.record(d, "cfa", first)
    assert "formation.cfa.siret" not in again[0].paths
    assert len(again) == 1


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"par": "cfa"}, "liste"),
        ([{"par": "opco", "champs": []}], "« par »"),
        ([{"par": "cfa", "champs": "formation"}], "« champs »"),
        ([{"par": "cfa", "champs": ["Formation.CFA"]}], "chemin"),
        ([{"par": "cfa", "champs": ["a" * (handover.MAX_PATH_LENGTH + 1)]}], "chemin"),
        ([{"par": "cfa", "champs": ["a"] * (handover.MAX_PATHS + 1)}], "au plus"),
        ([{"par": "cfa", "champs": []}] * (handover.MAX_ENTRIES + 1), "plus de"),
    ],
)
def test_a_malformed_record_is_refused_in_french(value, words):
    with pytest.raises(handover.HandoverError, match=words):
        handover.parse(value)


def test_bounds_themselves_are_accepted():
    paths = [f"maitres.{i % 100}.{chr(97 + i // 100)}" for i in range(handover.MAX_PATHS)]
    entries = [{"par": "cfa", "champs": paths}] * handover.MAX_ENTRIES
    assert len(handover.parse(entries)) == handover.MAX_ENTRIES
    assert handover.parse(None) == []


# -- next contract -----------------------------------------------------------------------


@pytest.mark.parametrize("reason", REASONS, ids=lambda r: r.code)
def test_next_contract_keeps_the_apprentice_and_clears_what_must_change(reason):
    old = example()
    before = old.to_json()
    new = next_contract(old, reason.code)
    assert old.to_json() == before  # the old one untouched
    assert new.apprenti.nom_naissance == old.apprenti.nom_naissance
    assert new.apprenti.nir == old.apprenti.nir
    assert new.apprenti.situation_avant_contrat == reason.situation
    assert new.apprenti.dernier_diplome_prepare == old.formation.diplome_vise
    assert new.apprenti.intitule_dernier_diplome == old.formation.intitule_precis
    assert new.apprenti.diplome_plus_eleve == old.apprenti.diplome_plus_eleve
    assert new.apprenti.derniere_classe is None
    c = new.contrat
    assert c.type_contrat == reason.type_contrat
    assert (c.date_conclusion, c.date_debut_execution, c.date_fin) == (None, None, None)
    assert c.remunerations == [] and c.salaire_brut_embauche is None
    assert c.numero_contrat_precedent is None
    assert new.signature.fait_a is None
    if reason.same_employer:
        assert new.employeur == old.employeur and new.maitres == old.maitres
    else:
        assert new.employeur.siret is None and new.maitres == []
    if reason.same_training:
        assert new.formation == old.formation
    else:
        assert new.formation.cfa == old.formation.cfa
        assert new.formation.diplome_vise is None and new.formation.date_debut_cfa is None


def test_rupture_proposes_situation_8_and_the_next_diploma_situation_4():
    codes = {r.code: (r.type_contrat, r.situation) for r in REASONS}
    assert codes == {
        "rupture": ("23", "8"),
        "diplome_meme_employeur": ("21", "4"),
        "diplome_autre_employeur": ("22", "4"),
    }


def test_check_does_not_report_the_record_as_an_unknown_key():
    import json

    from rules.engine import load_rules
    from rules.registry import RULES, Context

    load_rules()
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["preparation"] = [{"par": "cfa", "champs": ["formation.cfa.siret"]}]
    data["prepa"] = 1
    d = Dossier.from_dict(data)
    found = RULES["format.cle_inconnue"].run(d, Context())
    assert [f.fields for f in found] == [("prepa",)]
