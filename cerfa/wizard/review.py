"""The review page: every step summarised in words, and every finding linked to its field.

Values are read from the dossier the steps make (what goes into the PDF), shown with the
labels of their code tables, never as raw codes.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from decimal import Decimal

from django.urls import reverse

from cerfa.wizard import convert
from cerfa.wizard import fields as f
from cerfa.wizard.forms import REMUNERATION_PARTS, RemunerationForm, remuneration_name
from cerfa.wizard.steps import BY_NAME, REVIEW
from cerfa.wizard.timeline import timeline_context
from rules import opco as opco_table
from rules.dates import format_fr
from rules.dossier import Dossier, get_path
from rules.findings import LEVEL_LABELS, LEVELS
from rules.timeline import FILING_DAYS

MISSING = "Non renseigné"
LEVEL_TITLES = {
    "error": "Erreurs à corriger",
    "warning": "Points à vérifier",
    "info": "Pour information",
}
LEVEL_ALERTS = {"error": "error", "warning": "warning", "info": "info"}


def _choice_label(field, value: str) -> str:
    for key, text in field.choices:
        if isinstance(text, list | tuple):
            for sub_key, sub_text in text:
                if sub_key == value:
                    return f"{sub_text}"
        elif key == value:
            return str(text)
    return f"{value} (code absent de la liste du CERFA)"


def display(field, value) -> str | None:
    """A dossier value as a French reader expects it; None when not answered."""
    if value is None or value == "":
        return None
    kind = field.kind
    if kind == f.CODE:
        return _choice_label(field, value)
    if kind == f.BOOL:
        return "Oui" if value else "Non"
    if kind == f.CONSENT:
        return "Oui, l'employeur l'atteste" if value else "Non, pas encore"
    if isinstance(value, datetime.date):
        return format_fr(value)
    if kind == f.MONEY:
        return f"{Decimal(value):.2f}".replace(".", ",") + " €"
    if kind == f.NUMBER:
        return f"{value}".replace(".", ",") + " %"
    return str(value)


def step_url(contrat_id: uuid.UUID, step: str, field: str | None = None) -> str:
    url = reverse("wizard:step", kwargs={"contrat_id": contrat_id, "step": step})
    return url + (f"#champ-{field}" if field else "")


def _label(step: str, name: str) -> str:
    field = BY_NAME[step].form.base_fields[name]
    return getattr(field, "sr_prefix", "") + str(field.label)


def sections(contrat_id: uuid.UUID, dossier: Dossier, names: list[str]) -> list[dict]:
    out = []
    for name in names:
        if name == REVIEW:
            continue
        step = BY_NAME[name]
        form = step.form(context=dossier)
        groups = []
        for legend, _intro, field_names in step.form.layout:
            rows = []
            for field_name in field_names:
                if field_name not in form.fields:
                    continue
                field = form.fields[field_name]
                if field.kind == f.SAME_ADDRESS:
                    continue  # the address itself is shown
                value = get_path(dossier, convert.path_of(field_name))
                rows.append(
                    {
                        "label": str(field.label),
                        "value": display(field, value),
                    }
                )
            if rows:
                groups.append({"legend": legend, "rows": rows})
        section = {
            "name": name,
            "title": step.title,
            "url": step_url(contrat_id, name),
            "groups": groups,
        }
        if step.form is RemunerationForm:
            section["lines"] = remuneration_lines(contrat_id, dossier, form)
        out.append(section)
    return out


def remuneration_lines(contrat_id: uuid.UUID, dossier: Dossier, form) -> list[dict]:
    lines = []
    slots = convert.remuneration_slots(dossier)
    for line, slot in zip(dossier.contrat.remunerations, slots, strict=True):
        annee, periode = slot or (line.annee, line.periode)
        cells = {}
        for part in REMUNERATION_PARTS:
            name = remuneration_name(annee or 1, periode or 1, part)
            cells[part] = display(form.fields[name], getattr(line, part))
        lines.append(
            {
                "year": f"{annee}" if annee else "?",
                "period": f"{periode}" if periode else "?",
                "url": step_url(
                    contrat_id, "remuneration", remuneration_name(annee or 1, periode or 1, "du")
                ),
                **cells,
            }
        )
    return lines


def findings(contrat_id: uuid.UUID, built: convert.Built, active: list[str]) -> list[dict]:
    """Every finding, grouped by level, each with links to its fields."""
    by_level: dict[str, list[dict]] = {level: [] for level in LEVELS}
    for error in built.errors:
        # The label says which remuneration line a « Du » or « Au » belongs to.
        label = _label(error.step, error.name)
        by_level["error"].append(
            {
                "message": f"« {label} » : {error.message}",
                "reference": "",
                "code": "saisie.illisible",
                "links": [{"label": label, "url": step_url(contrat_id, error.step, error.name)}],
            }
        )
    for finding in built.findings():
        links = []
        for path in finding.fields:
            where = convert.anchor(path, built.dossier)
            if where is None or where[0] not in active:
                continue
            step, name = where
            link = {"label": _label(step, name), "url": step_url(contrat_id, step, name)}
            if link not in links:
                links.append(link)
        by_level[finding.level].append(
            {
                "message": finding.message,
                "reference": finding.reference,
                "code": finding.code,
                "links": links,
            }
        )
    return [
        {
            "level": level,
            "title": LEVEL_TITLES[level],
            "label": LEVEL_LABELS[level],
            "alert": LEVEL_ALERTS[level],
            "items": by_level[level],
        }
        for level in LEVELS
        if by_level[level]
    ]


def step_findings(step: str, built: convert.Built) -> list[dict]:
    """The findings about a step's fields, one item per field concerned, in the rules'
    order (errors first): what the step shows beside its fields and in its summary."""
    items: list[dict] = []
    for finding in built.findings():
        names = []
        for path in finding.fields:
            where = convert.anchor(path, built.dossier)
            if where is not None and where[0] == step and where[1] not in names:
                names.append(where[1])
        for name in names:
            items.append(
                {
                    "level": finding.level,
                    "label": LEVEL_LABELS[finding.level],
                    "message": finding.message,
                    "reference": finding.reference,
                    "code": finding.code,
                    "field": name,
                    "field_label": _label(step, name),
                }
            )
    return items


def step_items(step: str, built: convert.Built) -> list[dict]:
    """The step's findings (its unreadable values first), each with its field's name."""
    items = [
        {
            "level": "error",
            "label": LEVEL_LABELS["error"],
            "message": error.message,
            "code": "saisie.illisible",
            "field": error.name,
            "field_label": error.label,
        }
        for error in built.errors_of(step)
        if error.message
    ]
    return items + step_findings(step, built)


def by_field(items: list[dict]) -> dict[str, list[dict]]:
    """What each field shows beside it: its items' levels and messages, once each."""
    out: dict[str, list[dict]] = {}
    for item in items:
        shown = {"level": item["level"], "label": item["label"], "message": item["message"]}
        if shown not in out.setdefault(item["field"], []):
            out[item["field"]].append(shown)
    return out


