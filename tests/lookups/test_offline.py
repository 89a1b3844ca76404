"""The tables kept with the service stand in for the postal-code and diploma APIs: when an
API cannot answer, the table answers; when it answers, its answer wins; a value neither
knows is never guessed. Through the service (cerfa.lookups), as the wizard and
``cerfa complete`` call it."""

import io
import json

import pytest
import requests
import responses
from django.core.management import call_command

from cerfa import lookups
from cerfa.completion import complete_dossier
from cerfa.lookups import offline, service
from cerfa.lookups.result import UNAVAILABLE_MESSAGE
from rules.dossier import Dossier

from .conftest import UNLISTED_POSTCODES, URLS, replay

GEO = URLS["geo"] + "/communes"
CATALOGUE = URLS["catalogue"] + "/api/v1/entity/formations"
LA_POSTE = "Base officielle des codes postaux de La Poste"
KIT = "Kit apprentissage de France compétences"


def down(online, url):
    online.add(responses.GET, url, body=requests.exceptions.ConnectTimeout())


# -- communes ----------------------------------------------------------------------------


def test_api_down_the_table_gives_the_commune(online):
    down(online, GEO)
    result = lookups.communes("20000")
    assert result.status == "ok"
    assert result.values == {"code_postal": "20000", "commune": "AJACCIO"}
    assert result.details == {"code_insee": "2A004", "departement": "2A"}
    assert result.source.startswith(LA_POSTE) and "1er janvier 2025" in result.source
    assert result.from_table and result.api_unavailable
    assert len(online.calls) == 1  # the API was asked first (a timeout is not retried)


def test_lookups_disabled_the_table_answers_and_nothing_is_sent(online, settings):
    settings.CERFA_LOOKUPS_ENABLED = False
    result = lookups.communes("69003")
    # An arrondissement of Lyon is the commune of Lyon, as the API says.
    assert result.values == {"code_postal": "69003", "commune": "LYON"}
    assert result.details["code_insee"] == "69123"
    assert len(online.calls) == 0


def test_api_down_a_shared_postal_code_offers_the_tables_communes(online):
    down(online, GEO)
    result = lookups.communes("97600")
    assert result.values == {"code_postal": "97600"}  # no commune chosen for the user
    assert [c["commune"] for c in result.choices] == ["KOUNGOU", "MAMOUDZOU"]
    assert result.choices[0] == {"commune": "KOUNGOU", "code_insee": "97610", "departement": "976"}
    assert "choisissez" in result.messages[0]


def test_api_up_its_answer_wins(online):
    replay(online, GEO, "geo_69002.json")
    result = lookups.communes("69002")
    assert result.values == {"code_postal": "69002", "commune": "Lyon"}  # not the table's LYON
    assert result.source.startswith("API Découpage administratif")
    assert not result.from_table and not result.api_unavailable


def test_api_up_with_several_communes_its_choices_win(online):
    replay(online, GEO, "geo_01300.json")
    result = lookups.communes("01300")
    # The recorded answer lists three of the table's twenty-odd communes: the API's list.
    assert [c["commune"] for c in result.choices] == ["Belley", "Brens", "Magnieu"]


def test_api_knows_nothing_the_table_may_and_says_so(online):
    replay(online, GEO, "geo_vide.json")
    result = lookups.communes("69003")
    assert result.values["commune"] == "LYON"
    assert result.from_table and not result.api_unavailable
    assert any("La Poste mais pas dans l'API" in m for m in result.messages)


def test_unknown_to_both_nothing_is_guessed(online):
    replay(online, GEO, "geo_vide.json")
    result = lookups.communes(UNLISTED_POSTCODES[0])
    assert result.status == "not_found" and "CEDEX" in result.messages[0]
    down(online, GEO)
    service.reset_client()
    result = lookups.communes(UNLISTED_POSTCODES[1])
    assert result.status == "unavailable" and result.messages == (UNAVAILABLE_MESSAGE,)
    assert result.values == {} and result.choices == ()


def test_a_malformed_postal_code_is_refused_before_any_table(online):
    assert lookups.communes("6900").status == "invalid"
    assert len(online.calls) == 0


