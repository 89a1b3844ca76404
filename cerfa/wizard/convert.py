"""Step data ↔ dossier: the one place where the wizard's forms meet the dossier format.

The wizard keeps, for each step, what the user typed (the form data, as formtools stores
it). Everything else works on a ``Dossier``:

- ``build(step_data)`` reads every step's data through its form and returns the dossier,
  the steps that apply to it, and the values that cannot be read at all (a date that is not
  a date…), which stop the user on their step;
- ``step_data_from(dossier)`` writes a dossier (an uploaded draft) as step data;
- ``anchor(path, dossier)`` tells which step and which field show a dossier path, so that a
  finding can link to its field.

A field's name is its dossier path with ``__`` for the dots (``forms.py``); the two lists
(the maîtres, the remuneration lines) and the two optional blocks (the legal
representative, the main training place) are handled here.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.datastructures import MultiValueDict

from cerfa.wizard import fields as f
from cerfa.wizard.forms import (
    ADRESSE_LABELS,
    REMUNERATION_PARTS,
    dossier_path,
    remuneration_name,
)
from cerfa.wizard.steps import STEPS, Step
from rules import limits
from rules.dossier import Dossier, get_path, put_path
from rules.findings import Finding

REMUNERATION_SLOTS = tuple((annee, periode) for annee in range(1, 5) for periode in (1, 2))
# Blocks that are null in the dossier when nothing in them is filled.
OPTIONAL_BLOCKS = ("apprenti.representant_legal", "formation.lieu_principal")


@dataclass(frozen=True)
class InputError:
    """A value typed into a step that cannot be read (it never reaches the dossier)."""

    step: str
    name: str  # the form field's name
    label: str
    message: str


@dataclass
class Built:
    dossier: Dossier
    active: list[str]  # names of the steps that apply, in order
    errors: list[InputError] = field(default_factory=list)
    # For each step: the dossier of the steps before it (its context) when the pass made
    # it, and how many active steps and input errors came before it. One pass of ``build``
    # gives every step's context, so a page never reads the steps again for its conditions
    # and its form. A context no condition or form of the pass needed is made on first use
    # (``upto``) from its JSON tree (``snapshots``).
    before: dict[str, tuple[Dossier | None, int, int]] = field(default_factory=dict, repr=False)
    # The JSON tree each step's context is made from, and the whole dossier's (``snapshot``):
    # what ``memo`` keeps of the pass.
    snapshots: dict[str, str] = field(default_factory=dict, repr=False)
    snapshot: str = field(default="", repr=False)

    _findings: list[Finding] | None = field(default=None, repr=False)

    def errors_of(self, step: str) -> list[InputError]:
        return [e for e in self.errors if e.step == step]

    @property
    def has_findings(self) -> bool:
        """Whether ``findings`` has been computed (a memo keeps them then)."""
        return self._findings is not None

    def findings(self) -> list[Finding]:
        """Every finding on the dossier (``cerfa.checks.findings_for``), computed once."""
        if self._findings is None:
            from cerfa.checks import findings_for

            self._findings = findings_for(self.dossier)
        return self._findings

    def upto(self, step: str) -> Built:
        """What ``build(..., upto=step)`` gives: the steps before ``step``."""
        context, active, errors = self.before[step]
        if context is None:
            context = _dossier(json.loads(self.snapshots[step]))
            self.before[step] = (context, active, errors)
        return Built(context, self.active[:active], self.errors[:errors])

    # -- kept between requests (cerfa/wizard/memo.py) ------------------------------------

    def to_memo(self) -> dict[str, Any]:
        """The pass as JSON: the trees as text, read again only where a page needs them."""
        return {
            "dossier": self.snapshot,
            "active": self.active,
            "errors": [[e.step, e.name, e.label, e.message] for e in self.errors],
            "before": {
                step: [tree, self.before[step][1], self.before[step][2]]
                for step, tree in self.snapshots.items()
            },
            "findings": None
            if self._findings is None
            else [finding.to_dict() for finding in self._findings],
        }

    @classmethod
    def from_memo(cls, memo: dict[str, Any]) -> Built:
        findings = memo["findings"]
        return cls(
            _dossier(json.loads(memo["dossier"])),
            list(memo["active"]),
            [InputError(*error) for error in memo["errors"]],
            {step: (None, active, errors) for step, (_, active, errors) in memo["before"].items()},
            {step: tree for step, (tree, _, _) in memo["before"].items()},
            memo["dossier"],
            None
            if findings is None
            else [
                Finding(f["level"], f["code"], tuple(f["fields"]), f["message"], f["reference"])
                for f in findings
            ],
        )


def path_of(name: str) -> str:
    """The dossier path a (non-remuneration) field name stands for."""
    return name.replace("__", ".")


# -- values ----------------------------------------------------------------------------


def _to_json(kind: str, value: Any) -> Any:
    """A form's cleaned value as the dossier's JSON value (None when empty)."""
    if value is None or value == "":
        return None
    if kind == f.DATE:
        return value.isoformat()
    if kind == f.MONEY:
        return str(value)
    if kind == f.BOOL:
        return {"oui": True, "non": False}.get(value)
    if kind == f.CONSENT:
        return bool(value)
    return value


def _to_raw(kind: str, value: Any) -> str | None:
    """A dossier value as the text a user would have typed (None: leave the box empty)."""
    if value is None:
        return None
    if kind == f.BOOL:
        return "oui" if value else "non"
    if kind in (f.CONSENT, f.SAME_ADDRESS):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text != "" else None


def _empty(node: Any) -> bool:
    if isinstance(node, dict):
        return all(_empty(v) for v in node.values())
    if isinstance(node, list):
        return all(_empty(v) for v in node)
    return node is None


def _tidy(tree: dict) -> None:
    """Lists and optional blocks as the format wants them: no empty trailing maître,
    a null block when nothing in it is filled."""
    maitres = tree.get("maitres")
    if isinstance(maitres, list):
        while maitres and _empty(maitres[-1]):
            maitres.pop()
        tree["maitres"] = [m if m is not None else {} for m in maitres]
    for block in OPTIONAL_BLOCKS:
        head, key = block.split(".")
        parent = tree.get(head)
        if isinstance(parent, dict) and key in parent and _empty(parent[key]):
            parent[key] = None


# -- step data → dossier ---------------------------------------------------------------


def _read_step(
    step: Step, data: Mapping, context: Dossier, tree: dict, errors: list[InputError]
) -> None:
    if not isinstance(data, MultiValueDict):
        # Stored step data is a dict of lists, as a POST is.
        data = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
    form = step.form(data=data, context=context)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    lines: dict[tuple[int, int], dict[str, Any]] = {}
    same_address = False
    for name, fld in form.fields.items():
        if fld.kind == f.SAME_ADDRESS:
            same_address = bool(cleaned.get(name))
            continue
        if name in cleaned:
            value = _to_json(fld.kind, cleaned[name])
        else:
            # Unreadable. A text or a code is kept as typed, so that the rules can say
            # what is wrong with it (a code outside its table); any other kind is dropped,
            # and so is a text longer than its box could show (rules/limits.py): stored
            # unchecked by « Précédent », it must reach neither the rules, nor the pages,
            # nor the PDF, and the dossier loader would refuse it.
            raw = form[name].value()
            text = raw.strip() if isinstance(raw, str) else ""
            if (
                fld.kind in (f.TEXT, f.CODE)
                and text
                and not limits.too_long(dossier_path(name), text)
            ):
                value = text
            else:
                value = None
            message = form.errors[name][0] if name in form.errors else ""
            errors.append(InputError(step.name, name, str(fld.label), message))
        if name.startswith("remuneration_"):
            _, annee, periode, part = name.split("_", 3)
            lines.setdefault((int(annee), int(periode)), {})[part] = value
        else:
            put_path(tree, path_of(name), value)
    if same_address:
        _copy_apprenti_address(form, tree)
    if lines:
        out = []
        for annee, periode in REMUNERATION_SLOTS:
            line = lines.get((annee, periode), {})
            if any(v is not None for v in line.values()):
                out.append({"annee": annee, "periode": periode, **line})
        tree.setdefault("contrat", {})["remunerations"] = out


def _address_base(form) -> str | None:
    """The dossier path of the one address a step's form has (``….adresse``)."""
    for name in form.fields:
        if name.endswith("__adresse__code_postal"):
            return path_of(name.removesuffix("__code_postal"))
    return None


