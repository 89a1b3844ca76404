"""`python manage.py cerfa_table_update`: each table rebuilt from small files written here in
the publishers' layouts (never the network: a download is answered by `responses`)."""

import datetime

import pytest
import requests
import responses
from django.core.management import CommandError, call_command

from rules import communes, diplomes, idcc, naf, opco, tabledata
from tests.lookups.kali_fixture import ROWS as KALI_ROWS
from tests.lookups.kali_fixture import build_xlsx

LA_POSTE_HEADER = "#Code_commune_INSEE;Nom_commune;Code_postal;Libellé_acheminement;Ligne_5"
LA_POSTE_ROWS = [
    "75111;PARIS 11;75011;PARIS;",
    "2A004;AJACCIO;20000;AJACCIO;",
    "74010;ANNECY;74000;ANNECY;",
    "74010;ANNECY;74940;ANNECY;ANNECY LE VIEUX",
    "74010;ANNECY;74940;ANNECY;ANNECY LE VIEUX",  # La Poste repeats some rows
    "97701;ST BARTHELEMY;97133;ST BARTHELEMY;",
    "98739;RAIVAVAE;98750;RAIRUA;RAIVAVAE",
    "98739;RAIVAVAE;98750;VAIURU;RAIVAVAE",
]


def la_poste(tmp_path, rows=LA_POSTE_ROWS, header=LA_POSTE_HEADER):
    """La Poste's own file: Latin-1, « ; », a « # » before the header."""
    path = tmp_path / "laposte_hexasmal.csv"
    path.write_bytes("\r\n".join([header, *rows]).encode("latin-1"))
    return path


def update(table, source, output, **options):
    call_command("cerfa_table_update", table, str(source), output=str(output), **options)


# -- communes ------------------------------------------------------------------------------


def test_communes_from_la_postes_file(tmp_path, capsys):
    output = tmp_path / "communes.tsv.gz"
    update("communes", la_poste(tmp_path), output, minimum=5, date="2026-01-01")
    table = communes.load(output)
    assert table.meta["date"] == "2026-01-01" and "La Poste" in table.meta["source"]
    assert table.meta["fichier"] == "laposte_hexasmal.csv"
    assert table.communes_for("75011") == (communes.Commune("75111", "PARIS 11", "75011", "PARIS"),)
    assert table.communes_for("20000")[0].insee == "2A004"
    assert table.commune_matches("74940", "Annecy-le-Vieux") is True
    assert table.commune_matches("98750", "Vaiuru") is True
    assert [c.nom for c in table.communes_for("98750")] == ["RAIVAVAE"]
    assert "6 codes postaux, 5 communes écrits" in capsys.readouterr().out


def test_communes_from_a_utf8_copy_with_commas(tmp_path):
    source = tmp_path / "codes_postaux.csv"
    source.write_text(
        "code_commune_insee,nom_commune,code_postal,libelle_acheminement,ligne_5\n"
        "01001,L ABERGEMENT CLEMENCIAT,01400,L ABERGEMENT CLEMENCIAT,\n"
        "2B033,BASTIA,20200,BASTIA,\n",
        encoding="utf-8",
    )
    output = tmp_path / "communes.tsv.gz"
    update("communes", source, output, minimum=2)
    table = communes.load(output)
    assert table.commune_matches("01400", "L'Abergement-Clémenciat") is True
    assert table.meta["date"] == datetime.date.today().isoformat()


def test_the_same_data_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    source = la_poste(tmp_path)
    update("communes", source, first, minimum=1, date="2026-01-01")
    update("communes", source, second, minimum=1, date="2026-01-01")
    assert first.read_bytes() == second.read_bytes()


def test_too_few_communes_keep_the_table(tmp_path):
    output = tmp_path / "communes.tsv.gz"
    output.write_bytes(b"ancienne table")
    with pytest.raises(CommandError, match="Seulement 7 couples code postal ↔ commune"):
        update("communes", la_poste(tmp_path), output)
    assert output.read_bytes() == b"ancienne table"


@pytest.mark.parametrize(
    "row, message",
    [
        ("75111;PARIS 11;750;PARIS;", "Ligne 2 : code commune ou code postal mal écrit"),
        ("75111;PARIS 11;00750;PARIS;", "Ligne 2 : code commune ou code postal mal écrit"),
        ("7511X;PARIS 11;75011;PARIS;", "Ligne 2 : code commune ou code postal mal écrit"),
        (";;75011;PARIS;", "Ligne 2 : code commune"),
        ("75111;PARIS|11;75011;PARIS;", "Ligne 2 : nom de commune vide ou illisible"),
    ],
)
def test_a_bad_row_is_refused_with_its_line(tmp_path, row, message):
    with pytest.raises(CommandError, match=message):
        update("communes", la_poste(tmp_path, [row]), tmp_path / "o.tsv.gz", minimum=1)


