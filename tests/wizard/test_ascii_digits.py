"""The wizard's numbers and dates in ASCII digits only.

``int()``, ``Decimal()`` and ``strptime`` read other scripts' digits ("٣٥" is 35): a value
typed so is unreadable, like "trente-cinq", and never reaches the dossier.
"""

import pytest
from django.utils.datastructures import MultiValueDict

from cerfa.wizard import convert
from rules.dossier import get_path

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic(text: str) -> str:
    return text.translate(ARABIC)


@pytest.mark.parametrize(
    ("step", "name", "typed"),
    [
        ("contrat", "contrat__duree_hebdo__heures", arabic("35")),
        ("contrat", "contrat__duree_hebdo__minutes", "３０"),  # full-width
        ("employeur", "employeur__effectif", arabic("6")),
        ("formation", "formation__duree_heures", arabic("800")),
        ("remuneration", "contrat__salaire_brut_embauche", arabic("783,91")),
        ("remuneration", "contrat__smc", "1 9" + arabic("00") + ",00 €"),
        ("remuneration", "remuneration_1_1_taux", arabic("53,5")),
        ("contrat-en-bref", "contrat__date_conclusion", "2027-08-2" + arabic("4")),
        ("contrat-en-bref", "contrat__date_fin", "24/08/" + arabic("2029")),
    ],
)
def test_a_number_or_date_in_other_digits_is_unreadable(step, name, typed):
    built = convert.build({step: MultiValueDict({name: [typed]})})
    assert [e.name for e in built.errors] == [name]
    if name.startswith("remuneration_"):
        assert built.dossier.contrat.remunerations == []
    else:
        assert get_path(built.dossier, convert.path_of(name)) is None
