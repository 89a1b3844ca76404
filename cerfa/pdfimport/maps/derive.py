"""Make the field maps of the older CERFA 10103 versions (``python -m
cerfa.pdfimport.maps.derive``), from ``../shared/reference/data/cerfa_pdf_fields.json``
(each blank template's widgets: page, name, type, rectangle); the templates themselves are
never committed. See ``README.md`` beside this file for how each map was checked.

- **10103*13**: made with LibreOffice like the *14, with the same kind of meaningless
  names (``Zone de texte 8_54``) that do not mean the same box in both. Each *13 box takes
  the path and format of the *14 box at the same place on the same page (the nearest
  rectangle, each *14 box used once): the two forms share their layout, the *14 moving
  part of page 2 down by 5 to 9 points for its new « dont heures à distance » line.
- **10103*10, *11 and *12** (the government generator's ``_modif`` copies of the last two,
  whose names are the same): their names are the printed labels, so the map is written by
  name below (``NAMED``), each name read against the form.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cerfa.pdf.fieldmap import FIELD_MAP, decode_field_name

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent.parent.parent / "shared" / "reference" / "data"
FIELDS = SHARED / "cerfa_pdf_fields.json"
MAX_SHIFT = 10.0  # points: farther than this, two boxes are not the same box

# Names of the older forms' boxes → (dossier path, format). The dates are one box each
# (jj/mm/aaaa, Acrobat's AFDate format on the box); amounts one box; e-mails a box
# before the pre-printed « @ » and one after (two for the maîtres, the second line
# « suite »); the grid's left half is period 1, its right half period 2.
NAMED: dict[str, tuple[str | None, str]] = {
    "mode contractuel": ("contrat.mode_contractuel", "text"),
    "employeur privé": ("employeur.prive_public", "equals:prive"),
    "employeur public": ("employeur.prive_public", "equals:public"),
    "Nom et prénom ou dénomination :": ("employeur.denomination", "text"),
    "N°SIRET de l’établissement d’exécution du contrat :": ("employeur.siret", "text"),
    "N°": ("employeur.adresse.numero", "text"),
    "Voie": ("employeur.adresse.voie", "text"),
    "Complément": ("employeur.adresse.complement", "text"),
    "Code postal": ("employeur.adresse.code_postal", "text"),
    "Commune": ("employeur.adresse.commune", "text"),
    "Téléphone": ("employeur.telephone", "text"),
    "Courriel 1": ("employeur.courriel", "email_local"),
    "Courriel 2": ("employeur.courriel", "email_domain"),
    "Code activité de l’entreprise (NAF) :": ("employeur.code_ape", "text"),
    "Effectif total salariés de l’entreprise :": ("employeur.effectif", "int"),
    "Type d’employeur": ("employeur.type_employeur", "text"),
    "Employeur spécifique": ("employeur.employeur_specifique", "text"),
    "Code IDCC de la convention collective applicable :": ("employeur.code_idcc", "text"),
    "*Pour les employeurs du secteur public, adhésion de l’apprenti au régime spécifique "
    "d’assurance chômage :": ("employeur.adhesion_regime_assurance_chomage", "yes"),
    "Sexe M": ("apprenti.sexe", "equals:M"),
    "Sexe F": ("apprenti.sexe", "equals:F"),
    "Déclare être inscrit sur la liste des sportifs de haut niveau OUI": (
        "apprenti.sportif_haut_niveau",
        "yes",
    ),
    "Déclare être inscrit sur la liste des sportifs de haut niveau NON": (
        "apprenti.sportif_haut_niveau",
        "no",
    ),
    "Déclare bénéficier de la reconnaissance travailleur handicapé OUI": ("apprenti.rqth", "yes"),
    "Déclare bénéficier de la reconnaissance travailleur handicapé NON": ("apprenti.rqth", "no"),
    "Déclare avoir un projet de création ou de reprise d’entreprise OUI": (
        "apprenti.projet_creation_reprise_entreprise",
        "yes",
    ),
    "Déclare avoir un projet de création ou de reprise d’entreprise NON": (
        "apprenti.projet_creation_reprise_entreprise",
        "no",
    ),
    "Nom de naissance de l’apprenti(e) :": ("apprenti.nom_naissance", "text"),
    "Nom d’usage": ("apprenti.nom_usage", "text"),
    "Le premier prénom de l’apprenti(e) selon l’état civil :": ("apprenti.prenom", "text"),
    "NIR de l’apprenti(e)": ("apprenti.nir", "text"),
    "Apprenti Date naissance_af_date": ("apprenti.date_naissance", "date"),
    "Adresse de l’apprenti(e) N°": ("apprenti.adresse.numero", "text"),
    "Adresse de l’apprenti(e) Voie": ("apprenti.adresse.voie", "text"),
    "Adresse de l’apprenti(e) Complément": ("apprenti.adresse.complement", "text"),
    "Adresse de l’apprenti(e) CP": ("apprenti.adresse.code_postal", "text"),
    "Adresse de l’apprenti(e) Commune": ("apprenti.adresse.commune", "text"),
    "Adresse de l’apprenti(e) Téléphone": ("apprenti.telephone", "text"),
    "Adresse de l’apprenti(e) Courriel1": ("apprenti.courriel", "email_local"),
    "Adresse de l’apprenti(e) Courriel2": ("apprenti.courriel", "email_domain"),
    "Représentant légal Nom / Prénom": (
        "apprenti.representant_legal.nom_naissance apprenti.representant_legal.prenom",
        "join",
    ),
    "Adresse du représentant légal N°": ("apprenti.representant_legal.adresse.numero", "text"),
    "Adresse du représentant légal Voie": ("apprenti.representant_legal.adresse.voie", "text"),
    "Adresse du représentant légal Complément": (
        "apprenti.representant_legal.adresse.complement",
        "text",
    ),
    "Adresse du représentant légal CP": (
        "apprenti.representant_legal.adresse.code_postal",
        "text",
    ),
    "Adresse du représentant légal Commune": (
        "apprenti.representant_legal.adresse.commune",
        "text",
    ),
    "Adresse du représentant légal Courriel1": (
        "apprenti.representant_legal.courriel",
        "email_local",
    ),
    "Adresse du représentant légal Courriel2": (
        "apprenti.representant_legal.courriel",
        "email_domain",
    ),
    "Département naissance apprenti": ("apprenti.departement_naissance", "text"),
    "Commune naissance apprenti": ("apprenti.commune_naissance", "text"),
    "Nationalité apprenti": ("apprenti.nationalite", "text"),
    "Régime social apprenti": ("apprenti.regime_social", "text"),
    "Situation avant ce contrat": ("apprenti.situation_avant_contrat", "text"),
    "Dernier diplôme ou titre préparé": ("apprenti.dernier_diplome_prepare", "text"),
    "Dernière classe / année suivie": ("apprenti.derniere_classe", "text"),
    "Intitulé précis du dernier diplôme ou titre préparé :": (
        "apprenti.intitule_dernier_diplome",
        "text",
    ),
    "Diplôme ou titre le plus élevé obtenu": ("apprenti.diplome_plus_eleve", "text"),
    "employeur atteste": ("attestation_maitre_eligibilite", "yes"),
    "Maître d’apprentissage n°1 Nom de naissance": ("maitres.0.nom_naissance", "text"),
    "Maître d’apprentissage n° 2Nom de naissance": ("maitres.1.nom_naissance", "text"),
    "Maître d’apprentissage n°1 Prénom": ("maitres.0.prenom", "text"),
    "Maître d’apprentissage n°2 Prénom": ("maitres.1.prenom", "text"),
    "Maître d’apprentissage n°1 Date naissance_af_date": ("maitres.0.date_naissance", "date"),
    "Maître d’apprentissage n°2 Date naissance_af_date": ("maitres.1.date_naissance", "date"),
    # The *10 asked for the maîtres' NIR; format v1 (and the *14) no longer does.
    "Maître d’apprentissage n°1 NIR": (None, "dropped"),
    "Maître d’apprentissage n°2 NIR": (None, "dropped"),
    "Maître d’apprentissage n°1 Courriel1": ("maitres.0.courriel", "email_local"),
    "Maître d’apprentissage n°1 Courriel2": ("maitres.0.courriel", "email_domain"),
    "Maître d’apprentissage n°1 Courriel2suite": ("maitres.0.courriel", "email_domain_more"),
    "Maître d’apprentissage n°2 Courriel1": ("maitres.1.courriel", "email_local"),
    "Maître d’apprentissage n°2 Courriel2": ("maitres.1.courriel", "email_domain"),
    "Maître d’apprentissage n°2 Courriel2suite": ("maitres.1.courriel", "email_domain_more"),
    "Maître d’apprentissage n°1 Emploi occupé :": ("maitres.0.emploi_occupe", "text"),
    "Maître d’apprentissage n°2 Emploi occupé :": ("maitres.1.emploi_occupe", "text"),
    "Maître d’apprentissage n°1Diplôme ou titre le plus élevé obtenu :": (
        "maitres.0.diplome_plus_eleve",
        "text",
    ),
    "Maître d’apprentissage n°2 Diplôme ou titre le plus élevé obtenu :": (
        "maitres.1.diplome_plus_eleve",
        "text",
    ),
    "Maître d’apprentissage n°1 Niveau de diplôme ou titre le plus élevé obtenu :": (
        "maitres.0.niveau_diplome",
        "text",
    ),
    "Maître d’apprentissage n°2 Niveau de diplôme ou titre le plus élevé obtenu :": (
        "maitres.1.niveau_diplome",
        "text",
    ),
    "Type de contrat ou d’avenant :": ("contrat.type_contrat", "text"),
    "Type de dérogation :": ("contrat.type_derogation", "text"),
    "Numéro du contrat précédent ou du contrat sur lequel porte l’avenant :": (
        "contrat.numero_contrat_precedent",
        "text",
    ),
    "Date de conclusion : _af_date": ("contrat.date_conclusion", "date"),
    "Date de début d’exécution du contrat : _af_date": ("contrat.date_debut_execution", "date"),
    "Date de début de formation pratique chez l’employeur : _af_date": (
        "contrat.date_debut_formation_pratique",
        "date",
    ),
    "Si avenant, date d’effet :_af_date": ("contrat.date_effet_avenant", "date"),
    "ate de fin du contrat ou de la période d'apprentissage_af_date": ("contrat.date_fin", "date"),
    "Durée hebdomadaire du travail  heure": ("contrat.duree_hebdo.heures", "int"),
    "Durée hebdomadaire du travail  minutes": ("contrat.duree_hebdo.minutes", "int"),
    "Travail sur machines dangereuses ou exposition à des risques particuliers : OUI": (
        "contrat.machines_dangereuses",
        "yes",
    ),
    "Travail sur machines dangereuses ou exposition à des risques particuliers : NON": (
        "contrat.machines_dangereuses",
        "no",
    ),
    "Caisse de retraite complémentaire :": ("contrat.caisse_retraite_complementaire", "text"),
    "Salaire brut mensuel à l’embauche :": ("contrat.salaire_brut_embauche", "money"),
    "Avantages en nature, le cas échéant : Nourriture": (
        "contrat.avantages_nature.nourriture_par_repas",
        "money",
    ),
    "Avantages en nature, le cas échéant : Logement": (
        "contrat.avantages_nature.logement_par_mois",
        "money",
    ),
    "Avantages en nature, le cas échéant : Autre": ("contrat.avantages_nature.autre", "text"),
    "CFA d’entreprise OUI": ("formation.cfa_entreprise", "yes"),
    "CFA d’entreprise NON": ("formation.cfa_entreprise", "no"),
    "Dénomination du CFA responsable :": ("formation.cfa.denomination", "text"),
    "N° UAI du CFA": ("formation.cfa.uai", "text"),
    "N° SIRET CFA": ("formation.cfa.siret", "text"),
    "Adresse du CFA responsable N°": ("formation.cfa.adresse.numero", "text"),
    "Adresse du CFA responsable Voie": ("formation.cfa.adresse.voie", "text"),
    "Adresse du CFA responsable Complément": ("formation.cfa.adresse.complement", "text"),
    "Adresse du CFA responsable CP": ("formation.cfa.adresse.code_postal", "text"),
    "Adresse du CFA responsable Commune": ("formation.cfa.adresse.commune", "text"),
    "Si le CFA responsable est le lieu de formation principal cochez la case ci-contre": (
        "formation.cfa_est_lieu_principal",
        "yes",
    ),
    "Diplôme ou titre visé par l’apprenti :": ("formation.diplome_vise", "text"),
    "Diplôme ou titre visé par l’apprenti : Intitulé précis :": (
        "formation.intitule_precis",
        "text",
    ),
    "Code du diplôme": ("formation.code_diplome", "text"),
    "Code RNCP": ("formation.code_rncp", "text"),
    "Date de début de formation en CFA :  _af_date": ("formation.date_debut_cfa", "date"),
    "Date prévue de fin des épreuves ou examens :_af_date": (
        "formation.date_fin_epreuves",
        "date",
    ),
    "Durée de la formation :": ("formation.duree_heures", "int"),
    "Dénomination du lieu de formation principal :": (
        "formation.lieu_principal.denomination",
        "text",
    ),
    "N° UAI :": ("formation.lieu_principal.uai", "text"),
    "N° SIRET :": ("formation.lieu_principal.siret", "text"),
    "Adresse du lieu de formation principal : N°": (
        "formation.lieu_principal.adresse.numero",
        "text",
    ),
    "Adresse du lieu de formation principal : Voie": (
        "formation.lieu_principal.adresse.voie",
        "text",
    ),
    "Adresse du lieu de formation principal : Complément": (
        "formation.lieu_principal.adresse.complement",
        "text",
    ),
    "Adresse du lieu de formation principal : CP": (
        "formation.lieu_principal.adresse.code_postal",
        "text",
    ),
    "Adresse du lieu de formation principal : Commune": (
        "formation.lieu_principal.adresse.commune",
        "text",
    ),
    "L’employeur atteste disposer de l’ensemble des pièces justificatives nécessaires au "
    "dépôt du contrat": ("signature.attestation_pieces_justificatives", "yes"),
    "Fait à": ("signature.fait_a", "text"),
}
_YEARS = {1: "1re ", 2: "2e ", 3: "3e ", 4: "4e "}
for _year, _word in _YEARS.items():
    _left = f"Rémunération - {_word} année, "
    _grid = f"contrat.remunerations[{_year}.%d]."
    NAMED[f"{_left}du _af_date"] = (_grid % 1 + "du", "date")
    NAMED[f"{_left}au_af_date"] = (_grid % 1 + "au", "date")
    NAMED[f"{_year}e année % du"] = (_grid % 1 + "taux", "percent")
    NAMED[f"{_year}e année % du *"] = (_grid % 1 + "reference", "text")
    NAMED[f"{_year}e année du_af_date"] = (_grid % 2 + "du", "date")
    NAMED[f"{_year}e année au_af_date"] = (_grid % 2 + "au", "date")
    NAMED[f"{_year}e année % du1"] = (_grid % 2 + "taux", "percent")
    NAMED[f"{_year}e année % du *1"] = (_grid % 2 + "reference", "text")

# The *10's rate and reference boxes of a year's two periods are two widgets of one field
# (same name, one value, shown twice): that value is each period's.
SHARED_IN_10 = {
    f"{year}e année % du{star}": f"contrat.remunerations[{year}.2].{part}"
    for year in _YEARS
    for star, part in (("", "taux"), (" *", "reference"))
}

SIGNATURES = "/Sig"  # signature boxes hold no dossier value


def widgets(template: str) -> list[dict]:
    data = json.loads(FIELDS.read_text(encoding="utf-8"))
    return [
        {**w, "name": decode_field_name(w["name"])}
        for w in data[template]["widget_list"]
        if w["type"] != SIGNATURES
    ]


def _entry(name: str, page: int, path, fmt: str) -> dict:
    if isinstance(path, str) and " " in path:
        path = path.split(" ")
    return {"name": name, "page": page, "path": path, "format": fmt}


def named_map(template: str, form: str) -> dict:
    fields, seen = [], set()
    for widget in widgets(template):
        name = widget["name"]
        if name in seen:
            continue
        seen.add(name)
        path, fmt = NAMED[name]  # a KeyError names a box this table does not know
        fields.append(_entry(name, widget["page"], path, fmt))
        if template == "cerfa_10103-10.pdf" and name in SHARED_IN_10:
            fields.append(_entry(name, widget["page"], SHARED_IN_10[name], fmt))
    return {"form": form, "fields": fields}


def positional_map(template: str, form: str) -> dict:
    """Each box takes the map entry of the *14 box nearest to it (see the module)."""
    by_name = {e.name: e for e in FIELD_MAP}
    older, current = widgets(template), widgets("cerfa_10103-14.pdf")
    pairs = []
    for a in older:
        for b in current:
            if a["page"] == b["page"] and (a["type"] == "/Btn") == (b["type"] == "/Btn"):
                shift = max(abs(x - y) for x, y in zip(a["rect"], b["rect"], strict=True))
                pairs.append((shift, a["name"], b["name"]))
    pairs.sort()
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for shift, a, b in pairs:
        if a in chosen or b in taken or shift > MAX_SHIFT:
            continue
        chosen[a] = b
        taken.add(b)
    fields = []
    for widget in older:
        entry = by_name[chosen[widget["name"]]]  # a KeyError: a box with no counterpart
        path = list(entry.path) if isinstance(entry.path, tuple) else entry.path
        fields.append(
            {"name": widget["name"], "page": widget["page"], "path": path, "format": entry.format}
        )
    return {"form": form, "fields": fields}


def page_1_digest(template: Path) -> str:
    """SHA-256 of the first page's content streams, decoded: what tells apart two versions
    whose fields are the same (the *11 and *12 differ only in their printed number);
    filling a form's fields leaves them as they are."""
    from pypdf import PdfReader

    from cerfa.pdfimport.pdf import contents_digest

    return contents_digest(PdfReader(template).pages[0])


def main() -> None:
    modif = named_map("cerfa_10103-12_modif.pdf", "CERFA 10103*11 et *12 (copies du générateur)")
    modif["page_1_contents_sha256"] = {
        "CERFA 10103*11": page_1_digest(SHARED / "cerfa_10103-11_modif.pdf"),
        "CERFA 10103*12": page_1_digest(SHARED / "cerfa_10103-12_modif.pdf"),
    }
    maps = {
        "cerfa_10103-13.json": positional_map("cerfa_10103-13.pdf", "CERFA 10103*13"),
        "cerfa_10103-11-12_modif.json": modif,
        "cerfa_10103-10.json": named_map("cerfa_10103-10.pdf", "CERFA 10103*10"),
    }
    for filename, content in maps.items():
        text = json.dumps(content, ensure_ascii=False, indent=1) + "\n"
        (HERE / filename).write_text(text, encoding="utf-8")
        sys.stdout.write(f"{filename}: {len(content['fields'])} entrées\n")


if __name__ == "__main__":
    main()
