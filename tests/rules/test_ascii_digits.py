"""Identifiers in ASCII digits only.

Python's ``\\d`` and ``str.isdigit()`` take any script's digits (and ``isdigit()`` even
takes "²"); ``int()`` reads them. A number typed with Arabic-Indic or full-width digits is
none the registries, the OPCO or the public APIs know: each check refuses it, even where
its key would otherwise match.
"""

import jsonschema
import pytest

from rules import idcc, smic
from rules import identifiers as ids
from rules.dossier import Dossier, get_path
from rules.schema import json_schema

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def arabic(text: str) -> str:
    return text.translate(ARABIC)


@pytest.mark.parametrize(
    ("check", "value"),
    [
        # First digit and key in ASCII: int() reads the 12 others, and the key matched.
        (ids.check_nir, "2" + arabic("080569123045") + "04"),
        (ids.check_nir, "7" + arabic("080569123045") + ids.nir_key("7080569123045")),  # NIA
        (ids.check_nir, "1" + arabic("521478966") + "ABC"),  # an NTT without the SIREN
        (ids.check_siren, arabic("521478966")),
        (ids.check_siret, arabic("52147896600174")),
        (ids.check_siret, "52147896600174".translate(FULL_WIDTH)),
        (ids.check_uai, "٠٧٥٣٤٥٦Z"),
        (ids.check_code_diplome, "500" + arabic("221") + "41"),
        (ids.check_rncp, "RNCP" + arabic("35908")),
        (ids.check_idcc, arabic("2596")),
        (ids.check_ape, arabic("9602") + "A"),
        (ids.check_code_postal, arabic("69002")),
        (ids.check_telephone, "06" + arabic("12345678")),
        (ids.check_telephone, "+44" + arabic("2071234567")),
        (ids.check_numero_contrat, "069" + arabic("2024") + "09000123"),
    ],
    ids=lambda v: v if isinstance(v, str) else v.__name__,
)
def test_other_scripts_digits_are_refused(check, value):
    result = check(value)
    assert not result.ok
    assert result.fault == "format"


def test_the_siret_message_counts_ascii_digits_only():
    reason = ids.check_siret(arabic("52147896600174")).reason
    assert "a 0 chiffre et d'autres caractères" in reason


def test_idcc_of_other_digits_is_no_idcc():
    assert idcc.normalize(arabic("16")) is None
    assert idcc.find(arabic("2596")) is None


def test_idcc_list_with_other_digits_is_refused():
    text = '{"complet": false, "conventions": [{"idcc": "٢٥٩٦", "titre": "Coiffure"}]}'
    with pytest.raises(ValueError, match="IDCC mal écrit"):
        idcc.parse(text)


def test_mayotte_postal_codes_are_in_ascii_digits():
    assert smic.is_mayotte("97600")
    assert not smic.is_mayotte("976" + arabic("00"))


@pytest.mark.parametrize("part", ["²", "٠"])
def test_a_path_index_of_other_digits_leads_nowhere(part):
    dossier = Dossier.from_json('{"maitres": [{"prenom": "Sandrine"}]}')
    assert get_path(dossier, f"maitres.{part}.prenom") is None


@pytest.mark.parametrize(
    "data",
    [
        {"apprenti": {"date_naissance": arabic("2008-05-14")}},
        {"contrat": {"salaire_brut_embauche": arabic("783.91")}},
    ],
)
def test_the_schema_wants_ascii_digits_in_any_validator(data):
    """JSON Schema's \\d is ASCII (ECMA-262), Python's is not: the schema writes [0-9], so
    that every validator refuses what the loader refuses."""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())