def test_a_file_of_another_layout_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Colonnes attendues introuvables"):
        update(
            "communes",
            la_poste(tmp_path, header="insee;nom;cp"),
            tmp_path / "o.tsv.gz",
            minimum=1,
        )


def test_leading_zeros_a_spreadsheet_dropped_are_restored(tmp_path):
    rows = [
        (1, [("A", "s", "Code_commune_INSEE"), ("B", "s", "Nom_commune")]
         + [("C", "s", "Code_postal"), ("D", "s", "Libellé_acheminement")]),
        (2, [("A", "n", "1001"), ("B", "s", "L ABERGEMENT CLEMENCIAT")]
         + [("C", "n", "1400"), ("D", "s", "L ABERGEMENT CLEMENCIAT")]),
    ]  # fmt: skip
    source = tmp_path / "communes.xlsx"
    source.write_bytes(build_xlsx(rows))
    output = tmp_path / "communes.tsv.gz"
    update("communes", source, output, minimum=1)
    assert communes.load(output).communes_for("01400")[0].insee == "01001"


# -- NAF -------------------------------------------------------------------------------------


def test_naf_from_an_insee_list_with_title_lines(tmp_path):
    source = tmp_path / "naf2008_liste_n5.csv"
    source.write_text(
        "Nomenclature d'activités française - NAF rév. 2;\n"
        ";\n"
        "Code;Intitulés de la NAF rév. 2, version finale\n"
        "SECTION A;AGRICULTURE, SYLVICULTURE ET PÊCHE\n"
        "01.11Z;Culture de céréales (à l'exception du riz), de légumineuses\n"
        "10.71C;Boulangerie et  boulangerie-pâtisserie\n",
        encoding="utf-8",
    )
    output = tmp_path / "naf_rev2.tsv"
    update("naf-rev2", source, output, minimum=2)
    table = naf.load(naf.REV2, output)
    assert table.labels == {
        "0111Z": "Culture de céréales (à l'exception du riz), de légumineuses",
        "1071C": "Boulangerie et boulangerie-pâtisserie",
    }


def test_naf_2025_from_a_spreadsheet(tmp_path):
    rows = [
        (1, [("A", "s", "NAF 2025 — sous-classes")]),
        (3, [("A", "s", "Code"), ("B", "s", "Libellé")]),
        (4, [("A", "s", "10.71H"), ("B", "s", "Fabrication de pain")]),
    ]
    source = tmp_path / "naf2025.xlsx"
    source.write_bytes(build_xlsx(rows))
    output = tmp_path / "naf_2025.tsv"
    update("naf-2025", source, output, minimum=1)
    assert naf.load(naf.NAF2025, output).labels == {"1071H": "Fabrication de pain"}


def test_a_naf_code_twice_is_refused(tmp_path):
    source = tmp_path / "naf.csv"
    source.write_text("code,libelle\n1071C,Boulangerie\n10.71C,Boulangerie\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Ligne 3 : le code 1071C figure deux fois"):
        update("naf-rev2", source, tmp_path / "o.tsv", minimum=1)


def test_too_few_naf_codes_keep_the_table(tmp_path):
    source = tmp_path / "naf.csv"
    source.write_text("code,libelle\n1071C,Boulangerie\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Seulement 1 sous-classes lus"):
        update("naf-rev2", source, tmp_path / "o.tsv")


# -- diplômes ------------------------------------------------------------------------------

KIT_HEADER = (
    "Code_Diplome;Intitulé diplôme (DEPP);Code_RNCP;Niveau fiche RNCP;Abrégé;Dernière MAJ;"
    "Accès apprentissage;Date d'échéance RNCP;Statut fiche"
)


