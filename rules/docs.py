"""docs/regles.md: every rule of the registry, in French, generated so that it cannot drift.

    .venv/bin/python -m rules.docs          # writes docs/regles.md
    .venv/bin/python -m rules.docs --check  # exit 1 when the file is not up to date

The code, the level and the legal source of each rule come from the registry
(``rules/registry.py``, filled by ``rules.engine.load_rules``); the rules' docstrings are
written in English for the developers, so the one line the document gives about each rule
is its French summary below: one per code, or one per family of rules that the modules
register in a loop (a SIRET, an e-mail address, a code outside its table…). A rule without
a summary, or a summary without a rule, stops the generator with the codes to fix, and
``tests/test_rules_doc.py`` fails while the committed file differs from what it writes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from rules.engine import load_rules
from rules.findings import LEVEL_LABELS, LEVELS
from rules.registry import RULES, Rule

OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "regles.md"
COMMAND = ".venv/bin/python -m rules.docs"

# The modules of rules/checks, in the order the document presents them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("rules.checks.presence", "Cases à remplir"),
    ("rules.checks.identifiers", "Identifiants, codes et coordonnées"),
    ("rules.checks.tables", "Tables de référence (codes postaux, NAF, IDCC, diplômes)"),
    ("rules.checks.people", "L'apprenti, le temps de travail, les maîtres d'apprentissage"),
    ("rules.checks.dates", "Dates et durées"),
    ("rules.checks.remuneration", "Rémunération"),
    ("rules.checks.consistency", "Cohérence entre les réponses"),
    ("rules.checks.format", "Le fichier du dossier"),
)

# Whose box a rule of a family checks, by the start of its code.
WHO: dict[str, str] = {
    "employeur": "de l'employeur",
    "apprenti.representant_legal": "du représentant légal",
    "apprenti": "de l'apprenti",
    "formation.cfa": "du CFA",
    "formation.lieu_principal": "du lieu principal de formation",
    "maitres": "d'un maître d'apprentissage",
}

# Families: the end of the code, and the summary with {who} (WHO) or {box} (the name of
# the box, quoted in the rule's reference).
FAMILIES: tuple[tuple[str, str], ...] = (
    (".siret.format", "Le SIRET {who} a 14 chiffres."),
    (".siret.luhn", "Le SIRET {who} passe la clé de Luhn (ou la règle propre à La Poste)."),
    (".uai.format", "Le numéro UAI {who} a 7 chiffres et une lettre."),
    (".uai.cle", "La lettre du numéro UAI {who} est bien sa clé."),
    (
        ".adresse.code_postal.format",
        "Le code postal de l'adresse {who} a 5 chiffres et un préfixe qu'utilise La Poste.",
    ),
    (
        ".adresse.code_postal.inconnu",
        "Le code postal de l'adresse {who} figure dans la base officielle de La Poste.",
    ),
    (
        ".adresse.commune.code_postal",
        "La commune de l'adresse {who} est desservie sous son code postal (La Poste).",
    ),
    (".telephone.format", "Le téléphone {who} est un numéro français ou international valide."),
    (
        ".courriel.format",
        "L'adresse électronique {who} peut recevoir du courrier : un @, un nom de domaine, "
        "pas d'espace.",
    ),
    (
        ".courriel.inhabituel",
        "L'adresse électronique {who} n'a, avant le @, que des caractères que les "
        "messageries acceptent.",
    ),
    (".hors_liste", "La case « {box} » ne prend qu'un code de la liste de la notice."),
)

SUMMARIES: dict[str, str] = {
    # -- presence
    "champs.obligatoires": "Les cases que le CERFA demande pour tout contrat sont remplies.",
    "apprenti.nir.manquant": (
        "Le NIR de l'apprenti est indiqué, ou à défaut un numéro provisoire (NIA, NTT)."
    ),
    "signature.attestation_pieces": (
        "L'employeur atteste détenir les pièces justificatives (case cochée)."
    ),
    "apprenti.droits_rqth.manquants": (
        "Sans RQTH, les questions « équivalence jeunes » et « extension BOE » ont une réponse."
    ),
    "apprenti.representant_legal.manquant": (
        "L'apprenti mineur à la conclusion a un représentant légal complet."
    ),
    "apprenti.representant_legal.majeur_protege": (
        "Un représentant légal indiqué pour un apprenti majeur : celui du majeur protégé "
        "(tutelle, curatelle), à garder."
    ),
    "maitres.aucun": "Un maître d'apprentissage au moins est désigné.",
    "maitres.incomplet": "Chaque maître d'apprentissage indiqué est complet.",
    "maitres.plus_de_deux": "Deux maîtres d'apprentissage au plus.",
    "contrat.numero_contrat_precedent.avenant": (
        "Un avenant indique le numéro du contrat qu'il modifie."
    ),
    "contrat.numero_contrat_precedent.succession": (
        "Un contrat qui en suit un autre peut indiquer le numéro du précédent."
    ),
    "contrat.date_effet_avenant.manquante": "Un avenant indique sa date d'effet.",
    "formation.lieu_principal.manquant": (
        "Le lieu principal de formation est indiqué quand ce n'est pas le CFA."
    ),
    "formation.lieu_principal.sans_objet": (
        "Le lieu principal de formation n'est rempli que s'il n'est pas le CFA."
    ),
    "employeur.assurance_chomage.reponse": (
        "Un employeur public dit si l'apprenti adhère au régime spécifique d'assurance chômage."
    ),
    # -- identifiers (those outside the families)
    "apprenti.nir.format": "Le NIR (ou le NIA, le NTT) a la forme que lui donne l'INSEE.",
    "apprenti.nir.cle": "La clé du NIR (ou du NIA) correspond à ses 13 premiers caractères.",
    "apprenti.nir.ntt_siren": "Un NTT contient le SIREN de l'employeur.",
    "apprenti.nir.nia": "Un NIA est provisoire : le NIR sera à transmettre à l'OPCO.",
    "apprenti.nir.ntt": "Un NTT est provisoire : le NIR sera à transmettre à l'OPCO.",
    "apprenti.nir.sexe": "Le premier chiffre du NIR correspond au sexe coché.",
    "apprenti.nir.annee": "L'année de naissance du NIR correspond à la date de naissance.",
    "apprenti.nir.mois": "Le mois de naissance du NIR correspond à la date de naissance.",
    "apprenti.nir.departement": ("Le département de naissance du NIR correspond à celui indiqué."),
    "formation.code_diplome.format": ("Le code diplôme a huit positions (ou 99999999 en attente)."),
    "formation.code_diplome.en_attente": (
        "Le code diplôme 99999999 est accepté en attendant le vrai code."
    ),
    "formation.code_rncp.format": "Le code RNCP s'écrit RNCP suivi de 3 à 5 chiffres.",
    "contrat.numero_contrat_precedent.format": (
        "Le numéro du contrat précédent a la forme d'un numéro de dépôt (15 caractères)."
    ),
    "employeur.code_idcc.format": "L'IDCC a 4 chiffres (9999 sans convention collective).",
    "employeur.code_ape.format": "Le code APE a 4 chiffres et une lettre.",
    "employeur.code_ape.division": (
        "Les deux premiers chiffres du code APE sont une division de la NAF."
    ),
    # -- reference tables
    "employeur.code_ape.nomenclature": ("Le code APE existe dans la NAF rév. 2 ou la NAF 2025."),
    "employeur.code_idcc.inconnu": "L'IDCC figure dans la liste officielle des conventions.",
    "employeur.code_idcc.en_vigueur": "La convention collective de l'IDCC est en vigueur.",
    "formation.code_rncp.code_diplome": (
        "Le code diplôme et le code RNCP désignent le même diplôme."
    ),
    "formation.diplome_vise.code_diplome": (
        "Le « diplôme ou titre visé » s'accorde avec le code diplôme (type et niveau)."
    ),
    # -- people and working time
    "apprenti.age.minimum": "L'apprenti a 16 ans au début du contrat (15 ans après la 3e).",
    "apprenti.age.maximum": (
        "L'apprenti a 29 ans révolus au plus au début du contrat, sauf exception prévue."
    ),
    "apprenti.age.succession_niveau": (
        "Après 29 ans, un contrat qui suit un contrat terminé vise un diplôme de niveau supérieur."
    ),
    "apprenti.age.succession_conditions": (
        "Après 29 ans, les conditions d'un contrat qui en suit un autre (moins d'un an)."
    ),
    "contrat.type_derogation.age": "Le type de dérogation correspond à l'âge de l'apprenti.",
    "apprenti.equivalence_jeunes.age": "« Équivalence jeunes » concerne les 15-20 ans.",
    "contrat.duree_hebdo.maximum": (
        "La semaine ne dépasse pas 40 h pour un mineur (35 h en principe), 48 h pour un majeur."
    ),
    "contrat.duree_hebdo.mineur_derogation": (
        "Au-delà de 35 h par semaine, un mineur a besoin d'une dérogation."
    ),
    "contrat.duree_hebdo.heures_supplementaires": (
        "Un majeur au-delà de 35 h (jusqu'à 44 h) : des heures supplémentaires, 10 h par "
        "jour au plus."
    ),
    "contrat.duree_hebdo.moyenne": (
        "Un majeur au-delà de 44 h : la moyenne sur 12 semaines ne dépasse pas 44 h (46 h "
        "par accord)."
    ),
    "contrat.duree_hebdo.temps_partiel": (
        "Moins de 35 h par semaine seulement pour un apprenti RQTH ou sportif de haut niveau."
    ),
    "contrat.machines_dangereuses.mineur": (
        "Un mineur affecté à des travaux dangereux : la déclaration de dérogation."
    ),
    "contrat.machines_dangereuses.duree_limitee": (
        "Contrat à durée limitée et travaux à risques : certains travaux sont interdits."
    ),
    "maitres.age.majeur": "Le maître d'apprentissage est majeur au début du contrat.",
    "maitres.attestation": (
        "L'employeur atteste que le maître d'apprentissage remplit les conditions."
    ),
    "maitres.niveau_diplome": (
        "Le diplôme du maître est d'un niveau au moins égal à celui préparé, sinon deux ans "
        "d'expérience."
    ),
    # -- dates
    "contrat.date_conclusion.apres_debut": (
        "Le contrat est signé au plus tard le premier jour de son exécution."
    ),
    "contrat.date_debut_formation_pratique.hors_contrat": (
        "La formation pratique chez l'employeur commence pendant le contrat."
    ),
    "contrat.date_debut_formation_pratique.delai": (
        "La formation pratique commence au plus tard 3 mois après le début du contrat."
    ),
    "formation.date_debut_cfa.delai": (
        "La formation en CFA commence au plus tard 3 mois après le début du contrat."
    ),
    "formation.date_debut_cfa.avant_contrat": (
        "Une formation en CFA commencée avant le contrat correspond à une situation prévue."
    ),
    "contrat.duree": "Le contrat dure de 6 mois à 3 ans (4 ans dans les cas prévus).",
    "contrat.date_fin.avant_epreuves": "Le contrat couvre toutes les épreuves du diplôme.",
    "contrat.date_fin.apres_epreuves": (
        "Le contrat finit au plus tard 2 mois après la fin des épreuves."
    ),
    "formation.date_fin_epreuves.ordre": (
        "La fin des épreuves vient après le début de la formation et du contrat."
    ),
    "contrat.date_effet_avenant.hors_contrat": "L'avenant prend effet pendant le contrat.",
    "date_naissance.future": "Aucune date de naissance n'est dans le futur.",
    "contrat.transmission.delai": (
        "Le contrat est transmis dans les 5 jours ouvrables suivant son début."
    ),
    # -- remuneration
    "contrat.remunerations.manquantes": (
        "La grille de rémunération est remplie : dates, taux et base de chaque période."
    ),
    "contrat.remunerations.grille": (
        "La grille tient dans le CERFA : 4 années de 2 périodes, chacune une seule fois."
    ),
    "contrat.remunerations.dates": (
        "Les périodes couvrent le contrat du premier au dernier jour, sans trou ni chevauchement."
    ),
    "contrat.remunerations.annees": (
        "Chaque période est numérotée de son année du contrat et n'en déborde pas."
    ),
    "contrat.remunerations.taux_minimum": (
        "Chaque taux atteint le minimum légal de chaque jour qu'il couvre."
    ),
    "contrat.remunerations.base": (
        "La base (SMIC ou SMC) donne au moins le minimum légal dès 21 ans."
    ),
    "contrat.smc.manquant": "Une période sur la base du SMC : le montant du SMC est indiqué.",
    "contrat.smc.a_verifier": (
        "Dès 21 ans, le salaire minimum conventionnel sert de base s'il dépasse le SMIC."
    ),
    "contrat.salaire_brut_embauche.manquant": "Le salaire brut mensuel à l'embauche est indiqué.",
    "contrat.salaire_brut_embauche.minimum": (
        "Le salaire à l'embauche atteint le minimum légal de la première période."
    ),
    "contrat.salaire_brut_embauche.ligne1": (
        "Le salaire à l'embauche correspond au taux et à la base de la première période."
    ),
    "contrat.remunerations.succession": (
        "Après un contrat terminé, le taux du contrat précédent reste un minimum."
    ),
    "contrat.remunerations.cycle_commence": (
        "Cycle commencé avant le contrat : le taux de l'année suivante peut être dû plus tôt."
    ),
    "contrat.remunerations.duree_reduite": (
        "Durée réduite : l'apprenti est payé comme s'il avait accompli la partie du cycle "
        "non couverte."
    ),
    "contrat.remunerations.majoration_handicap": (
        "Année ajoutée pour un apprenti handicapé : taux de la dernière année + 15 points."
    ),
    "contrat.remunerations.employeur_public": (
        "Employeur public : les taux peuvent être majorés de 10 ou 20 points."
    ),
    "contrat.avantages_nature.nourriture": (
        "La retenue pour la nourriture ne dépasse pas 75 % de sa valeur forfaitaire."
    ),
    "contrat.avantages_nature.logement": (
        "La retenue pour le logement ne dépasse pas 75 % de sa valeur forfaitaire."
    ),
    # -- consistency
    "employeur.type_employeur.prive_public": (
        "Le type d'employeur correspond à « employeur privé » ou « public »."
    ),
    "employeur.public.depot": "Un employeur public dépose le contrat auprès de l'État (DDETS).",
    "employeur.assurance_chomage.prive": (
        "L'assurance chômage spécifique ne concerne que les employeurs publics."
    ),
    "employeur.type_employeur.regime_social": (
        "Un employeur dont les salariés relèvent de la MSA : l'apprenti aussi."
    ),
    "contrat.mode_contractuel.employeur_specifique": (
        "Le mode contractuel s'accorde avec l'employeur spécifique (intérim, saisonnier)."
    ),
    "formation.heures.valeurs": (
        "La durée de la formation est positive et comprend les heures à distance."
    ),
    "formation.duree_heures.quart": (
        "La formation en CFA représente au moins 25 % de la durée du contrat."
    ),
    "apprenti.nationalite.hors_ue": (
        "Un apprenti hors Union européenne a besoin d'une autorisation de travail."
    ),
    "apprenti.droits_rqth.avec_rqth": (
        "Avec une RQTH, les droits attachés à la RQTH ne se renseignent pas."
    ),
    "contrat.type_contrat.situation_avant": (
        "Un apprenti qui sort d'un contrat d'apprentissage : un type de contrat 21 à 23."
    ),
    "contrat.numero_contrat_precedent.sans_objet": (
        "Un premier contrat n'a pas de numéro de contrat précédent."
    ),
    "contrat.date_effet_avenant.sans_objet": "Une date d'effet ne concerne que les avenants.",
    "contrat.type_contrat.avenant_rqth": "L'avenant 34 suppose une RQTH.",
    "contrat.type_derogation.convention_duree": (
        "Durée réduite ou allongée : la convention tripartite est jointe au contrat."
    ),
    "formation.cfa_entreprise.annexe": (
        "CFA d'entreprise : une annexe pédagogique et financière est jointe."
    ),
    "contrat.duree_hebdo.valeurs": (
        "La durée hebdomadaire s'écrit en heures et en minutes (0 à 59), non nulle."
    ),
    # -- the file
    "format.cle_inconnue": "Le dossier n'a pas de clé inconnue du format (valeur ignorée).",
}


class DocError(Exception):
    """The registry and the summaries disagree; the message is one French line."""


def _family_summary(code: str, registered: Rule) -> str | None:
    for suffix, template in FAMILIES:
        if not code.endswith(suffix):
            continue
        box = re.search(r"«\s*(.+?)\s*»", registered.reference)
        base = code[: -len(suffix)]
        who = next((w for start, w in WHO.items() if base == start), None)
        if "{box}" in template and box is not None:
            return template.format(box=box.group(1))
        if "{who}" in template and who is not None:
            return template.format(who=who)
    return None


def summary(code: str, registered: Rule) -> str:
    """The French line the document gives about a rule."""
    text = SUMMARIES.get(code) or _family_summary(code, registered)
    if text is None:
        raise DocError(
            f"La règle {code} n'a pas de résumé en français : ajoutez-le à SUMMARIES dans "
            "rules/docs.py."
        )
    return text


def _cell(text: str) -> str:
    """A Markdown table cell: one line, its pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _table(rows: Iterable[tuple[str, Rule]]) -> list[str]:
    out = [
        "| Code | Niveau | Ce que la règle vérifie | Source |",
        "|---|---|---|---|",
    ]
    for code, registered in rows:
        out.append(
            f"| `{code}` | {LEVEL_LABELS[registered.level]} | "
            f"{_cell(summary(code, registered))} | {_cell(registered.reference)} |"
        )
    return out


