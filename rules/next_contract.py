"""A new contract for the same apprentice, from the previous one.

Three cases, each a type de contrat of the « succession de contrats » group (notice,
reference §1.11):

- ``rupture``: the previous contract was broken and the apprentice signs with a new
  employer (type 23). When he went on with his training at the CFA in the meantime, as a
  stagiaire de la formation professionnelle, the situation avant ce contrat is 8 and the
  date de début du cycle de formation stays the one of the cycle begun under the broken
  contract (FAQ Atlas, « À quoi correspond la date de début du cycle de formation ? »):
  the training is kept, the situation 8 proposed;
- ``diplome_meme_employeur``: the previous contract was completed and the apprentice
  prepares the next diploma with the same employer (type 21): employer and maîtres kept;
- ``diplome_autre_employeur``: the same with another employer (type 22).

What the previous contract becomes on the new form: its diploma is the « dernier diplôme
ou titre préparé » and its title the « intitulé précis du dernier diplôme » (Cerfa
10103*14, cadre « L'apprenti »); the situation avant ce contrat is 4 (« contrat
d'apprentissage ») after a completed contract. The « diplôme le plus élevé obtenu » is
kept: the FAQ Atlas asks for the diploma already obtained while the results are not
known. What the form cannot know is left empty: the « dernière classe / année suivie »
(validated or not), and the previous contract's registration number, which the
apprentice or the CFA gives (FAQ Atlas, « L'apprenti a signé un précédent contrat »).

Always cleared: the contract's dates, type de dérogation, remuneration lines, salary and
the signature (a new contract is signed again); the employer, its maîtres and what goes
with them (weekly hours, caisse de retraite, avantages en nature) unless the employer is
the same.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from rules.dossier import Contrat, Dossier, Formation, Signature


@dataclass(frozen=True)
class Reason:
    code: str
    label: str
    type_contrat: str
    situation: str
    same_employer: bool
    same_training: bool


REASONS: tuple[Reason, ...] = (
    Reason(
        "rupture",
        "Après une rupture : un nouvel employeur, la même formation",
        "23",
        "8",
        same_employer=False,
        same_training=True,
    ),
    Reason(
        "diplome_meme_employeur",
        "Le diplôme suivant, chez le même employeur",
        "21",
        "4",
        same_employer=True,
        same_training=False,
    ),
    Reason(
        "diplome_autre_employeur",
        "Le diplôme suivant, chez un autre employeur",
        "22",
        "4",
        same_employer=False,
        same_training=False,
    ),
)
BY_CODE = {r.code: r for r in REASONS}


def next_contract(previous: Dossier, reason: str) -> Dossier:
    """The new contract's dossier (``previous`` is not changed)."""
    why = BY_CODE[reason]
    old = previous
    new = Dossier()  # what is not copied below stays empty: the new employer's, etc.
    new.apprenti = copy.deepcopy(old.apprenti)
    a = new.apprenti
    a.situation_avant_contrat = why.situation
    if old.formation.diplome_vise:
        a.dernier_diplome_prepare = old.formation.diplome_vise
    if old.formation.intitule_precis:
        a.intitule_dernier_diplome = old.formation.intitule_precis
    a.derniere_classe = None  # validated or not: the form cannot tell
    if why.same_employer:
        new.employeur = copy.deepcopy(old.employeur)
        new.maitres = copy.deepcopy(old.maitres)
        new.attestation_maitre_eligibilite = old.attestation_maitre_eligibilite
    new.contrat = Contrat(type_contrat=why.type_contrat)
    if why.same_employer:
        c, p = new.contrat, old.contrat
        c.mode_contractuel = p.mode_contractuel
        c.duree_hebdo = copy.deepcopy(p.duree_hebdo)
        c.caisse_retraite_complementaire = p.caisse_retraite_complementaire
        c.avantages_nature = copy.deepcopy(p.avantages_nature)
    if why.same_training:
        new.formation = copy.deepcopy(old.formation)
    else:
        # The CFA often stays; the diploma, its codes, dates and hours are the next one's.
        new.formation = Formation(
            cfa_entreprise=old.formation.cfa_entreprise,
            cfa=copy.deepcopy(old.formation.cfa),
        )
    new.signature = Signature()
    return new