def test_the_kit_of_france_competences(tmp_path):
    source = tmp_path / "Kit_apprentissage.csv"
    source.write_text(
        "\n".join(
            [
                KIT_HEADER,
                "32031313;BANQUE (BTS);RNCP38381;Niveau 5;BTS;CI-18122023;oui;31/12/2028;ACTIVE",
                "40124106;UN BP À DEUX FICHES;RNCP100;Niveau 4;BP;v1;oui;;ACTIVE",
                "40124106;UN BP À DEUX FICHES;RNCP101;Niveau 4;BP;v1;non;;INACTIVE",
                "99999999;EN ATTENTE;NR;NR;NR;NR;NR;;INACTIVE",
                "32031313;BANQUE (BTS);rncp 38381;Niveau 5;BTS;CI-18122023;oui;31/12/2028;ACTIVE",
            ]
        ),
        encoding="cp1252",
    )
    output = tmp_path / "diplomes.tsv.gz"
    update("diplomes", source, output, minimum=4, date="2023-12-18")
    table = diplomes.load(output)
    (banque,) = table.by_code("32031313")
    assert banque == diplomes.Diplome(
        "32031313", "RNCP38381", "BANQUE (BTS)", "5", "54", True, True, "2028-12-31", "BTS"
    )
    assert [(d.code_rncp, d.actif, d.apprentissage) for d in table.by_code("40124106")] == [
        ("RNCP100", True, True),
        ("RNCP101", False, False),
    ]
    (pending,) = table.by_code("99999999")
    assert (pending.code_rncp, pending.niveau, pending.apprentissage) == ("", None, None)
    assert len(table) == 4  # the repeated pair is written once


def test_a_kit_row_with_a_bad_code_is_refused(tmp_path):
    source = tmp_path / "kit.csv"
    source.write_text(
        KIT_HEADER + "\n3203131;BANQUE (BTS);RNCP38381;Niveau 5;BTS;;oui;;ACTIVE\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Ligne 2 : code diplôme ou code RNCP mal écrit"):
        update("diplomes", source, tmp_path / "o.tsv.gz", minimum=1)


def test_the_bcn_prefixes(tmp_path):
    source = tmp_path / "n_niveau_formation_diplome.csv"
    source.write_bytes(
        "NIVEAU_FORMATION_DIPLOME;NIVEAU_INTERMINISTERIEL;LIBELLE_COURT;LIBELLE_100\n"
        "320;3;BTS;BREVET DE TECHNICIEN SUPERIEUR\n"
        "450;4;BP;BREVET PROFESSIONNEL\n".encode("latin-1")
    )
    output = tmp_path / "prefixes.tsv"
    update("prefixes", source, output, minimum=2)
    prefixes = diplomes.read_prefixes(output)
    assert prefixes["320"] == diplomes.Prefixe(
        "320", "BTS", "BREVET DE TECHNICIEN SUPERIEUR", "5", "54"
    )
    # A certain prefix the BCN file lacks is still known.
    assert prefixes["251"].diplome_vise == "64"


# -- OPCO ---------------------------------------------------------------------------------


def opco_xlsx(tmp_path, *lines):
    rows = [
        (1, [("A", "s", "Table de correspondance IDCC - OPCO, 19 juillet 2019")]),
        (3, [("A", "s", "IDCC"), ("B", "s", "Intitulé de la convention"), ("C", "s", "OPCO")]),
    ]
    rows += [
        (4 + i, [("A", "n", code), ("B", "s", title), ("C", "s", name)])
        for i, (code, title, name) in enumerate(lines)
    ]
    path = tmp_path / "table_idcc_opco.xlsx"
    path.write_bytes(build_xlsx(rows))
    return path


def test_opco_from_the_ministrys_spreadsheet(tmp_path, capsys):
    source = opco_xlsx(
        tmp_path,
        ("1486", "Syntec", "OPCO ATLAS"),
        ("16", "Transports routiers", "OPCO Mobilité"),
        ("1979", "HCR", "OPCO entreprises et salariés des services à forte intensité de "
         "main-d'œuvre"),
        ("N.A.", "Branche sans IDCC", "AFDAS"),
    )  # fmt: skip
    output = tmp_path / "idcc_opco.tsv"
    update("opco", source, output, minimum=3, date="2019-07-19")
    table = opco.load(output)
    assert table.opco_for("0016").nom == "OPCO Mobilités"
    assert table.opco_for("1979").nom == "AKTO"
    assert table.opco_for("1486").site_web == "https://www.opco-atlas.fr/"
    assert table.meta["date"] == "2019-07-19"
    assert "3 IDCC rattachés à 3 OPCO" in capsys.readouterr().out


def test_an_unknown_opco_name_is_refused(tmp_path):
    source = opco_xlsx(tmp_path, ("1486", "Syntec", "OPCO du futur"))
    with pytest.raises(CommandError, match="OPCO inconnu.*« OPCO du futur »"):
        update("opco", source, tmp_path / "o.tsv", minimum=1)


def test_an_idcc_under_two_opcos_is_refused(tmp_path):
    source = opco_xlsx(tmp_path, ("1486", "Syntec", "ATLAS"), ("1486", "Syntec", "AKTO"))
    with pytest.raises(CommandError, match="l'IDCC 1486 est rattaché à deux OPCO"):
        update("opco", source, tmp_path / "o.tsv", minimum=1)


# -- IDCC -------------------------------------------------------------------------------------


