"""« Modifier un contrat existant (avenant) » (issue 11, item 4).

The user gives back the contract (its .json, or its PDF read by ``cerfa.pdfimport``: ours
or any filled 10103), chooses what changes among the avenant types 31 to 38
(``rules/avenant.py``, in plain words), types the number of the contract and the date d'effet, and, when the
avenant moves the end of the contract, the new end date. The wizard then opens on a new
contract of the session, pre-filled: type de contrat = the avenant's code, the number and
the date d'effet in their boxes, the remuneration grid recomputed from the date d'effet
when the avenant concerns the pay; only the sections the avenant concerns are marked
« À modifier ». The initial contract is kept in the new contract's store entry (memory, as
the contract itself), so that the review page lists, value by value, what the avenant
changes (``rules/diff.py``). The number and the date are checked by the registry's own
rules, the same ones the review page runs.
"""

from __future__ import annotations

import copy
import datetime
import uuid

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from formtools.wizard.storage.base import BaseStorage

from cerfa.stats import count, names
from cerfa.wizard import continuation, convert, storage, upload
from cerfa.wizard.forms import REMUNERATION_PARTS, YEAR_NAMES, dossier_path
from cerfa.wizard.steps import BY_NAME, REVIEW, STEPS
from rules import avenant as rules_avenant
from rules.dates import format_fr
from rules.diff import differences
from rules.dossier import MAX_YEAR, MIN_YEAR, Dossier
from rules.engine import load_rules
from rules.registry import RULES, Context

EXTRA = "avenant"  # extra_data key: {"type": code, "initial": the initial dossier (v1)}
# The registry's rules about the avenant's own boxes, run on the opened avenant.
CHECKED = (
    "contrat.numero_contrat_precedent.avenant",
    "contrat.numero_contrat_precedent.format",
    "contrat.date_effet_avenant.manquante",
    "contrat.date_effet_avenant.hors_contrat",
)
# Which box of this page shows a dossier path the rules name.
BOX_OF = {
    "contrat.numero_contrat_precedent": "numero",
    "contrat.date_effet_avenant": "date_effet",
    "contrat.date_fin": "date_fin",
}
FAQ_NUMERO = (
    "C'est le numéro d'enregistrement (numéro de dépôt) du contrat, 15 caractères, par "
    "exemple 069202409000123 : il figure sur la décision de prise en charge ou "
    "d'enregistrement que l'OPCO a envoyée. L'apprenti ou son CFA peut aussi vous le donner "
    "(FAQ OPCO Atlas)."
)


def _date_field(label: str, help_text: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez cette date.",
            "invalid": "Écrivez la date sous la forme jj/mm/aaaa.",
        },
    )


class AvenantForm(forms.Form):
    type_avenant = forms.ChoiceField(
        label="Ce qui change",
        choices=[(t.code, t.plain) for t in rules_avenant.TYPES],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez ce que l'avenant modifie.",
            "invalid_choice": "Choisissez ce que l'avenant modifie dans la liste.",
        },
    )
    numero = forms.CharField(
        label="Numéro du contrat sur lequel porte l'avenant",
        help_text=FAQ_NUMERO,
        max_length=30,
        required=False,
        strip=True,
    )
    date_effet = _date_field(
        "Date d'effet de l'avenant",
        "Le jour à partir duquel la modification s'applique, pendant le contrat.",
    )
    date_fin = _date_field(
        "Nouvelle date de fin du contrat, si l'avenant la change",
        "Pour une prolongation (échec à l'examen, reconnaissance de handicap), un diplôme "
        "modifié ou une durée réduite. Laissez vide sinon.",
        required=False,
    )

    def clean(self):
        data = super().clean()
        for name in ("date_effet", "date_fin"):
            value = data.get(name)
            if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
                self.add_error(name, "Cette année n'est pas plausible : vérifiez la date.")
        return data


def _types() -> list[dict]:
    return [
        {"code": t.code, "title": t.title, "plain": t.plain, "reference": t.reference}
        for t in rules_avenant.TYPES
    ]


