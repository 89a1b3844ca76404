"""The identifier validators of rules/identifiers.py, alone, on plain strings.

Known vectors come from the project's reference (§2) and python-stdnum's doctests; the
properties build valid numbers from their definition and change them.
"""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir
from stdnum.fr import siret as stdnum_siret

from rules import identifiers as ids

# -- NIR, NIA, NTT -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "295109912611193",  # stdnum doctest, born abroad (99)
        "253072B07300470",  # Corsica 2B
        "253072A07300443",  # Corsica 2A
        "2 95 10 99 126 111 93",  # typed in groups
        "208056912304504",  # example dossier
    ],
)
def test_valid_nir(number):
    result = ids.check_nir(number)
    assert result.ok and result.kind == "nir"
    assert stdnum_nir.is_valid(number)


def test_nir_decoding():
    result = ids.check_nir("253072B07300470")
    assert (result.sexe, result.annee, result.mois, result.lieu) == ("F", "53", "07", "2B")
    assert not result.mois_fictif


def test_nir_overseas_place_is_three_characters():
    first13 = "1050397105123"
    result = ids.check_nir(first13 + ids.nir_key(first13))
    assert result.ok and result.lieu == "971"


def test_nir_wrong_key():
    result = ids.check_nir("295109912611199")
    assert not result.ok and result.fault == "cle"
    assert "clé" in result.reason


@pytest.mark.parametrize(
    "number, words",
    [
        ("395109912611", "15 caractères"),
        ("2951099126111934", "15 au plus"),
        ("395109912611193", "commence par 1"),
        ("295139912611193", "mois"),  # month 13
        ("295250012611193", "mois"),  # month 25
        ("295100012611193", "département"),  # département 00
        ("295109900011193", "000"),  # commune 000
        ("2951099126000XX", "chiffres"),
        ("", "vide"),
    ],
)
def test_nir_format_errors(number, words):
    result = ids.check_nir(number)
    assert not result.ok
    assert result.fault in ("format", "vide")
    assert words in result.reason


def test_nir_fictitious_month_accepted_and_flagged():
    for month in ("20", "30", "42", "50", "99"):
        first13 = f"199{month}75123456"
        result = ids.check_nir(first13 + ids.nir_key(first13))
        assert result.ok and result.mois_fictif
    for month in ("21", "29", "43", "49", "13"):
        first13 = f"199{month}75123456"
        assert ids.check_nir(first13 + ids.nir_key(first13)).fault == "format"


def test_nia_starts_with_7_or_8():
    for first, sexe in (("7", "M"), ("8", "F")):
        first13 = first + "050399352123"
        result = ids.check_nir(first13 + ids.nir_key(first13))
        assert result.ok and result.kind == "nia" and result.sexe == sexe


def test_ntt_with_the_employer_siren():
    result = ids.check_nir("2521478966A12", siren="521478966")
    assert result.ok and result.kind == "ntt" and result.siren_verifie and result.sexe == "F"
    # 15 characters, the maximum
    assert ids.check_nir("152147896612345", siren="521478966").kind == "ntt"


def test_ntt_with_another_siren():
    result = ids.check_nir("1732829320001", siren="521478966")
    assert not result.ok and result.fault == "ntt_siren"
    assert "521478966" in result.reason


def test_ntt_without_known_siren_is_unverified():
    result = ids.check_nir("1732829320001")
    assert result.ok and result.kind == "ntt" and not result.siren_verifie


def test_ntt_too_long_or_spaced_identifier():
    assert ids.check_nir("1521478966123456", siren="521478966").fault == "format"
    assert ids.check_nir("152147896", siren="521478966").fault == "format"  # no identifier


# A valid NIR or NIA, built from its definition (INSEE layout, key 97 - N mod 97).
@st.composite
def nirs(draw):
    first = draw(st.sampled_from("1278"))
    year = f"{draw(st.integers(0, 99)):02d}"
    month = draw(
        st.sampled_from([f"{m:02d}" for m in (*range(1, 13), 20, *range(30, 43), *range(50, 100))])
    )
    if draw(st.booleans()):
        # metropolitan France, Corsica or abroad (99): 2 characters, commune on 3 digits
        departement = draw(
            st.sampled_from(
                [f"{n:02d}" for n in range(1, 100) if n not in (20, 97, 98)] + ["2A", "2B"]
            )
        )
        place = departement + f"{draw(st.integers(1, 999)):03d}"
    else:
        # overseas: 3 characters, commune on 2 digits
        departement = draw(st.sampled_from(["971", "972", "973", "974", "976", "987"]))
        place = departement + f"{draw(st.integers(1, 99)):02d}"
    order = f"{draw(st.integers(1, 999)):03d}"
    first13 = first + year + month + place + order
    return first13 + ids.nir_key(first13)


