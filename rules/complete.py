"""``complete``: the dossier with everything that can be derived from it filled in.

What it fills, only where the box is empty:

- the remuneration grid at the legal minimum (``rules/remuneration.py``) when there is
  none; in a grid the user wrote, the empty dates, rates and bases of a line that can be
  matched with the computed grid, and the year of a line that has dates;
- the salaire brut mensuel à l'embauche: line 1's rate × its base in force on the first
  day, in proportion for a week under 35 hours, rounded up to the cent;
- privé / public from the type d'employeur (11-16 are private, 21-30 public: notice);
- the apprentice's sex from a valid NIR, NIA or NTT, whose first digit says it.

It never overwrites what the user wrote, with one exception: a remuneration line that is
provably below the legal minimum (its rate, or its base when the SMC is due) is raised to
the minimum, and a finding says so. Rates above the minimum are kept.

Pure: no network, no clock; the lookups of ``cerfa/`` add their own completion on top.
"""

from __future__ import annotations

import copy

from rules.codes import TYPES_EMPLOYEUR_PRIVE, TYPES_EMPLOYEUR_PUBLIC
from rules.dates import format_fr
from rules.dossier import Dossier, Remuneration, is_blank
from rules.findings import Finding
from rules.identifiers import check_nir, check_siret
from rules.opco import complete_findings as opco_findings
from rules.remuneration import (
    Grid,
    base_shortfall,
    ceil_cent,
    contract_year,
    fr_taux,
    grid_for,
    line1_amount,
    line_name,
    line_span,
    minimum_rate,
    year_of,
)

REFERENCE = "C. trav. art. D6222-26 à D6222-32"


def complete(dossier: Dossier) -> tuple[Dossier, list[Finding]]:
    """A completed copy of ``dossier`` and the findings about what was corrected."""
    out = copy.deepcopy(dossier)
    _fill_prive_public(out)
    _fill_sexe(out)
    findings: list[Finding] = []
    grid = grid_for(out)
    if grid is not None:
        findings.extend(_fill_remunerations(out, grid))
        _fill_salaire(out, grid)
    findings.extend(opco_findings(out))
    return out, findings


def _fill_prive_public(d: Dossier) -> None:
    e = d.employeur
    if not is_blank(e.prive_public) or is_blank(e.type_employeur):
        return
    if e.type_employeur in TYPES_EMPLOYEUR_PRIVE:
        e.prive_public = "prive"
    elif e.type_employeur in TYPES_EMPLOYEUR_PUBLIC:
        e.prive_public = "public"


def _fill_sexe(d: Dossier) -> None:
    a = d.apprenti
    if not is_blank(a.sexe) or is_blank(a.nir):
        return
    siret = (d.employeur.siret or "").replace(" ", "")
    siren = siret[:9] if siret and check_siret(siret) else None
    result = check_nir(a.nir or "", siren)
    if result.ok and result.sexe:
        a.sexe = result.sexe


def _fill_remunerations(d: Dossier, grid: Grid) -> list[Finding]:
    c = d.contrat
    if not c.remunerations:
        c.remunerations = [line.to_remuneration() for line in grid.lines]
        return []
    findings = []
    for i, line in enumerate(c.remunerations):
        _fill_line_gaps(grid, line)
        findings.extend(_raise_line(grid, i, line))
    return findings


def _fill_line_gaps(grid: Grid, line: Remuneration) -> None:
    """Empty boxes of a written line, from the computed grid."""
    start, end = grid.inputs.date_debut, grid.inputs.date_fin
    same = grid.line(line.annee, line.periode)
    if same is not None and line.du is None and line.au is None:
        line.du, line.au = same.du, same.au
    if line.du is not None and start <= line.du <= end:
        k = year_of(start, line.du)
        if line.annee is None:
            line.annee = k
        if line.periode is None:
            line.periode = 1 if line.du == contract_year(start, end, k)[0] else 2
    found = minimum_rate(grid, line)
    if found is None:
        return
    needed, covered = found
    if line.taux is None:
        line.taux = needed
    if is_blank(line.reference):
        line.reference = "SMC" if any(g.reference == "SMC" for g in covered) else "SMIC"


def _raise_line(grid: Grid, i: int, line: Remuneration) -> list[Finding]:
    """Raise a written line that is provably below the minimum, and say so."""
    found = []
    span = line_span(grid, line)
    where = line_name(i, line)
    minimum = minimum_rate(grid, line)
    if (
        span is not None
        and minimum is not None
        and line.taux is not None
        and line.taux < minimum[0]
    ):
        before, line.taux = line.taux, minimum[0]
        found.append(
            Finding(
                "warning",
                "complete.remunerations.taux_releve",
                (f"contrat.remunerations.{i}.taux",),
                f"Le taux de {fr_taux(before)} % de {where} (du {format_fr(span[0])} au "
                f"{format_fr(span[1])}) était inférieur au minimum légal : il a été porté à "
                f"{fr_taux(line.taux)} %. Vérifiez-le, vous pouvez choisir un taux plus élevé.",
                REFERENCE,
            )
        )
    short = base_shortfall(grid, line)
    if short is not None:
        before_ref = line.reference
        line.reference = short.reference
        found.append(
            Finding(
                "warning",
                "complete.remunerations.base_corrigee",
                (f"contrat.remunerations.{i}.reference",),
                f"La base « {before_ref} » de {where} donnait moins que le minimum légal : elle a "
                f"été remplacée par « {short.reference} »"
                + (
                    ", le salaire minimum conventionnel étant plus élevé que le SMIC pour un "
                    "apprenti de 21 ans ou plus."
                    if short.reference == "SMC"
                    else ", le SMC indiqué étant inférieur au SMIC."
                ),
                "C. trav. art. D6222-26 3° et 4°",
            )
        )
    return found


def _fill_salaire(d: Dossier, grid: Grid) -> None:
    if d.contrat.salaire_brut_embauche is not None:
        return
    amount = line1_amount(d, grid)
    if amount is not None:
        d.contrat.salaire_brut_embauche = ceil_cent(amount)