def test_a_broken_table_leaves_the_apis_answer(online, monkeypatch, caplog):
    def broken(code):
        raise OSError("no table")

    monkeypatch.setattr(offline, "communes_from_table", broken)
    down(online, GEO)
    result = lookups.communes("69003")
    assert result.status == "unavailable"
    assert "offline table for communes failed: OSError" in caplog.text
    assert "69003" not in caplog.text


# -- diplomas ----------------------------------------------------------------------------


def test_api_down_the_kit_gives_the_certification(online):
    down(online, CATALOGUE)
    result = lookups.diplome("RNCP38231")
    assert result.status == "ok"
    assert result.values == {
        "code_rncp": "RNCP38231",
        "code_diplome": "45033608",
        "intitule_precis": "COIFFURE (BP)",
        "diplome_vise": "49",
    }
    assert result.source.startswith(KIT) and "18 décembre 2023" in result.source
    assert result.from_table and result.api_unavailable


def test_lookups_disabled_a_code_diplome_gives_its_rncp(online, settings):
    settings.CERFA_LOOKUPS_ENABLED = False
    result = lookups.diplome("32031313")
    assert result.values == {
        "code_rncp": "RNCP38381",
        "code_diplome": "32031313",
        "intitule_precis": "BANQUE (BTS)",
        "diplome_vise": "54",
    }
    assert len(online.calls) == 0


def test_api_down_one_rncp_several_codes_offers_them(online):
    down(online, CATALOGUE)
    result = lookups.diplome("RNCP35908")
    # One master, one code diplôme per university: the user picks; only what they share
    # is given.
    assert result.values == {"code_rncp": "RNCP35908", "diplome_vise": "73"}
    assert len(result.choices) == 8
    assert {c["code_rncp"] for c in result.choices} == {"RNCP35908"}
    assert "13531082" in {c["code_diplome"] for c in result.choices}
    assert "Plusieurs codes diplôme" in result.messages[0]


def test_api_up_its_answer_wins_over_the_kit(online):
    # The recorded catalogue pairs RNCP35908 with 45020201 (illustrative codes): the kit's
    # eight masters do not replace it.
    replay(online, CATALOGUE, "catalogue_rncp.json")
    result = lookups.diplome("RNCP35908")
    assert result.values == {
        "code_rncp": "RNCP35908",
        "code_diplome": "45020201",
        "intitule_precis": "BP - Coiffure",
        "diplome_vise": "49",
    }
    assert result.choices == ()
    assert not result.from_table and KIT not in result.source


def test_the_kit_fills_only_what_the_catalogue_left_out(online):
    # The catalogue knows the certification but gives no code diplôme for it.
    body = {
        "formations": [
            {
                "cfd": "",
                "rncp_code": "RNCP38231",
                "rncp_intitule": "BP - Coiffure",
                "rncp_eligible_apprentissage": True,
                "rncp_details": {"active_inactive": "ACTIVE", "niveau_europe": "niveau4"},
            }
        ]
    }
    online.add(responses.GET, CATALOGUE, json=body)
    result = lookups.diplome("RNCP38231")
    assert result.values == {
        "code_rncp": "RNCP38231",
        "intitule_precis": "BP - Coiffure",  # the catalogue's title stays
        "diplome_vise": "49",
        "code_diplome": "45033608",  # the kit's only code diplôme for it
    }
    assert (
        result.source.startswith("Catalogue des formations")
        and "d'après le kit apprentissage de France compétences" in result.source
    )


def test_the_catalogue_knows_nothing_the_kit_may(online):
    replay(online, CATALOGUE, "catalogue_vide.json")
    result = lookups.diplome("50033610")
    assert result.values["code_rncp"] == "RNCP34670"
    assert any("France compétences le connaît" in m for m in result.messages)