def _copy_apprenti_address(form, tree: dict) -> None:
    """« Même adresse que l'apprenti(e) »: the step's address becomes the apprentice's."""
    base = _address_base(form)
    source = (tree.get("apprenti") or {}).get("adresse") or {}
    if base is not None:
        for key, *_ in ADRESSE_LABELS:
            put_path(tree, f"{base}.{key}", source.get(key))


def _same_address(dossier: Dossier, step: Step) -> bool:
    """Whether a step's address is the apprentice's (and not blank)."""
    base = _address_base(step.form(context=dossier))
    if base is None:
        return False
    theirs = get_path(dossier, base)
    mine = dossier.apprenti.adresse
    return theirs is not None and theirs == mine and any(vars(mine).values())


def build(step_data: Mapping[str, Mapping | None], upto: str | None = None) -> Built:
    """The dossier the steps' data make, reading the steps in order.

    Each step's form is built with the dossier of the steps before it (its context) and
    only when its condition holds; a step that does not apply contributes nothing, so a
    legal representative typed for a minor disappears if the dates make them an adult.
    ``upto`` stops before that step: its context.
    """
    tree: dict[str, Any] = {}
    active: list[str] = []
    errors: list[InputError] = []
    before: dict[str, tuple[Dossier | None, int, int]] = {}
    snapshots: dict[str, str] = {}
    for step in STEPS:
        if step.name == upto:
            break
        if step.condition is not None or step.form.uses_context:
            context = _dossier(tree)
        else:
            # Neither its condition nor its form reads it: made from its tree if asked for.
            context = None
        before[step.name] = (context, len(active), len(errors))
        snapshots[step.name] = json.dumps(tree, ensure_ascii=False, separators=(",", ":"))
        if step.condition is not None and not step.condition(context):
            continue
        active.append(step.name)
        data = step_data.get(step.name)
        if data is not None:
            _read_step(step, data, context, tree, errors)
    dossier = _dossier(tree)
    snapshot = json.dumps(tree, ensure_ascii=False, separators=(",", ":"))
    return Built(dossier, active, errors, before, snapshots, snapshot)