def render() -> str:
    """The whole of docs/regles.md, from the registry."""
    load_rules()
    orphans = sorted(set(SUMMARIES) - set(RULES))
    if orphans:
        raise DocError(
            "Résumés sans règle dans rules/docs.py (code changé ou règle retirée) : "
            + ", ".join(orphans)
            + "."
        )
    by_module: dict[str, list[tuple[str, Rule]]] = {}
    for code, registered in RULES.items():
        by_module.setdefault(registered.check.__module__, []).append((code, registered))
    counts = {level: sum(1 for r in RULES.values() if r.level == level) for level in LEVELS}
    lines = [
        "# Les règles de contrôle du contrat d'apprentissage",
        "",
        "<!-- Fichier généré par `python -m rules.docs` à partir du registre des règles : "
        "ne le modifiez pas à la main. -->",
        "",
        f"Le service applique {len(RULES)} règles à chaque contrat, les mêmes dans l'assistant, "
        "sur la page de relecture et en ligne de commande (`manage.py cerfa check`) : "
        f"{counts['error']} erreurs, {counts['warning']} avertissements (« Attention ») et "
        f"{counts['info']} informations.",
        "",
        "- **Erreur** : le contrat ne respecte pas la loi ou le formulaire et ne peut pas "
        "être transmis tel quel.",
        "- **Attention** : une réponse à vérifier ; elle peut être juste dans un cas que le "
        "formulaire ne permet pas de connaître.",
        "- **Information** : ce qu'il faut savoir ou faire à côté du formulaire.",
        "",
        "Chaque règle a un code stable, qui accompagne chacun de ses constats, et la source "
        "juridique ou officielle qui la fonde. Le détail (cas limites, raisons du niveau) est "
        "dans la documentation de chaque règle, dans `rules/checks/`.",
    ]
    known = [module for module, _ in SECTIONS]
    sections = [(m, t) for m, t in SECTIONS if m in by_module] + [
        (m, f"Autres règles (`{m.replace('.', '/')}.py`)")
        for m in sorted(by_module)
        if m not in known
    ]
    for module, title in sections:
        rows = by_module[module]
        lines += ["", f"## {title} ({len(rows)})", "", *_table(rows)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m rules.docs", description="Écrit docs/regles.md à partir du registre."
    )
    parser.add_argument(
        "--check", action="store_true", help="ne rien écrire ; échouer si le fichier diffère"
    )
    args = parser.parse_args(argv)
    try:
        text = render()
    except DocError as exc:
        print(exc, file=sys.stderr)
        return 2
    current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else None
    if args.check:
        if current != text:
            print(f"{OUTPUT.name} n'est pas à jour : lancez {COMMAND}", file=sys.stderr)
            return 1
        return 0
    if current != text:
        OUTPUT.write_text(text, encoding="utf-8")
    print(f"{OUTPUT.name} : {len(RULES)} règles.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
