"""Dossier format v1: exact round trip, typed loading, one-line French errors, the schema."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from rules.dossier import Dossier, DossierError, get_path
from rules.schema import json_schema
from tests.helpers import DOSSIERS

SCHEMA_FILE = Path(__file__).parent.parent / "docs" / "dossier-v1.schema.json"


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_round_trip_is_exact(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    dossier = Dossier.from_dict(data)
    dumped = dossier.to_dict()
    if path.stem == "brouillon-incomplet":
        # Missing keys come back as null: same meaning ("not answered"), and stable.
        assert Dossier.from_dict(dumped).to_dict() == dumped
        assert dumped["employeur"]["denomination"] == "Boulangerie Martin"
    else:
        assert dumped == data
    assert json.loads(dossier.to_json()) == dumped


def test_values_are_typed():
    example = Dossier.from_json(
        (Path(__file__).parent / "fixtures/dossiers/exemple.json").read_text()
    )
    assert example.apprenti.date_naissance == date(2008, 5, 14)
    assert example.contrat.salaire_brut_embauche == Decimal("783.91")
    assert example.employeur.effectif == 6
    assert example.contrat.remunerations[2].taux == 61
    assert get_path(example, "maitres.0.prenom") == "Sandrine"
    assert get_path(example, "maitres.1.prenom") is None
    assert get_path(example, "apprenti.representant_legal.prenom") is None


def test_leading_zeros_and_decimal_rates_survive():
    text = '{"apprenti": {"derniere_classe": "01"}, "contrat": {"remunerations": [{"taux": 53.5}]}}'
    dumped = Dossier.from_json(text).to_dict()
    assert dumped["apprenti"]["derniere_classe"] == "01"
    assert dumped["contrat"]["remunerations"][0]["taux"] == 53.5


def test_missing_format_reads_as_v1_and_empty_object_is_a_draft():
    assert Dossier.from_json("{}").to_dict()["format"] == "cerfa-fa13/1"


def test_unknown_keys_are_ignored_and_remembered():
    dossier = Dossier.from_json('{"apprenti": {"surnom": "Lulu"}, "extra": 1}')
    assert dossier.apprenti.nom_naissance is None
    assert dossier.ignored_keys == ["apprenti.surnom", "extra"]
    assert "surnom" not in dossier.to_json()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pas du json", "n'est pas du JSON valide (ligne 1, colonne 1)"),
        ("[1, 2]", "doit être un objet JSON"),
        ('{"format": "cerfa-fa13/9"}', "Format de dossier inconnu : « cerfa-fa13/9 »"),
        (
            '{"apprenti": {"date_naissance": "14/05/2008"}}',
            "« apprenti.date_naissance » doit être une date",
        ),
        (
            '{"apprenti": {"date_naissance": "2008-02-30"}}',
            "« apprenti.date_naissance » n'est pas une date qui existe",
        ),
        (
            '{"employeur": {"type_employeur": 11}}',
            "« employeur.type_employeur » doit être un texte",
        ),
        ('{"employeur": {"effectif": "6"}}', "« employeur.effectif » doit être un nombre entier"),
        ('{"employeur": {"effectif": true}}', "« employeur.effectif » doit être un nombre entier"),
        ('{"apprenti": {"rqth": "non"}}', "« apprenti.rqth » doit être true ou false"),
        ('{"maitres": {"nom": "x"}}', "« maitres » doit être une liste"),
        (
            '{"maitres": [{"date_naissance": 1984}]}',
            "« maitres.0.date_naissance » doit être une date",
        ),
        ('{"contrat": {"smc": 1900}}', "« contrat.smc » doit être un montant"),
        (
            '{"contrat": {"salaire_brut_embauche": "1 823,03"}}',
            "« contrat.salaire_brut_embauche » doit être un montant",
        ),
        (
            '{"contrat": {"remunerations": [{"taux": "43"}]}}',
            "« contrat.remunerations.0.taux » doit être un nombre",
        ),
        ('{"formation": {"cfa": ["x"]}}', "« formation.cfa » doit être un objet"),
    ],
)
def test_malformed_input_gives_one_french_line_naming_the_place(text, expected):
    with pytest.raises(DossierError) as caught:
        Dossier.from_json(text)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Python's json reads these; JSON has no such numbers, and the rules would fail on them.
        ('{"contrat": {"remunerations": [{"taux": NaN}]}}', "« contrat.remunerations.0.taux »"),
        ('{"contrat": {"remunerations": [{"taux": -Infinity}]}}', "-Infinity"),
        ('{"contrat": {"remunerations": [{"taux": 1e400}]}}', "« contrat.remunerations.0.taux »"),
        ('{"contrat": {"duree_hebdo": {"heures": 1' + "0" * 400 + "}}}", "contrat.duree_hebdo"),
        # Past 4300 digits, Python refuses to read an integer at all (a ValueError).
        ('{"employeur": {"effectif": ' + "9" * 5000 + "}}", "« employeur.effectif »"),
        ('{"employeur": {"effectif": 9007199254740992}}', "« employeur.effectif »"),
        ("NaN", "doit être un objet JSON"),
    ],
)
def test_numbers_json_cannot_carry_are_refused_where_they_stand(text, expected):
    with pytest.raises(DossierError) as caught:
        Dossier.from_json(text)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and len(message) < 300


def test_largest_exact_json_integer_and_unusable_numbers_in_unknown_keys_are_read():
    dossier = Dossier.from_json(
        '{"employeur": {"effectif": 9007199254740991}, "note": NaN, "x": ' + "9" * 5000 + "}"
    )
    assert dossier.employeur.effectif == 2**53 - 1
    assert dossier.ignored_keys == ["note", "x"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"apprenti": {"prenom": "Inès", "prenom": "Ines"}}', "« apprenti.prenom »"),
        (
            '{"maitres": [{}, {"nom_naissance": "A", "nom_naissance": "B"}]}',
            "maitres.1.nom_naissance",
        ),
        ('{"contrat": {}, "contrat": {}}', "« contrat »"),
        ('{"format": "cerfa-fa13/1", "format": "cerfa-fa13/1"}', "« format »"),
    ],
)
def test_a_key_written_twice_is_refused_not_silently_the_last_one(text, expected):
    """Python's json keeps the last value; another program may keep the first."""
    with pytest.raises(DossierError) as caught:
        Dossier.from_json(text)
    assert expected in str(caught.value) and "deux fois" in str(caught.value)


