"""The contract as the OPCOs' common exchange file: the « norme d'échange API CFA ».

The eleven OPCOs published in 2021 one exchange standard (the « API CFA », worked out
together and often called « Convergence » or « inter-OPCO »), through which a CFA's
software sends them the contract it has prepared, instead of retyping it on each OPCO's
portal. Its body is one JSON object, ``{"cerfa": {…}}``, whose keys follow the CERFA's
boxes: ``employeur``, ``apprenti``, ``maitre1``, ``maitre2``, ``contrat`` (with the pay
grid as ``remunerationsAnnuelles``), ``formation``, ``organismeFormation``,
``organismeFormationLieuFormationPrincipal`` and ``versionCERFA``.

We cannot send it: each OPCO gives its API's credentials to CFAs only. We write the file
so that the CFA's software can read it, or so that it can be kept beside the contract.
``docs/echange-opco.md`` maps every key to the dossier format v1, names where the public
description of the standard was found, and lists the gaps both ways (what we know and the
standard does not carry, what the standard asks and only a CFA or an OPCO can give).

Conventions of this file (the schema ``schemas/opco-cerfa.schema.json`` says them too):

- a value the dossier does not give is left out (never ``null``, never invented): a draft
  gives a shorter file, still valid against the schema;
- dates are ISO ``AAAA-MM-JJ``; codes stay strings with their leading zeros (``"01"``);
  amounts and rates are JSON numbers, as the standard has them;
- texts are written as the user typed them; identifiers (SIRET, NIR, UAI) without spaces.

Nothing here computes a rule: the values are the dossier's, ``rules/`` checks them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from rules import idcc
from rules.dossier import Adresse, Dossier, Etablissement, Maitre, is_blank
from rules.identifiers import compact

VERSION_CERFA = "10103*14"
# What we write, as a JSON Schema (draft 2020-12); the tests validate every fixture's file.
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "opco-cerfa.schema.json"


def opco_exchange(dossier: Dossier) -> dict[str, Any]:
    """The exchange file of ``dossier``: ``{"cerfa": {…}}``."""
    cerfa: dict[str, Any] = {
        "employeur": _employeur(dossier),
        "apprenti": _apprenti(dossier),
    }
    maitres = [m for m in dossier.maitres if not _blank_maitre(m)]
    for number, maitre in enumerate(maitres[:2], start=1):
        cerfa[f"maitre{number}"] = _maitre(maitre)
    cerfa["contrat"] = _contrat(dossier)
    cerfa["formation"] = _formation(dossier)
    cerfa["organismeFormation"] = _organisme(dossier)
    lieu = dossier.formation.lieu_principal
    if dossier.formation.cfa_est_lieu_principal is not True and lieu is not None:
        place = _etablissement(lieu)
        if place:
            cerfa["organismeFormationLieuFormationPrincipal"] = place
    cerfa["versionCERFA"] = VERSION_CERFA
    return {"cerfa": cerfa}


def opco_exchange_bytes(dossier: Dossier) -> bytes:
    """The file as downloaded: UTF-8 JSON, indented, ending with a line break."""
    text = json.dumps(opco_exchange(dossier), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


# -- the parts ---------------------------------------------------------------------------


def _employeur(dossier: Dossier) -> dict[str, Any]:
    e = dossier.employeur
    convention = idcc.find(e.code_idcc) if not is_blank(e.code_idcc) else None
    return _kept(
        denomination=e.denomination,
        siret=_identifier(e.siret),
        adresse=_adresse(e.adresse),
        telephone=e.telephone,
        courriel=e.courriel,
        typeEmployeur=e.type_employeur,
        employeurSpecifique=e.employeur_specifique,
        naf=e.code_ape.upper() if isinstance(e.code_ape, str) else None,
        nombreDeSalaries=e.effectif,
        codeIdcc=_identifier(e.code_idcc),
        # The title of the convention, from the official list we ship (rules/idcc.py).
        libelleIdcc=convention.titre if convention else None,
        # Public employers only (CERFA « adhésion au régime d'assurance chômage »).
        regimeSpecifique=e.adhesion_regime_assurance_chomage,
        caisseComplementaire=dossier.contrat.caisse_retraite_complementaire,
        attestationEligibilite=dossier.attestation_maitre_eligibilite,
        attestationPieces=dossier.signature.attestation_pieces_justificatives,
    )


def _apprenti(dossier: Dossier) -> dict[str, Any]:
    a = dossier.apprenti
    rl = a.representant_legal
    responsable = None
    if rl is not None:
        responsable = _kept(
            nom=rl.nom_naissance,
            prenom=rl.prenom,
            courriel=rl.courriel,
            adresse=_adresse(rl.adresse),
        )
    return _kept(
        nom=a.nom_naissance,
        nomUsage=a.nom_usage,
        prenom=a.prenom,
        nir=_identifier(a.nir),
        dateNaissance=a.date_naissance,
        sexe=a.sexe,
        departementNaissance=a.departement_naissance,
        communeNaissance=a.commune_naissance,
        nationalite=a.nationalite,
        regimeSocial=a.regime_social,
        adresse=_adresse(a.adresse),
        telephone=a.telephone,
        courriel=a.courriel,
        inscriptionSportifDeHautNiveau=a.sportif_haut_niveau,
        handicap=a.rqth,
        droitsRqthEquivalenceJeune=a.equivalence_jeunes,
        droitsRqthExtensionBOE=a.extension_boe,
        situationAvantContrat=a.situation_avant_contrat,
        diplomePrepare=a.dernier_diplome_prepare,
        derniereClasse=a.derniere_classe,
        intituleDiplomePrepare=a.intitule_dernier_diplome,
        diplome=a.diplome_plus_eleve,
        projetCreationRepriseEntreprise=a.projet_creation_reprise_entreprise,
        responsableLegal=responsable,
    )


def _maitre(m: Maitre) -> dict[str, Any]:
    return _kept(
        nom=m.nom_naissance,
        prenom=m.prenom,
        dateNaissance=m.date_naissance,
        courriel=m.courriel,
        emploiOccupe=m.emploi_occupe,
        intituleDiplomeObtenu=m.diplome_plus_eleve,
        niveauDiplomeObtenu=m.niveau_diplome,
    )


def _contrat(dossier: Dossier) -> dict[str, Any]:
    c = dossier.contrat
    nature = c.avantages_nature
    lines = []
    for line in c.remunerations:
        if line.annee is None or line.periode is None:
            continue  # without its year and period a line has no place (« ordre ») on the form
        lines.append(
            _kept(
                ordre=f"{line.annee}.{line.periode}",
                dateDebut=line.du,
                dateFin=line.au,
                taux=line.taux,
                typeSalaire=line.reference,
            )
        )
    return _kept(
        modeContractuel=c.mode_contractuel,
        typeContratApp=c.type_contrat,
        typeDerogation=c.type_derogation,
        numeroContratPrecedent=c.numero_contrat_precedent,
        dateConclusion=c.date_conclusion,
        dateDebutContrat=c.date_debut_execution,
        dateFormationPratiqueEmployeur=c.date_debut_formation_pratique,
        dateEffetAvenant=c.date_effet_avenant,
        dateFinContrat=c.date_fin,
        lieuSignatureContrat=dossier.signature.fait_a,
        dureeTravailHebdoHeures=c.duree_hebdo.heures,
        # « 35 h » is 35 h 0 min: the standard wants both numbers once the hours are given.
        dureeTravailHebdoMinutes=_minutes(c.duree_hebdo.heures, c.duree_hebdo.minutes),
        travailRisque=c.machines_dangereuses,
        salaireEmbauche=c.salaire_brut_embauche,
        avantageNourriture=nature.nourriture_par_repas,
        avantageLogement=nature.logement_par_mois,
        # The standard has a yes/no where the CERFA has a text box: the text is lost
        # (docs/echange-opco.md).
        autreAvantageEnNature=None if nature.autre is None else not is_blank(nature.autre),
        remunerationsAnnuelles=lines or None,
    )


def _formation(dossier: Dossier) -> dict[str, Any]:
    f = dossier.formation
    return _kept(
        rncp=_identifier(f.code_rncp),
        codeDiplome=_identifier(f.code_diplome),
        typeDiplome=f.diplome_vise,
        intituleQualification=f.intitule_precis,
        dateDebutFormation=f.date_debut_cfa,
        dateFinFormation=f.date_fin_epreuves,
        dureeFormation=f.duree_heures,
        nombreHeuresEnDistanciel=f.heures_distance,
    )


def _organisme(dossier: Dossier) -> dict[str, Any]:
    f = dossier.formation
    return _kept(
        formationInterne=f.cfa_entreprise,
        **_etablissement(f.cfa),
        lieuFormationIdentique=f.cfa_est_lieu_principal,
    )


def _etablissement(place: Etablissement) -> dict[str, Any]:
    return _kept(
        denomination=place.denomination,
        siret=_identifier(place.siret),
        uaiCfa=_identifier(place.uai),
        adresse=_adresse(place.adresse),
    )


def _adresse(adresse: Adresse) -> dict[str, Any] | None:
    """The standard's address: one street line (number and street), a complement, the
    postal code and the commune."""
    street = " ".join(
        " ".join(part.split()) for part in (adresse.numero, adresse.voie) if not is_blank(part)
    )
    return (
        _kept(
            adresse1=street,
            adresse2=adresse.complement,
            codePostal=_identifier(adresse.code_postal),
            commune=adresse.commune,
        )
        or None
    )


# -- values ------------------------------------------------------------------------------


def _minutes(heures: int | None, minutes: int | None) -> int | None:
    if minutes is None and heures is not None:
        return 0
    return minutes


def _blank_maitre(m: Maitre) -> bool:
    return all(is_blank(getattr(m, name)) for name in vars(m))


def _identifier(value: str | None) -> str | None:
    return None if is_blank(value) else compact(value)


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Money: a JSON number, as the standard has it (two decimals at most, exact).
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _kept(**values: Any) -> dict[str, Any]:
    """The keys whose value is given: None, blank texts and empty objects left out."""
    out = {}
    for key, value in values.items():
        if value is None or is_blank(value) or value == {}:
            continue
        out[key] = _value(value)
    return out