def test_idcc_from_a_csv_with_legal_states(tmp_path, capsys):
    source = tmp_path / "idcc.csv"
    source.write_text(
        "idcc,libelle,titre,etat_juridique,url,source\n"
        "0016,Transports routiers,Convention collective nationale des transports,"
        "VIGUEUR_ETEN,,x\n"
        "650,,Ingénieurs et cadres de la métallurgie,ABROGE,,x\n"
        "3249,,Industries de carrières,,,x\n"
        "9999,___Sans convention collective___,___Sans convention collective___,,,x\n",
        encoding="utf-8",
    )
    output = tmp_path / "idcc.json"
    update("idcc", source, output, minimum=3, date="2024-11-13")
    written = idcc.parse(output.read_text(encoding="utf-8"))
    assert written.complet is True and written.date == "2024-11-13"
    assert written.conventions == {
        "0016": idcc.Convention("0016", "Transports routiers", True, "VIGUEUR_ETEN"),
        "0650": idcc.Convention("0650", "Ingénieurs et cadres de la métallurgie", False, "ABROGE"),
        "3249": idcc.Convention("3249", "Industries de carrières", None, ""),
    }
    assert "3 conventions collectives (1 en vigueur)" in capsys.readouterr().out


def test_idcc_from_the_kali_spreadsheet(tmp_path):
    source = tmp_path / "liste.xlsx"
    source.write_bytes(build_xlsx(KALI_ROWS))
    output = tmp_path / "idcc.json"
    update("idcc", source, output, minimum=5, date="2026-10-01")
    written = idcc.parse(output.read_text(encoding="utf-8"))
    assert written.date == "2026-10-01" and len(written.conventions) == 7


def test_idcc_downloads_from_the_setting(tmp_path, settings):
    settings.CERFA_IDCC_SOURCE_URL = "https://data.test/liste.xlsx"
    output = tmp_path / "idcc.json"
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "https://data.test/liste.xlsx", body=build_xlsx(KALI_ROWS))
        call_command("cerfa_table_update", "idcc", output=str(output), minimum=1)
    assert idcc.parse(output.read_text(encoding="utf-8")).complet is True


def test_too_few_conventions_keep_the_list(tmp_path):
    source = tmp_path / "liste.xlsx"
    source.write_bytes(build_xlsx(KALI_ROWS))
    output = tmp_path / "idcc.json"
    output.write_text("ancienne liste", encoding="utf-8")
    with pytest.raises(CommandError, match="Seulement 7 conventions"):
        update("idcc", source, output)
    assert output.read_text(encoding="utf-8") == "ancienne liste"


# -- sources and options -----------------------------------------------------------------------


def test_a_table_is_downloaded(tmp_path):
    body = "\n".join([LA_POSTE_HEADER, *LA_POSTE_ROWS]).encode("latin-1")
    output = tmp_path / "communes.tsv.gz"
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "https://data.test/hexasmal.csv", body=body)
        update("communes", "https://data.test/hexasmal.csv", output, minimum=1)
    assert communes.load(output).meta["fichier"] == "https://data.test/hexasmal.csv"


def test_a_failed_download_is_explained(tmp_path):
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.GET, "https://data.test/x.csv", body=requests.exceptions.ConnectionError()
        )
        with pytest.raises(CommandError, match="Téléchargement impossible"):
            update("naf-rev2", "https://data.test/x.csv", tmp_path / "o.tsv")


def test_bad_sources_and_options_are_explained(tmp_path):
    with pytest.raises(CommandError, match="Impossible de lire"):
        update("naf-rev2", tmp_path / "absent.csv", tmp_path / "o.tsv")
    with pytest.raises(CommandError, match="Indiquez le fichier"):
        call_command("cerfa_table_update", "communes")
    with pytest.raises(CommandError, match="Date illisible"):
        update("communes", la_poste(tmp_path), tmp_path / "o.tsv.gz", date="01/01/2026")
    binary = tmp_path / "naf.xls"
    binary.write_bytes(b"\xd0\xcf\x11\xe0\x00\x00binaire")
    with pytest.raises(CommandError, match="ni un CSV ni un tableur XLSX"):
        update("naf-rev2", binary, tmp_path / "o.tsv")


def test_the_header_carries_origine_licence_and_note(tmp_path):
    output = tmp_path / "communes.tsv.gz"
    update(
        "communes",
        la_poste(tmp_path),
        output,
        minimum=1,
        origine="Copie de test",
        licence="ODbL",
        note="Sans CEDEX",
    )
    meta = tabledata.read(output).meta
    assert (meta["source"], meta["licence"], meta["note"]) == (
        "Copie de test",
        "ODbL",
        "Sans CEDEX",
    )