def seen_digest(errors: list[dict]) -> str:
    """A short digest of the errors a page showed (their codes and fields, no value)."""
    keys = sorted({f"{item['code']}:{item['field']}" for item in errors})
    return hashlib.sha256("|".join(keys).encode()).hexdigest()[:16]


def opco(dossier: Dossier) -> dict:
    """The employer's OPCO, to whom the contract goes, from its IDCC (rules/opco.py): named
    with the date of the table it comes from, or « à vérifier » when the table lacks it."""
    idcc = (dossier.employeur.code_idcc or "").strip()
    found = opco_table.opco_for(idcc) if idcc else None
    return {
        "idcc": idcc,
        "nom": found.nom if found else "",
        "site": found.site_web if found else "",
        "date": format_fr(datetime.date.fromisoformat(opco_table.TABLE_DATE)),
        "jours": FILING_DAYS,  # D6224-1, rules/timeline.py
    }


def page(contrat_id: uuid.UUID, built: convert.Built, active: list[str]) -> dict:
    groups = findings(contrat_id, built, active)
    return {
        "opco": opco(built.dossier),
        "timeline": timeline_context(built.dossier),
        "sections": sections(contrat_id, built.dossier, active),
        "finding_groups": groups,
        "error_count": sum(len(g["items"]) for g in groups if g["level"] == "error"),
        "pdf_url": reverse("wizard:pdf", kwargs={"contrat_id": contrat_id}),
        "json_url": reverse("wizard:json", kwargs={"contrat_id": contrat_id}),
        "findings_pdf_url": reverse("wizard:findings_pdf", kwargs={"contrat_id": contrat_id}),
        "erase_url": reverse("wizard:erase", kwargs={"contrat_id": contrat_id}),
    }