def test_a_code_unknown_to_both_is_not_guessed(online):
    down(online, CATALOGUE)
    result = lookups.diplome("45020201")  # a well-formed code diplôme the kit lacks
    assert result.status == "unavailable" and result.values == {}
    replay(online, CATALOGUE, "catalogue_vide.json")
    service.reset_client()
    assert lookups.diplome("RNCP99999").status in ("not_found", "unavailable")
    assert lookups.diplome("RNCP99999").values == {}


def test_the_placeholder_code_is_never_looked_up_in_the_kit(online, settings):
    settings.CERFA_LOOKUPS_ENABLED = False
    assert lookups.diplome("99999999").status == "invalid"


# -- cerfa complete ------------------------------------------------------------------------


def _dossier(**formation):
    return Dossier.from_dict(
        {
            "employeur": {"adresse": {"code_postal": "20000"}},
            "apprenti": {"adresse": {"code_postal": "69003"}},
            "formation": {"cfa": {"adresse": {"code_postal": "97600"}}, **formation},
        }
    )


def test_complete_offline_fills_communes_and_the_diploma_from_the_tables(online):
    completed, findings = complete_dossier(_dossier(code_rncp="RNCP38231"), use_lookups=False)
    assert len(online.calls) == 0
    assert completed.employeur.adresse.commune == "AJACCIO"
    assert completed.apprenti.adresse.commune == "LYON"  # a person's: from the table only
    assert completed.formation.cfa.adresse.commune is None  # 97600: two communes
    f = completed.formation
    assert (f.code_diplome, f.intitule_precis, f.diplome_vise) == (
        "45033608",
        "COIFFURE (BP)",
        "49",
    )
    codes = sorted(finding.code for finding in findings if finding.code.startswith("complete.r"))
    assert "complete.recherche.indisponible" not in codes  # nothing was asked of anyone
    messages = " ".join(finding.message for finding in findings)
    assert LA_POSTE in messages and KIT in messages
    assert "KOUNGOU, MAMOUDZOU" in messages


def test_complete_with_the_apis_down_asks_each_once_then_uses_the_tables(online, settings):
    settings.CERFA_LOOKUPS_ENABLED = True
    down(online, GEO)
    down(online, CATALOGUE)
    completed, findings = complete_dossier(_dossier(code_diplome="32031313"))
    assert completed.employeur.adresse.commune == "AJACCIO"
    assert completed.formation.code_rncp == "RNCP38381"
    hosts = [call.request.url.split("?")[0] for call in online.calls]
    # Each API once (a timeout is not retried): then the table answers at once.
    assert hosts.count(GEO) == 1 and hosts.count(CATALOGUE) == 1
    # The people's postal codes are never sent, even to be looked up.
    assert not any("69003" in call.request.url for call in online.calls)
    assert not [f for f in findings if f.code == "complete.recherche.indisponible"]


def test_complete_with_the_api_up_keeps_its_answer(online, settings):
    settings.CERFA_LOOKUPS_ENABLED = True
    replay(online, CATALOGUE, "catalogue_rncp.json")
    online.add(responses.GET, GEO, json=[{"nom": "Ajaccio", "code": "2A004"}])
    completed, _ = complete_dossier(_dossier(code_rncp="RNCP35908"))
    assert completed.formation.code_diplome == "45020201"
    assert completed.employeur.adresse.commune == "Ajaccio"


def test_cli_hors_ligne_fills_from_the_tables(online, tmp_path):
    path = tmp_path / "dossier.json"
    path.write_text(
        json.dumps(
            {
                "employeur": {"adresse": {"code_postal": "20000"}},
                "formation": {"code_diplome": "32031313"},
            }
        ),
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("cerfa", "complete", str(path), "--hors-ligne", stdout=out, stderr=err)
    completed = json.loads(out.getvalue())
    assert completed["employeur"]["adresse"]["commune"] == "AJACCIO"
    assert completed["formation"]["code_rncp"] == "RNCP38381"
    assert len(online.calls) == 0
    assert "Commune complétée d'après le code postal 20000 : AJACCIO" in err.getvalue()


@pytest.mark.parametrize("code", ["", "abc", "RNCP", "1234567"])
def test_values_that_are_no_code_find_nothing_in_the_kit(code):
    assert offline.diplome_from_table(code) is None
