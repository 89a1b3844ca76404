"""rules/idcc.py and the list shipped in rules/data/idcc.json."""

import json

import pytest

from rules import idcc


def test_the_bundled_list_is_readable_complete_and_sorted():
    bundled = idcc.bundled()
    assert bundled.complet is True
    assert len(bundled.conventions) >= 880
    data = json.loads(idcc.DATA_PATH.read_text(encoding="utf-8"))
    codes = [entry["idcc"] for entry in data["conventions"]]
    assert codes == sorted(codes)
    assert data["_note"]


@pytest.mark.parametrize(
    "code, words",
    [
        ("1486", "Bureaux d'études techniques"),
        ("2596", "Coiffure"),
        ("1979", "Hôtels, cafés, restaurants"),
        ("0843", "Boulangerie"),
        ("1596", "jusqu'à 10 salariés"),
        ("1597", "plus de 10 salariés"),
        ("2216", "prédominance alimentaire"),
        ("1517", "non alimentaires"),
        ("0573", "Commerces de gros"),
        ("3248", "Métallurgie"),
        ("2609", "Bâtiment"),
        ("2614", "Travaux publics"),
    ],
)
def test_common_conventions_are_known(code, words):
    assert words in idcc.find(code).titre


@pytest.mark.parametrize(
    "value, expected",
    [
        ("16", "0016"),
        (" 0843 ", "0843"),
        (1486, "1486"),
        ("9999", "9999"),
        ("0", None),
        ("12345", None),
        ("16a", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_normalize(value, expected):
    assert idcc.normalize(value) == expected


def test_special_values_are_always_known():
    empty = idcc.IdccList({}, complet=True, source="", date="")
    assert idcc.find("9999", empty).titre == "Sans convention collective"
    assert idcc.find("1486", empty) is None


@pytest.mark.parametrize(
    "text, message",
    [
        ("pas du json", "JSON"),
        ('{"complet": true}', "conventions"),
        ('{"conventions": []}', "complète"),
        ('{"complet": true, "conventions": [{"idcc": "16", "titre": "x"}]}', "4 chiffres"),
        ('{"complet": true, "conventions": [{"idcc": "0016", "titre": " "}]}', "intitulé"),
        (
            '{"complet": true, "conventions": [{"idcc": "0016", "titre": "x", "en_vigueur": "oui"}]}',
            "en_vigueur",
        ),
        (
            '{"complet": true, "conventions": [{"idcc": "0016", "titre": "x"},'
            ' {"idcc": "0016", "titre": "y"}]}',
            "deux fois",
        ),
    ],
)
def test_malformed_lists_are_refused_in_french(text, message):
    with pytest.raises(ValueError, match=message):
        idcc.parse(text)


def test_dumps_and_parse_round_trip():
    original = idcc.IdccList(
        {
            "0650": idcc.Convention("0650", "Métallurgie cadres", False),
            "0016": idcc.Convention("0016", "Transports routiers", None),
        },
        complet=True,
        source="KALI",
        date="2026-01-01",
    )
    assert idcc.parse(idcc.dumps(original, "note")) == original