def _dossier(tree: dict) -> Dossier:
    _tidy(tree)
    return Dossier.from_dict(tree)


# -- dossier → step data ---------------------------------------------------------------


def remuneration_slots(dossier: Dossier) -> list[tuple[int, int] | None]:
    """For each remuneration line of the dossier, its row on the CERFA grid.

    A line goes to the row of its year and period; a line without them, or whose row is
    taken, goes to the first free row; a ninth line has none (None).
    """
    free = list(REMUNERATION_SLOTS)
    slots: list[tuple[int, int] | None] = [None] * len(dossier.contrat.remunerations)
    pending = []
    for index, line in enumerate(dossier.contrat.remunerations):
        wanted = (line.annee, line.periode)
        if wanted in free:
            free.remove(wanted)
            slots[index] = wanted  # type: ignore[assignment]
        else:
            pending.append(index)
    for index in pending:
        if free:
            slots[index] = free.pop(0)
    return slots


def step_data_from(dossier: Dossier) -> dict[str, dict[str, list[str]]]:
    """The dossier as the data of each step, as if the user had typed it.

    Every step gets its values, including steps that do not apply today (they come back if
    the answers that hide them change). A step with nothing to show gets no data, so that
    it opens blank rather than as a submitted empty form.
    """
    rows: dict[tuple[int, int], Any] = {}
    for line, slot in zip(dossier.contrat.remunerations, remuneration_slots(dossier), strict=True):
        if slot is not None:
            rows[slot] = line
    out: dict[str, dict[str, list[str]]] = {}
    for step in STEPS:
        data: dict[str, list[str]] = {}
        for name, fld in step.form.base_fields.items():
            if fld.kind == f.SAME_ADDRESS:
                value = _same_address(dossier, step) or None
            elif name.startswith("remuneration_"):
                _, annee, periode, part = name.split("_", 3)
                line = rows.get((int(annee), int(periode)))
                value = getattr(line, part, None) if line is not None else None
            else:
                value = get_path(dossier, path_of(name))
            raw = _to_raw(fld.kind, value)
            if raw is not None:
                data[name] = [raw]
        if data:
            out[step.name] = data
    return out


# -- dossier path → step and field -----------------------------------------------------


def field_name(path: str, dossier: Dossier) -> str | None:
    """The form field that shows a dossier path, or its block's first field."""
    parts = path.split(".")
    if parts[:2] == ["contrat", "remunerations"]:
        slots = remuneration_slots(dossier)
        index = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0
        slot = slots[index] if index < len(slots) else None
        annee, periode = slot or (1, 1)
        part = parts[3] if len(parts) > 3 and parts[3] in REMUNERATION_PARTS else "du"
        return remuneration_name(annee, periode, part)
    name = path.replace(".", "__")
    for step in STEPS:
        if name in step.form.base_fields:
            return name
    for step in STEPS:
        for candidate in step.form.base_fields:
            if candidate.startswith(name + "__"):
                return candidate
    return None


def anchor(path: str, dossier: Dossier) -> tuple[str, str] | None:
    """(step name, field name) where the user can change a dossier path."""
    name = field_name(path, dossier)
    if name is None:
        return None
    for step in STEPS:
        if name in step.form.base_fields:
            return step.name, name
    return None  # pragma: no cover - field_name only returns names of a step's form