@given(nirs())
def test_built_nir_passes(number):
    result = ids.check_nir(number)
    assert result.ok and result.kind in ("nir", "nia")
    assert result.annee == number[1:3] and result.mois == number[3:5]
    assert stdnum_nir.is_valid(number)


@given(nirs(), st.integers(0, 14), st.sampled_from("0123456789ABX"))
def test_any_single_character_change_of_a_nir_is_caught(number, position, char):
    assume(number[position] != char)
    changed = number[:position] + char + number[position + 1 :]
    assert not ids.check_nir(changed).ok


@given(nirs(), st.integers(0, 11))
def test_adjacent_digit_swap_in_a_nir_is_caught(number, position):
    # Swapping digits a, b changes N by 9·(a−b)·10^k, never a multiple of the prime 97.
    a, b = number[position], number[position + 1]
    assume(a != b and a.isdigit() and b.isdigit())
    swapped = number[:position] + b + a + number[position + 2 :]
    assert not ids.check_nir(swapped).ok


@given(nirs(), st.integers(0, 14), st.sampled_from(["732829320", "521478966"]))
def test_a_deleted_character_is_caught_when_the_employer_siren_is_known(number, position, siren):
    # Without the employer's SIREN, 14 characters starting with 1 or 2 may be an NTT: the
    # rules then warn (apprenti.nir.ntt). With it, the NTT must carry that SIREN.
    shortened = number[:position] + number[position + 1 :]
    assume(shortened[1:10] != siren)
    assert not ids.check_nir(shortened, siren=siren).ok


def test_nir_departement_matching():
    def nir(first13):
        return ids.check_nir(first13 + ids.nir_key(first13))

    paris = nir("1850575123456")
    assert ids.nir_matches_departement(paris, "75", 1985)
    assert not ids.nir_matches_departement(paris, "93", 1985)
    assert ids.nir_matches_departement(nir("1650575123456"), "93", 1965)  # Seine before 1968
    corse = nir("1700520004123")
    assert ids.nir_matches_departement(corse, "2A", 1970)
    assert not ids.nir_matches_departement(corse, "2A", 1980)
    assert ids.nir_matches_departement(nir("10503971051234"[:13]), "971", 2010)
    assert not ids.nir_matches_departement(nir("10503971051234"[:13]), "972", 2010)
    assert ids.nir_matches_departement(nir("1050399352123"), "99", 2010)
    # Born in Mayotte in 2005: INSEE's code was still 985 (976 since June 2008).
    mayotte_2005 = nir("1050398510123")
    assert ids.nir_matches_departement(mayotte_2005, "976", 2005)
    assert not ids.nir_matches_departement(mayotte_2005, "976", 2010)
    assert ids.nir_matches_departement(nir("1100397610123"), "976", 2010)
    # Born in Saint-Martin in 2004: then a commune of Guadeloupe (97127).
    assert ids.nir_matches_departement(nir("1040397127123"), "978", 2004)
    assert not ids.nir_matches_departement(nir("1040397127123"), "972", 2004)


# -- SIREN, SIRET ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "73282932000074",
        "35600000000048",
        "35600000009075",
        "35600000009093",
        "521 478 966 00174",
        "77834512400219",
    ],
)
def test_valid_siret(number):
    assert ids.check_siret(number).ok


@pytest.mark.parametrize(
    "number, fault",
    [
        ("35600000009090", "luhn"),  # La Poste, digit sum not a multiple of 5
        ("73282932000075", "luhn"),
        ("73282933000008", "luhn"),  # Luhn right over 14 digits, SIREN 732829330 wrong
        ("7328293200007", "format"),
        ("7328293200007A", "format"),
        ("00000000000000", "format"),
    ],
)
def test_invalid_siret(number, fault):
    result = ids.check_siret(number)
    assert not result.ok and result.fault == fault
    assert "SIRET" in result.reason


def test_siret_73282933000008_really_passes_luhn_over_14_digits():
    # guards the test above: the SIREN check, not the SIRET one, must be what rejects it
    assert luhn.is_valid("73282933000008")


def test_siren():
    assert ids.check_siren("732829320").ok
    assert ids.check_siren("356000000").ok
    assert ids.check_siren("732829321").fault == "luhn"
    assert ids.check_siren("73282932").fault == "format"
    assert ids.check_siren("000000000").fault == "format"


@st.composite
def sirens(draw):
    body = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8)))
    return body + luhn.calc_check_digit(body)


@st.composite
def sirets(draw):
    siren = draw(sirens())
    assume(siren != "356000000" and set(siren) != {"0"})
    nic = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=4, max_size=4)))
    return siren + nic + luhn.calc_check_digit(siren + nic)


