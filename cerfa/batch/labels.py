"""The French column labels of a batch spreadsheet: the wizard's field labels.

A wizard field's name is its dossier path with ``__`` for the dots
(``cerfa/wizard/forms.py``), so its label names the same value in a column header. A
label shared by several paths (every address's « Voie », the remuneration lines' « Du »)
says nothing on its own: such columns are named by their dossier path only.
"""

from __future__ import annotations

import functools
from collections import Counter

from rules.sheet import LEAVES

# Whose address a path holds, in the words of the wizard's fieldsets.
OWNERS = {
    "employeur.adresse": "de l'employeur",
    "apprenti.adresse": "de l'apprenti(e)",
    "apprenti.representant_legal.adresse": "du représentant légal",
    "formation.cfa.adresse": "du CFA responsable",
    "formation.lieu_principal.adresse": "du lieu principal de formation",
}


@functools.cache
def column_labels() -> dict[str, str]:
    """Label → dossier path, for the labels that name one path only."""
    from cerfa.wizard import forms
    from cerfa.wizard.steps import STEPS

    pairs: list[tuple[str, str]] = []
    for step in STEPS:
        for name, field in step.form.base_fields.items():
            path = forms.dossier_path(name)
            if path in LEAVES and field.label:
                owner = OWNERS.get(path.rsplit(".", 1)[0])
                label = str(field.label).strip()
                pairs.append((f"{label} {owner}" if owner else label, path))
    # The remuneration lines in the wizard's order (year 1 period 1, year 1 period 2…),
    # which is the order of the list in the dossier.
    index = 0
    for annee, year in forms.YEAR_NAMES.items():
        for periode in (1, 2):
            for part in forms.REMUNERATION_PARTS:
                field = forms.RemunerationForm.base_fields[
                    forms.remuneration_name(annee, periode, part)
                ]
                pairs.append(
                    (
                        f"Rémunération {year}, période {periode} : {field.label}",
                        f"contrat.remunerations.{index}.{part}",
                    )
                )
            index += 1
    counts = Counter(label for label, _ in pairs)
    return {label: path for label, path in pairs if counts[label] == 1}


def path_labels() -> dict[str, str]:
    """Dossier path → its label, where it has one of its own."""
    return {path: label for label, path in column_labels().items()}