def _page(request, form: AvenantForm, upload_error: str = "", status: int = 200):
    return render(
        request,
        "wizard/avenant_start.html",
        {
            # The window's title says it first that the page comes back with errors (RGAA 8.6).
            "title": ("Erreur : " if form.errors or upload_error else "")
            + "Modifier un contrat existant (avenant)",
            "form": form,
            "types": _types(),
            "upload_error": upload_error,
            "upload_field": upload.FIELD,
            "upload_max_kb": upload.MAX_BYTES // 1000,
            "upload_max_pdf_mb": upload.MAX_PDF_BYTES // 1_000_000,
            "faq_numero": FAQ_NUMERO,
        },
        status=status,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def start(request):
    """The avenant page; its POST opens the avenant in the wizard."""
    if request.method == "GET":
        return _start_get(request)
    # Before anything reads the body: the file stays in memory, within its limit.
    request.upload_handlers = [upload.MemoryOnlyUpload(request)]
    return _start_post(request)


@never_cache
def _start_get(request):
    return _page(request, AvenantForm())


@csrf_protect
@sensitive_post_parameters()
@never_cache
def _start_post(request):
    problem = upload.problem(request)
    form = AvenantForm(request.POST)
    valid = form.is_valid()
    loaded = None
    if problem is None:
        try:
            loaded = continuation.read_upload(
                request.FILES[upload.FIELD].read(), request.FILES[upload.FIELD].name
            )
        except continuation.UploadProblem as exc:
            problem = str(exc)
    if problem is not None or not valid:
        if problem is None:
            problem = "Déposez le fichier à nouveau : un navigateur ne le garde pas."
        return _page(request, form, problem, status=400)
    initial = loaded.dossier
    code = form.cleaned_data["type_avenant"]
    fin = form.cleaned_data["date_fin"]
    opened = rules_avenant.opened(
        initial, code, form.cleaned_data["numero"], form.cleaned_data["date_effet"], fin
    )
    errors = _rule_errors(opened)
    if fin is not None and initial.contrat.date_fin is not None:
        kind = rules_avenant.BY_CODE[code]
        if code in ("33", "34") and fin <= initial.contrat.date_fin:
            errors.setdefault("date_fin", []).append(
                f"Une prolongation finit après la fin actuelle du contrat, le "
                f"{format_fr(initial.contrat.date_fin)}. ({kind.reference})"
            )
    if errors:
        for name, messages_ in errors.items():
            for message in messages_:
                form.add_error(name, message)
        return _page(
            request, form, "Déposez le fichier à nouveau : un navigateur ne le garde pas.", 400
        )
    data = storage.blank()
    data["step_data"] = convert.step_data_from(opened)
    data["extra_data"] = continuation.extra_data(loaded)
    data["extra_data"].pop(continuation.PREPARATION, None)  # an avenant is a new file
    data["extra_data"][EXTRA] = {"type": code, "initial": _initial(initial).to_dict()}
    marked = [name for name in _steps_of(code) if name in BY_NAME]
    target = marked[0] if marked else REVIEW
    # The step the wizard is on: formtools shows a step's stored values only when it is
    # the current one or was left for another (a first step would open blank).
    data[BaseStorage.step_key] = target
    from cerfa.wizard.views import _new_contract

    contrat_id, refused = _new_contract(request, data)
    if refused is not None:
        return refused
    count(names.AVENANT)
    messages.success(
        request,
        f"L'avenant est prêt à compléter : les sections marquées « À modifier » sont celles "
        f"que concerne un avenant {code}. Le récapitulatif liste ce qui change par rapport au "
        "contrat initial.",
    )
    return redirect("wizard:step", contrat_id=contrat_id, step=target)


def _initial(dossier: Dossier) -> Dossier:
    out = copy.deepcopy(dossier)
    out.ignored_keys = []
    return out


def _rule_errors(opened: Dossier) -> dict[str, list[str]]:
    """The messages of the registry's avenant rules, by box of this page."""
    load_rules()
    out: dict[str, list[str]] = {}
    ctx = Context(today=datetime.date.today())
    for code in CHECKED:
        for finding in RULES[code].run(opened, ctx):
            box = next((BOX_OF[p] for p in finding.fields if p in BOX_OF), "date_effet")
            if finding.message not in out.get(box, []):
                out.setdefault(box, []).append(finding.message)
    return out


# -- marks and the review ----------------------------------------------------------------


def _steps_of(code: str) -> list[str]:
    """The steps holding a value the avenant type concerns, in the wizard's order."""
    out = []
    for step in STEPS:
        if step.name == REVIEW:
            continue
        if any(rules_avenant.concerns(code, dossier_path(name)) for name in step.form.base_fields):
            out.append(step.name)
    return out


def marked_steps(extra: dict) -> set[str]:
    info = extra.get(EXTRA)
    return set(_steps_of(info["type"])) if info else set()


def _label(path: str, dossier: Dossier) -> str:
    parts = path.split(".")
    if parts[:2] == ["contrat", "remunerations"] and len(parts) == 4:
        line = dossier.contrat.remunerations[int(parts[2])]
        where = (
            f"{YEAR_NAMES.get(line.annee, '?')}, période {line.periode}"
            if line.annee in YEAR_NAMES and line.periode
            else f"ligne {int(parts[2]) + 1}"
        )
        part = {
            "du": "du",
            "au": "au",
            "taux": "taux",
            "reference": "base",
            "annee": "année",
            "periode": "période",
        }[parts[3]]
        return f"Rémunération, {where} : {part}"
    where = convert.anchor(path, dossier)
    if where is None:
        return path
    step, name = where
    field = BY_NAME[step].form.base_fields[name]
    return f"{BY_NAME[step].title} — {getattr(field, 'sr_prefix', '')}{field.label}"


def _shown(path: str, value, dossier: Dossier) -> str:
    from cerfa.wizard.review import display

    if value is None:
        return "—"
    parts = path.split(".")
    if parts[:2] == ["contrat", "remunerations"] and len(parts) == 4:
        if parts[3] not in REMUNERATION_PARTS:
            return str(value)
        name = f"remuneration_1_1_{parts[3]}"
        field = BY_NAME["remuneration"].form.base_fields[name]
        return display(field, value) or "—"
    where = convert.anchor(path, dossier)
    if where is None:
        return str(value)
    field = BY_NAME[where[0]].form.base_fields[where[1]]
    return display(field, value) or "—"


def review_context(extra: dict, built: convert.Built) -> dict:
    """The avenant's block of the review page: its type and the differences."""
    info = extra.get(EXTRA)
    if not info:
        return {}
    initial = Dossier.from_dict(info["initial"])
    current = built.dossier
    rows = []
    for change in differences(initial, current):
        # A removed value is labelled from the dossier that has it.
        source = current if change.after is not None else initial
        rows.append(
            {
                "label": _label(change.path, source),
                "before": _shown(change.path, change.before, initial),
                "after": _shown(change.path, change.after, current),
            }
        )
    kind = rules_avenant.BY_CODE.get(info["type"])
    return {
        "avenant": {
            "code": info["type"],
            "title": kind.title if kind else info["type"],
            "changes": rows,
        }
    }


def step_context(extra: dict, current: str) -> dict:
    info = extra.get(EXTRA)
    if not info:
        return {}
    kind = rules_avenant.BY_CODE.get(info["type"])
    return {"avenant_step": {"code": info["type"], "plain": kind.plain if kind else ""}}


@require_POST
@csrf_protect
@never_cache
def regrid(request, contrat_id: uuid.UUID):
    """« Recalculer la grille à partir de la date d'effet » after the dates were changed."""
    from cerfa.wizard.views import _built_from, _unknown

    if not storage.has_contract(request, contrat_id):
        return _unknown(request)
    store = storage.ContractStorage(f"contrat_{contrat_id.hex}", request)
    info = store.extra_data.get(EXTRA)
    if not info:
        return redirect("wizard:step", contrat_id=contrat_id, step=REVIEW)
    current = _built_from(store).dossier
    updated = copy.deepcopy(current)
    updated.contrat.remunerations = rules_avenant.regrid(
        Dossier.from_dict(info["initial"]), current
    )
    step_data = convert.step_data_from(updated)
    store.set_step_data("remuneration", step_data.get("remuneration", {}))
    response = redirect(reverse("wizard:step", args=[contrat_id, REVIEW]) + "#avenant")
    store.update_response(response)
    messages.success(
        request, "La grille de rémunération est recalculée à partir de la date d'effet."
    )
    return response