@given(sirens())
def test_built_siren_passes(number):
    assume(set(number) != {"0"})
    assert ids.check_siren(number).ok


@given(sirens(), st.integers(0, 8), st.sampled_from("0123456789"))
def test_any_single_digit_change_of_a_siren_is_caught(number, position, digit):
    assume(number[position] != digit)
    assert not ids.check_siren(number[:position] + digit + number[position + 1 :]).ok


@given(sirets())
def test_built_siret_passes(number):
    assert ids.check_siret(number).ok
    assert stdnum_siret.is_valid(number)


@given(sirets(), st.integers(0, 13), st.sampled_from("0123456789A"))
def test_any_single_character_change_of_a_siret_is_caught(number, position, char):
    assume(number[position] != char)
    changed = number[:position] + char + number[position + 1 :]
    # Landing on La Poste's SIREN switches to its weaker digit-sum rule: not a Luhn case.
    assume(not changed.startswith("356000000"))
    assert not ids.check_siret(changed).ok


@given(sirets(), st.integers(0, 12))
def test_adjacent_swap_of_a_siret_is_caught_except_09(number, position):
    # Luhn catches every adjacent transposition except 09 <-> 90 (a known limit).
    a, b = number[position], number[position + 1]
    assume(a != b and {a, b} != {"0", "9"})
    swapped = number[:position] + b + a + number[position + 2 :]
    assume(not swapped.startswith("356000000"))
    assert not ids.check_siret(swapped).ok


@st.composite
def la_poste_sirets(draw):
    nic = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=4, max_size=4)))
    total = 3 + 5 + 6 + sum(int(c) for c in nic)
    last = draw(st.sampled_from([d for d in range(10) if (total + d) % 5 == 0]))
    number = "356000000" + nic + str(last)
    assume(number != "35600000000048")
    return number


@given(la_poste_sirets())
def test_built_la_poste_siret_passes(number):
    assert ids.check_siret(number).ok
    assert stdnum_siret.is_valid(number)


@given(la_poste_sirets(), st.integers(9, 13), st.sampled_from("0123456789"))
def test_la_poste_digit_sum_catches_changes_other_than_plus_or_minus_5(number, position, digit):
    # The digit-sum rule (mod 5) is weaker than Luhn: it misses a digit moved by exactly 5.
    old = int(number[position])
    assume(int(digit) != old)
    changed = number[:position] + digit + number[position + 1 :]
    assume(changed != "35600000000048")
    assert ids.check_siret(changed).ok == (abs(int(digit) - old) == 5)


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_siret_agrees_with_python_stdnum(number):
    assume(set(number) != {"0"})  # stdnum accepts all zeros, which INSEE never gives
    assert ids.check_siret(number).ok == stdnum_siret.is_valid(number)


# -- UAI ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["0561910X", "0923033X", "0570309B", "0131782S", "0691234S", "0561910x"]
)
def test_valid_uai(number):
    assert ids.check_uai(number).ok


def test_uai_letter_alphabet_has_no_i_o_q():
    assert len(ids.UAI_ALPHABET) == 23 and not set("IOQ") & set(ids.UAI_ALPHABET)
    assert ids.uai_letter("0561910") == "X"


@pytest.mark.parametrize(
    "number, fault",
    [
        ("0561910Y", "cle"),
        ("0561911X", "cle"),
        ("561910X", "format"),
        ("05619100", "format"),
        ("0561910XX", "format"),
    ],
)
def test_invalid_uai(number, fault):
    result = ids.check_uai(number)
    assert not result.ok and result.fault == fault


@st.composite
def uais(draw):
    digits = f"{draw(st.integers(0, 9_999_999)):07d}"
    return digits + ids.uai_letter(digits)


@given(uais())
def test_built_uai_passes(number):
    assert ids.check_uai(number).ok


@given(uais(), st.integers(0, 7), st.sampled_from("0123456789ABCDEFGHJKLMNPRSTUVWXYZ"))
def test_any_single_character_change_of_a_uai_is_caught(number, position, char):
    # a digit moved by d changes the number by d·10^k, never a multiple of the prime 23
    assume(number[position] != char)
    assert not ids.check_uai(number[:position] + char + number[position + 1 :]).ok


# -- Formation and employer codes --------------------------------------------------------


@pytest.mark.parametrize(
    "value, ok",
    [
        ("45020201", True),
        ("50022141", True),
        ("99999999", True),
        ("32031211", True),
        ("1A1B3456", False),
        ("4502020", False),
        ("450202011", False),
        ("RNCP35908", False),
    ],
)
def test_code_diplome(value, ok):
    assert ids.check_code_diplome(value).ok is ok


