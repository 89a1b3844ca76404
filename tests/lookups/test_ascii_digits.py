"""A number in other digits than 0 to 9 is invalid, and nothing is sent anywhere.

``int()`` reads "٠٧٥٣٤٥٦" as 753456, whose UAI letter is Z: without ASCII-only checks,
« ٠٧٥٣٤٥٦Z » passed as a UAI and went to the référentiel.
"""

import datetime

import pytest

from cerfa.lookups import adresse, categories, conventions, diplomes, geo, kali, organismes

from .conftest import URLS

ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic(text: str) -> str:
    return text.translate(ARABIC)


@pytest.mark.parametrize(
    ("lookup", "value"),
    [
        (lambda c, v: organismes.lookup(v, client=c, urls=URLS), "٠٧٥٣٤٥٦Z"),
        (lambda c, v: geo.lookup(v, client=c, base_url=URLS["geo"]), arabic("69002")),
        (lambda c, v: diplomes.lookup(v, client=c, base_url=URLS["catalogue"]), "RNCP٣٥٩٠٨"),
        (lambda c, v: diplomes.lookup(v, client=c, base_url=URLS["catalogue"]), arabic("35908")),
        (lambda c, v: diplomes.lookup(v, client=c, base_url=URLS["catalogue"]), "500٢٢١41"),
        (lambda c, v: conventions.lookup(v, client=c, base_url=URLS["cdtn"]), arabic("1234")),
    ],
    ids=["uai", "code postal", "rncp", "rncp sans prefixe", "code diplome", "idcc"],
)
def test_other_digits_are_invalid_and_send_nothing(client, rsps, lookup, value):
    result = lookup(client, value)
    assert result.status == "invalid"
    assert len(rsps.calls) == 0


def test_a_legal_category_in_other_digits_suggests_nothing():
    # int() cannot read "²" although str.isdigit() says it is a digit.
    assert categories.suggest("7²10") is None
    assert categories.suggest(arabic("5710")) is None


def test_a_street_number_is_in_ascii_digits():
    assert adresse.split_street_line(arabic("12") + " RUE DES LILAS") == (
        "",
        arabic("12") + " RUE DES LILAS",
        "",
    )


def test_the_kali_spreadsheet_keeps_ascii_idcc_only():
    rows = [
        ["IDCC", "TITRE", "ETAT"],
        ["2596", "Coiffure", "VIGUEUR"],
        [arabic("1486"), "Bureaux d'études", "VIGUEUR"],
    ]
    found = kali.parse_rows(rows, today=datetime.date(2026, 1, 1))
    assert list(found.conventions) == ["2596"]
