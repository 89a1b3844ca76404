"""The share of a CERFA's expected fields correctly filled, and its bucket."""

from __future__ import annotations

import pytest

from cerfa.stats.quality import EXPECTED, bucket, filled_share
from rules import engine
from rules.checks.presence import REQUIRED
from rules.dossier import Dossier
from rules.findings import Finding
from tests.helpers import DOSSIERS, EXAMPLE, load


def test_expected_fields_are_the_boxes_asked_for_every_contract():
    assert set(EXPECTED) == {path for path, _ in REQUIRED} | {
        "apprenti.nir",
        "signature.attestation_pieces_justificatives",
    }
    assert len(EXPECTED) == len(set(EXPECTED))


@pytest.mark.parametrize(
    ("share", "label"),
    [(0, "0-20"), (0.199, "0-20"), (0.2, "20-40"), (0.5, "40-60"), (0.79, "60-80"),
     (0.8, "80-100"), (1, "80-100")],
)  # fmt: skip
def test_buckets_of_twenty_points(share, label):
    assert bucket(share) == label


def test_a_share_outside_zero_and_one_is_refused():
    with pytest.raises(ValueError):
        bucket(1.01)


def test_a_blank_dossier_has_none_and_the_example_all():
    assert filled_share(Dossier.from_dict({"version": 1}), []) == 0
    example = Dossier.from_json(EXAMPLE.read_bytes())
    assert filled_share(example, engine.check(example)) == 1


def test_an_error_on_a_box_or_its_block_makes_it_not_correctly_filled():
    example = Dossier.from_json(EXAMPLE.read_bytes())
    one = 1 - 1 / len(EXPECTED)
    siret = Finding("error", "x", ("employeur.siret",), "…")
    assert filled_share(example, [siret]) == pytest.approx(one)
    block = Finding("error", "x", ("employeur.adresse",), "…")
    assert filled_share(example, [block]) == pytest.approx(1 - 3 / len(EXPECTED))
    warning = Finding("warning", "x", ("employeur.siret",), "…")
    assert filled_share(example, [warning]) == 1


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_every_fixture_has_a_share_between_zero_and_one(path):
    dossier = load(path.name)
    share = filled_share(dossier, engine.check(dossier))
    assert 0 <= share <= 1
    if path.stem == "brouillon-incomplet":
        assert share < 0.8