@pytest.mark.parametrize(
    "value, ok",
    [
        ("RNCP35908", True),
        ("rncp 35908", True),
        ("RNCP123", True),
        ("RNCP12", False),
        ("RNCP123456", False),
        ("35908", False),
        ("RS5432", False),
        ("", False),
    ],
)
def test_rncp(value, ok):
    assert ids.check_rncp(value).ok is ok


def test_rncp_reasons():
    assert "RNCP35908" in ids.check_rncp("35908").reason
    assert "Répertoire spécifique" in ids.check_rncp("RS5432").reason


@pytest.mark.parametrize(
    "value, ok",
    [
        ("2596", True),
        ("0044", True),
        ("9999", True),
        ("9998", True),
        ("44", False),
        ("0000", False),
        ("12345", False),
        ("A123", False),
    ],
)
def test_idcc(value, ok):
    assert ids.check_idcc(value).ok is ok


def test_idcc_short_value_gets_its_zeros():
    assert "« 0044 »" in ids.check_idcc("44").reason


@pytest.mark.parametrize(
    "value, ok",
    [
        ("9602A", True),
        ("96.02A", True),
        ("1071c", True),
        ("9602", False),
        ("96021", False),
        ("9602AB", False),
    ],
)
def test_ape(value, ok):
    assert ids.check_ape(value).ok is ok


def test_ape_division():
    assert ids.ape_division_known("9602A")
    assert ids.ape_division_known("0111Z")
    for division in ("00", "04", "34", "40", "44", "48", "54", "57", "67", "76", "83", "89"):
        assert not ids.ape_division_known(f"{division}11Z")
    assert not ids.ape_division_known("96O2A")  # not even well formed


@pytest.mark.parametrize(
    "value, ok",
    [
        ("02B202212000000", True),
        ("069202409000123", True),
        ("974202409NC0123", True),
        ("075 2024 09 00 0123", True),
        ("06920240900012", False),
        ("069202413000123", False),
        ("169202409000123", False),
        ("069202409AB0123", False),
        ("0692024090001234", False),
    ],
)
def test_numero_contrat(value, ok):
    assert ids.check_numero_contrat(value).ok is ok


# -- Coordonnées -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, ok",
    [
        ("69002", True),
        ("20000", True),
        ("20200", True),
        ("97100", True),
        ("97600", True),
        ("98000", True),
        ("01000", True),
        ("6900", False),
        ("690022", False),
        ("00123", False),
        ("96000", False),
        ("99000", False),
        ("2A000", False),
    ],
)
def test_code_postal(value, ok):
    assert ids.check_code_postal(value).ok is ok


@pytest.mark.parametrize(
    "value, ok",
    [
        ("0478123456", True),
        ("04 78 12 34 56", True),
        ("04.78.12.34.56", True),
        ("+33478123456", True),
        ("+33 6 12 34 56 78", True),
        ("0033612345678", True),
        ("+262262123456", True),
        ("+32 2 123 45 67", True),
        ("047812345", False),
        ("04781234567", False),
        ("+330612345678", False),
        ("06-12-34-56-7x", False),
        ("+1234", False),
    ],
)
def test_telephone(value, ok):
    assert ids.check_telephone(value).ok is ok


def test_telephone_plus33_zero_reason():
    assert "ne mettez pas le 0" in ids.check_telephone("+33 06 12 34 56 78").reason


@pytest.mark.parametrize(
    "value, ok",
    [
        ("ines.moreau@free.fr", True),
        ("contact@elegance-coiffure-lyon.fr", True),
        ("a+tag@sub.example.com", True),
        ("prénom@exemple.fr", False),
        ("ines.moreau@free", False),
        ("ines.moreau.free.fr", False),
        ("a@@b.fr", False),
        ("a@b@c.fr", False),
        ("ines moreau@free.fr", False),
        ("@free.fr", False),
        (".ines@free.fr", False),
        ("ines..moreau@free.fr", False),
        ("ines@-free.fr", False),
        ("ines@free.f", False),
        ("ines@free.123", False),
        ("ines@free..fr", False),
        ("contact@école.fr", True),
    ],
)
def test_courriel(value, ok):
    assert ids.check_courriel(value).ok is ok


def test_courriel_reasons_say_what_is_wrong():
    assert "Il manque le @" in ids.check_courriel("ines.free.fr").reason
    assert "espace" in ids.check_courriel("ines @free.fr").reason
    assert "extension" in ids.check_courriel("ines@free.f").reason


def test_results_are_truthy_only_when_ok():
    assert ids.check_uai("0561910X")
    assert not ids.check_uai("0561910Y")
    assert ids.check_uai("0561910X").reason == ""
