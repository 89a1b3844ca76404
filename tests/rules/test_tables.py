"""The reference tables bundled in rules/data: well formed, no duplicate key, and the spot
values of their sources (shared/reference/data/README.md)."""

import gzip
import re

import pytest

from rules import codes, communes, diplomes, idcc, naf, opco, tabledata

DATA_FILES = sorted(p for p in tabledata.DATA_DIR.iterdir() if p.suffix in (".tsv", ".gz"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_table_says_its_source_and_date(path):
    table = tabledata.read(path)
    assert table.meta["table"] and table.meta["source"] and table.meta["licence"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", table.meta["date"], re.ASCII)
    assert table.lines and all(line and "\n" not in line for line in table.lines)


def test_the_bundled_data_stays_small():
    total = sum(p.stat().st_size for p in tabledata.DATA_DIR.iterdir())
    assert total <= 1_500_000


def test_the_compressed_tables_are_reproducible():
    # gzip without a timestamp: rebuilding the same data gives the same bytes.
    for path in DATA_FILES:
        if path.suffix == ".gz":
            assert path.read_bytes()[4:8] == b"\x00\x00\x00\x00"
            assert gzip.decompress(path.read_bytes()).decode("utf-8")


# -- communes ------------------------------------------------------------------------------


def test_postcodes_and_insee_codes_are_well_formed_and_unique():
    table = communes.bundled()
    lines = tabledata.read(communes.DATA_PATH).lines
    postcodes = [line.split("\t")[0] for line in lines]
    assert len(postcodes) == len(set(postcodes)) == len(table) > 6000
    assert all(re.fullmatch(r"\d{5}", p, re.ASCII) for p in postcodes)
    insee = set()
    for code in postcodes:
        found = table.communes_for(code)
        assert found, code
        keys = [(c.insee, c.nom) for c in found]
        assert len(keys) == len(set(keys)), code
        assert [c.nom for c in found] == sorted(c.nom for c in found)
        for c in found:
            assert re.fullmatch(r"\d{5}|2[AB]\d{3}", c.insee, re.ASCII), c
            assert re.fullmatch(r"[A-Z0-9 ]+", c.nom, re.ASCII), c
            insee.add(c.insee)
    assert len(insee) > 34_000


@pytest.mark.parametrize(
    "code_postal, insee, nom",
    [
        ("75011", "75111", "PARIS 11"),
        ("75116", "75116", "PARIS 16"),
        ("69003", "69383", "LYON 03"),
        ("13001", "13201", "MARSEILLE 01"),
        ("20000", "2A004", "AJACCIO"),
        ("20200", "2B033", "BASTIA"),
        ("97133", "97701", "ST BARTHELEMY"),
        ("97150", "97801", "ST MARTIN"),
        ("97500", "97502", "ST PIERRE"),
        ("97600", "97611", "MAMOUDZOU"),
        ("97400", "97411", "ST DENIS"),
        ("98714", "98735", "PAPEETE"),
        ("98000", "99138", "MONACO"),
        ("15170", "15031", "CELLES"),  # split off again on 1 January 2025
    ],
)
def test_spot_values(code_postal, insee, nom):
    assert (insee, nom) in {(c.insee, c.nom) for c in communes.communes_for(code_postal)}


def test_paris_has_its_acheminement():
    (paris,) = communes.communes_for("75011")
    assert paris == communes.Commune("75111", "PARIS 11", "75011", "PARIS")


def test_cedex_codes_are_not_in_la_postes_base():
    # 75700 (Paris CEDEX 07) and 69421 (Lyon CEDEX 03) are CEDEX codes.
    assert not communes.postcode_exists("75700")
    assert not communes.postcode_exists("69421")
    assert communes.commune_matches("69421", "LYON CEDEX 03") is None


@pytest.mark.parametrize(
    "code_postal, name, expected",
    [
        ("75011", "Paris", True),
        ("75011", "PARIS 11", True),
        ("75011", "Paris 11e", True),
        ("75011", "paris 11ème arrondissement", True),
        ("75001", "Paris 1er", True),
        ("75011", "Paris 12e", False),
        ("69003", "Lyon", True),
        ("69003", "Lyon 3e", True),
        ("13001", "Marseille 1er arrondissement", True),
        ("42000", "Saint-Étienne", True),
        ("42000", "St Etienne", True),
        ("01400", "L'Abergement-Clémenciat", True),
        ("01400", "Abergement-Clémenciat (L')", True),
        ("74940", "Annecy-le-Vieux", True),  # a commune déléguée, La Poste's ligne 5
        ("69003", "69003 Lyon", True),
        ("69003", "Villeurbanne", False),
        ("20000", "Ajaccio", True),
        ("20000", "Bastia", False),
        ("97133", "Saint-Barthélemy", True),
        ("69003", "Lyon Cedex 03", True),  # a CEDEX address whose name is the commune's
        ("69421", "Lyon Cedex 03", None),  # a CEDEX code: the table cannot tell
        ("69003", "Cedex", None),
        ("99999", "Nulle part", None),
        ("690", "Lyon", None),
        ("69003", "", None),
        (None, "Lyon", None),
    ],
)
def test_commune_matches(code_postal, name, expected):
    assert communes.commune_matches(code_postal, name) is expected


def test_postcode_inputs_are_normalised():
    assert communes.communes_for(" 75 011 ") == communes.communes_for("75011")
    assert communes.communes_for("7501") == ()
    assert communes.communes_for("٧٥٠١١") == ()  # other scripts' digits are no postal code
    assert communes.communes_for(None) == ()


def test_words_fold_names_the_tolerant_way():
    assert communes.name_key("Saint-Étienne") == communes.name_key("ST ETIENNE")
    assert communes.name_key("Sainte-Œuvre") == "STEOEUVRE"
    assert communes.name_key("L’Haÿ-les-Roses") == communes.name_key("L HAY LES ROSES")


def test_table_date_and_source_come_from_the_header():
    assert communes.TABLE_DATE == "2025-01-01"
    assert "La Poste" in communes.SOURCE
    with pytest.raises(AttributeError):
        communes.NOT_A_CONSTANT  # noqa: B018


# -- NAF -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, pattern, count", [(naf.REV2, r"\d{4}[A-Z]", 732)])
def test_naf_rev2_is_whole(name, pattern, count):
    (rev2, _) = naf.bundled()
    assert rev2.name == name and len(rev2.labels) == count
    assert all(re.fullmatch(pattern, c, re.ASCII) for c in rev2.labels)


def test_naf_2025_is_whole_and_apart_from_rev2():
    rev2, naf2025 = naf.bundled()
    assert len(naf2025.labels) == 747
    assert all(re.fullmatch(r"\d{4}[GHJKLY]", c, re.ASCII) for c in naf2025.labels)
    assert not set(rev2.labels) & set(naf2025.labels)
    assert all(label.strip() for n in (rev2, naf2025) for label in n.labels.values())


@pytest.mark.parametrize(
    "code, label, revisions",
    [
        ("1071C", "Boulangerie et boulangerie-pâtisserie", (naf.REV2,)),
        ("10.71C", "Boulangerie et boulangerie-pâtisserie", (naf.REV2,)),
        ("6201Z", "Programmation informatique", (naf.REV2,)),
        ("8559A", "Formation continue d'adultes", (naf.REV2,)),
        ("9602A", "Coiffure", (naf.REV2,)),
        ("1071H", "Fabrication de pain", (naf.NAF2025,)),
    ],
)
def test_naf_spot_values(code, label, revisions):
    assert naf.naf_label(code).startswith(label)
    assert naf.revisions(code) == revisions


@pytest.mark.parametrize("code", ["1071X", "0000Z", "1071", "", None, "10.71.C"])
def test_unknown_naf_codes(code):
    assert naf.naf_label(code) is None and naf.revisions(code) == ()


# -- IDCC --------------------------------------------------------------------------------


def test_the_idcc_list_is_complete_and_well_formed():
    bundled = idcc.bundled()
    assert bundled.complet is True and bundled.date == "2024-11-13"
    assert len(bundled.conventions) >= 880
    assert all(re.fullmatch(r"\d{4}", c, re.ASCII) for c in bundled.conventions)
    assert not set(bundled.conventions) & idcc.SPECIAL
    for c in bundled.conventions.values():
        assert c.en_vigueur is idcc.in_force(c.etat)


@pytest.mark.parametrize(
    "code, words, en_vigueur",
    [
        ("0843", "Boulangerie-pâtisserie", True),
        ("1486", "Bureaux d'études techniques", True),
        ("1979", "Hôtels, cafés, restaurants", True),
        ("3248", "Métallurgie", True),
        ("3249", "carrières et matériaux", None),  # recent: no legal state in the source
        ("0650", "ingénieurs et cadres", False),
        ("5021", "Fonction publique territoriale", None),
    ],
)
def test_idcc_spot_values(code, words, en_vigueur):
    found = idcc.find(code)
    assert words in found.titre and found.en_vigueur is en_vigueur


@pytest.mark.parametrize(
    "etat, expected",
    [
        ("VIGUEUR_ETEN", True),
        ("ABROGE|VIGUEUR_NON_ETEN", True),
        ("ABROGE", False),
        ("PERIME|REMPLACE", False),
        ("VIGUEUR_DIFF", False),
        ("", None),
    ],
)
def test_in_force(etat, expected):
    assert idcc.in_force(etat) is expected


# -- OPCO -------------------------------------------------------------------------------


def test_the_opco_tables_are_well_formed():
    table = opco.bundled()
    assert len(table.opcos) == 11
    assert all(o.site_web.startswith("https://") for o in table.opcos.values())
    assert len(table.by_idcc) == 330
    assert all(re.fullmatch(r"\d{4}", c, re.ASCII) for c in table.by_idcc)
    assert set(table.by_idcc.values()) == set(table.opcos)
    assert opco.TABLE_DATE == "2019-07-19" and opco.OUTDATED is True


@pytest.mark.parametrize(
    "code, nom",
    [
        ("1486", "ATLAS"),
        ("0843", "OPCO EP"),
        ("843", "OPCO EP"),
        ("1979", "AKTO"),
        ("1516", "AKTO"),
        ("1597", "Constructys"),
        ("2216", "L'Opcommerce"),
        ("0016", "OPCO Mobilités"),
    ],
)
def test_opco_spot_values(code, nom):
    assert opco.opco_for(code).nom == nom


@pytest.mark.parametrize("code", ["3248", "3249", "7026", "9999", "9998", "12345", "", None])
def test_an_idcc_the_2019_table_lacks_has_no_opco(code):
    assert opco.opco_for(code) is None


# -- Diplômes -------------------------------------------------------------------------------


def test_the_kit_is_well_formed():
    table = diplomes.bundled()
    assert len(table) == 5707
    pairs = set()
    for code in table.codes():
        for d in table.by_code(code):
            assert re.fullmatch(r"[0-9A-Z]{8}", d.code_diplome, re.ASCII)
            assert d.code_rncp == "" or re.fullmatch(r"RNCP\d{3,6}", d.code_rncp, re.ASCII)
            assert d.niveau in (None, "3", "4", "5", "6", "7", "8")
            assert d.diplome_vise is None or d.diplome_vise in codes.codes(codes.DIPLOME)
            assert d.intitule
            pairs.add((d.code_diplome, d.code_rncp))
    assert len(pairs) == len(table)
    assert diplomes.TABLE_DATE == "2023-12-18"


def test_the_prefixes_are_well_formed():
    prefixes = diplomes.bundled().prefixes
    assert len(prefixes) >= 191
    for p in prefixes.values():
        assert re.fullmatch(r"[0-9A-Z]{3}", p.prefixe, re.ASCII)
        assert p.diplome_vise is None or p.diplome_vise in codes.codes(codes.DIPLOME)
    # Every certain mapping is a *14 code of the right level.
    for prefix, vise in diplomes.PREFIX_DIPLOME.items():
        level = codes.NIVEAU_DIPLOME_EUROPEEN[vise]
        if vise != "35":
            assert prefixes[prefix].niveau == (str(level) if level else None)


@pytest.mark.parametrize(
    "code, rncp, niveau, vise",
    [
        ("32031313", "RNCP38381", "5", "54"),  # BANQUE (BTS), the kit's last update
        ("50033617", "RNCP34672", "3", "33"),  # TAXIDERMISTE (CAP)
        ("46122001", "RNCP955", "4", "35"),  # a CS de niveau 4
        ("45024005", "RNCP35807", "4", None),  # a BP the kit calls « BAC PRO »: not certain
    ],
)
def test_kit_spot_values(code, rncp, niveau, vise):
    (row,) = diplomes.by_code(code)
    assert (row.code_rncp, row.niveau, row.diplome_vise, row.actif) == (rncp, niveau, vise, True)
    assert row in diplomes.by_rncp(rncp)


def test_a_cfd_with_several_rncp_and_an_rncp_with_several_cfd():
    assert len(diplomes.by_code("40124106")) == 6
    assert len(diplomes.by_rncp("RNCP35908")) >= 8


@pytest.mark.parametrize(
    "value, expected",
    [
        ("rncp 38381", "RNCP38381"),
        ("RNCP38381", "RNCP38381"),
        ("38381", "RNCP38381"),
        ("RNCP038381", "RNCP38381"),
        ("RS1234", None),
        ("", None),
        (None, None),
    ],
)
def test_rncp_inputs_are_normalised(value, expected):
    assert diplomes.normalize_rncp(value) == expected


def test_code_inputs_are_normalised():
    assert diplomes.by_code(" 3203 1313 ") == diplomes.by_code("32031313")
    assert diplomes.by_code("1353261c") == diplomes.by_code("1353261C") != ()
    assert diplomes.by_code("123") == () and diplomes.by_code(None) == ()


def test_prefix_levels_and_types():
    table = diplomes.bundled()
    assert (table.vise_of_code("45020201"), table.level_of_code("45020201")) == ("49", "4")
    assert (table.vise_of_code("25131999"), table.level_of_code("25131999")) == ("64", "6")
    # A title grouped by its old level: neither type nor level is certain.
    assert (table.vise_of_code("36X99999"), table.level_of_code("36X99999")) == (None, None)
    assert table.level_of_rncp("RNCP35908") == "7"


def test_the_bench_reports_every_table_and_the_check():
    # Timings are for `make bench`, never asserted here: only that the report is whole.
    from rules import tables_bench

    labels = [label for label, _ in tables_bench.bench_rows()]
    assert len([x for x in labels if x.startswith("Lecture de la table")]) == 5
    assert "cerfa check par dossier, tables chargées" in labels
    # Every table is loaded again after being measured.
    assert communes.communes_for("75011") and diplomes.by_code("32031313")