def test_a_key_written_twice_in_an_unknown_object_is_ignored_with_it():
    assert Dossier.from_json('{"extra": {"a": 1, "a": 2}}').ignored_keys == ["extra"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"apprenti": {"date_naissance": "2008-05-14\\n"}}', "doit être une date au format"),
        ('{"apprenti": {"date_naissance": "2027-9-1"}}', "doit être une date au format"),
        ('{"apprenti": {"date_naissance": "٢٠٠٨-٠٥-١٤"}}', "doit être une date au format"),
        ('{"contrat": {"smc": "1900\\n"}}', "« contrat.smc » doit être un montant"),
        ('{"contrat": {"smc": "١٩٠٠"}}', "« contrat.smc » doit être un montant"),
        ('{"apprenti": {"date_naissance": "14\\n05\\r2008"}}', "pas le texte « 14\\n05\\r2008 »"),
        ('{"format": "cerfa\\nfa13/1"}', "« cerfa\\nfa13/1 »"),
    ],
)
def test_dates_and_amounts_are_ascii_digits_and_messages_stay_on_one_line(text, expected):
    """Python's \\d takes any script's digits and $ accepts a final line break; a value
    quoted in the message has its control characters written as escapes."""
    with pytest.raises(DossierError) as caught:
        Dossier.from_json(text)
    message = str(caught.value)
    assert expected in message
    assert message.isprintable()


def test_a_lone_surrogate_is_refused_where_it_stands():
    """JSON's \\ud800 escape is not a character: it could be neither printed, nor written
    to the PDF, nor saved again as UTF-8."""
    with pytest.raises(DossierError) as caught:
        Dossier.from_json('{"apprenti": {"nom_naissance": "Mor\\ud800eau"}}')
    assert "« apprenti.nom_naissance »" in str(caught.value)
    str(caught.value).encode("utf-8")


def test_an_unknown_key_is_remembered_in_printable_form():
    dossier = Dossier.from_json('{"apprenti": {"x\\ud800\\ny": 1}}')
    assert dossier.ignored_keys == ["apprenti.x\\ud800\\ny"]


def test_a_null_item_of_a_list_reads_as_an_empty_one():
    """null means "not answered", in a list as anywhere (the schema allows it): the item
    keeps its place (maître n°1 stays n°1) and the rules never meet a None."""
    from rules.dossier import Maitre, Remuneration

    dossier = Dossier.from_json(
        '{"maitres": [null, {"prenom": "Paul"}], "contrat": {"remunerations": [null]}}'
    )
    assert dossier.maitres == [Maitre(), Maitre(prenom="Paul")]
    assert dossier.contrat.remunerations == [Remuneration()]


def test_not_utf8():
    with pytest.raises(DossierError, match="UTF-8"):
        Dossier.from_json(b'{"apprenti": {"prenom": "In\xe8s"}}')


def test_committed_schema_is_the_generated_one():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema(), (
        "Regenerate it: python -m rules.schema > docs/dossier-v1.schema.json"
    )


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_fixtures_follow_the_schema(path):
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), json_schema())


@pytest.mark.parametrize(
    "good",
    [{"format": None}, {"maitres": [None]}, {}],
)
def test_schema_accepts_what_the_loader_reads(good):
    """Any key may be null (dossier format v1), "format" too: read as v1."""
    jsonschema.validate(good, json_schema())
    Dossier.from_dict(good)


@pytest.mark.parametrize(
    "bad",
    [{"apprenti": {"date_naissance": 3}}, {"format": "autre"}, {"contrat": {"remunerations": {}}}],
)
def test_schema_refuses_what_the_loader_refuses(bad):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, json_schema())
    with pytest.raises(DossierError):
        Dossier.from_dict(bad)


def test_hostile_nesting_is_refused_plainly():
    with pytest.raises(DossierError, match="imbriqué"):
        Dossier.from_json("[" * 100_000 + "]" * 100_000)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1027-05-14", "2300-01-01"])
def test_implausible_years_are_refused_plainly(value):
    with pytest.raises(DossierError, match="année invraisemblable") as caught:
        Dossier.from_json(json.dumps({"contrat": {"date_fin": value}}))
    assert "« contrat.date_fin »" in str(caught.value)


def test_plausible_bounds_are_read():
    dossier = Dossier.from_json('{"maitres": [{"date_naissance": "1900-01-01"}]}')
    assert dossier.maitres[0].date_naissance.year == 1900
