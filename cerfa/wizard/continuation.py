"""Continuing from an existing file: reading it, the CFA ↔ employer hand-over, and a new
contract from this one (issue 11, items 3 and 5).

- ``read_upload`` reads a contract file given back to the service (« Reprendre », the
  avenant page): a dossier .json, or a filled CERFA PDF through ``cerfa.pdfimport``; the
  hand-over record (``rules/handover.py``) is taken out of it (from the dossier our PDFs
  embed, for a PDF);
- « À transmettre à l'employeur » / « À transmettre au CFA » download the dossier with that
  record; nothing is kept on the server between the two people;
- when the file is opened again, each step and the review say what was prepared, by whom,
  and what remains to fill: the boxes the presence rules (``rules/checks/presence.py``)
  still find empty;
- « Nouveau contrat à partir de celui-ci » makes a new contract of the session from this
  one (``rules/next_contract.py``); the old one is not touched.

What is kept of a hand-over or an avenant lives in the contract's store entry
(``extra_data``), in memory like the rest of the contract.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from formtools.wizard.storage.base import BaseStorage

from cerfa.pdfimport import ImportProblem, read_contract_file
from cerfa.stats import count, names
from cerfa.wizard import convert
from cerfa.wizard.forms import dossier_path
from cerfa.wizard.steps import BY_NAME, REVIEW, STEPS
from rules import handover, next_contract
from rules.dossier import Dossier, DossierError
from rules.registry import RULES

PREPARATION = "preparation"  # extra_data key: the hand-over record, as in the file
NEXT = "suite_de"  # extra_data key: the reason of a next contract
PDF_MAGIC = b"%PDF-"


class UploadProblem(ValueError):
    """The file cannot be read as a contract. The message is plain French."""


@dataclass
class Loaded:
    dossier: Dossier
    contributions: list[handover.Contribution] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def handover_problem(exc: handover.HandoverError) -> str:
    """What a person reads of a hand-over record that cannot be read (the record's own
    words are for whoever edited the file)."""
    return (
        "Ce fichier a été modifié après son téléchargement : on ne peut plus y lire qui a "
        "préparé quoi. Demandez-en un nouveau à la personne qui vous l'a transmis, ou "
        f"téléchargez-le à nouveau depuis le service. (Détail : {exc})"
    )


def read_upload(content: bytes, filename: str) -> Loaded:
    """The contract a file holds. Raises ``UploadProblem`` with a French message."""
    # A PDF as cerfa.pdfimport and the upload's bound tell one: its header in the first
    # kilobyte (PDF 2.0 §7.5.2 lets bytes precede it).
    if PDF_MAGIC in content[:1024]:
        try:
            imported = read_contract_file(content, filename)
        except ImportProblem as exc:
            raise UploadProblem(str(exc)) from None
        try:
            dossier = Dossier.from_dict(imported.data)
            # The record lies beside the values in our PDF's embedded dossier.
            contributions = handover.parse(imported.extra.get(handover.KEY))
        except DossierError as exc:
            raise UploadProblem(str(exc)) from None
        except handover.HandoverError as exc:
            raise UploadProblem(handover_problem(exc)) from None
        return Loaded(dossier, contributions, list(imported.notes))
    try:
        dossier = Dossier.from_json(content)
    except DossierError as exc:
        raise UploadProblem(str(exc)) from None
    except (ValueError, RecursionError):
        raise UploadProblem(
            "Le fichier n'a pas pu être lu comme un dossier : est-ce bien le fichier .json "
            "téléchargé depuis ce service ?"
        ) from None
    contributions: list[handover.Contribution] = []
    if handover.KEY in dossier.ignored_keys:
        # The loader has read the JSON already: it is valid, and not too deep.
        raw = json.loads(content.decode("utf-8-sig"))
        try:
            contributions = handover.parse(raw.get(handover.KEY))
        except handover.HandoverError as exc:
            raise UploadProblem(handover_problem(exc)) from None
        dossier.ignored_keys = [
            key
            for key in dossier.ignored_keys
            if key != handover.KEY and not key.startswith(handover.KEY + ".")
        ]
    return Loaded(dossier, contributions)


class HandedOver(Dossier):
    """A dossier whose JSON carries its hand-over record (``rules/handover.py``): given to
    the PDF filler, the embedded copy of the dossier holds the record too."""

    preparation: list[dict]  # not a field: the format's values stay those of Dossier

    @classmethod
    def of(cls, dossier: Dossier, record: list[handover.Contribution]) -> HandedOver:
        out = cls(**{f.name: getattr(dossier, f.name) for f in dataclasses.fields(dossier)})
        out.preparation = handover.dump(record)
        return out

    def to_dict(self) -> dict:
        out = super().to_dict()
        out[handover.KEY] = self.preparation
        return out


def extra_data(loaded: Loaded) -> dict:
    """What a contract made from a file keeps beside its steps."""
    out: dict = {"ignored_keys": loaded.dossier.ignored_keys}
    if loaded.contributions:
        out[PREPARATION] = handover.dump(loaded.contributions)
    return out


# -- the server's body cap for the pages that take a contract file -----------------------

# What a form adds to its file: the CSRF token, the avenant's boxes, the multipart headers.
FORM_MARGIN = 20_000


@dataclass(frozen=True)
class UploadRoute:
    """A page taking a contract file, with its body cap for ``cerfa.asgi.RequestLimits``:
    a filled CERFA (``upload.MAX_PDF_BYTES``) is above the server's general cap, and
    ``upload.MemoryOnlyUpload`` keeps it in memory, never on disk. Refused with the site's
    French 413 page (no ``refusal`` of its own)."""

    prefix: str
    max_body: int
    beyond_server_cap: bool = True

    def refusal(self, code: int, path: str):
        return None


def upload_routes() -> list[UploadRoute]:
    """« Reprendre » and the avenant page: the contract's PDF and the form around it."""
    from cerfa.wizard import upload

    cap = upload.MAX_PDF_BYTES + FORM_MARGIN
    return [UploadRoute(reverse(name), cap) for name in ("wizard:resume", "wizard:avenant")]


# -- the hand-over file ------------------------------------------------------------------

# The two buttons of the review page: who gives the file, to whom.
DIRECTIONS = {
    "employeur": ("cfa", "À transmettre à l’employeur", "pour-l-employeur"),
    "cfa": ("employeur", "À transmettre au CFA", "pour-le-cfa"),
}


def _contributions(extra: dict) -> list[handover.Contribution]:
    try:
        return handover.parse(extra.get(PREPARATION))
    except handover.HandoverError:  # pragma: no cover - stored only after parse
        return []


@never_cache
def download_handover(request, contrat_id: uuid.UUID, to: str, kind: str = "json"):
    """The filled CERFA (its embedded dossier) or the dossier .json, with the hand-over
    record: what its giver prepared is named."""
    from cerfa.downloads import content_disposition, display_name
    from cerfa.wizard import storage
    from cerfa.wizard.views import _built_from, _unknown

    if to not in DIRECTIONS:
        raise Http404
    if not storage.has_contract(request, contrat_id):
        return _unknown(request)
    store = storage.ContractStorage(f"contrat_{contrat_id.hex}", request)
    dossier = _built_from(store).dossier
    by, _label, suffix = DIRECTIONS[to]
    handed = HandedOver.of(dossier, handover.record(dossier, by, _contributions(store.extra_data)))
    if kind == "pdf":
        from django.shortcuts import render

        from cerfa.pdf.fill import fill_dossier
        from cerfa.pdf.template import TemplateError

        try:
            body = fill_dossier(handed).pdf
        except TemplateError:
            return render(
                request, "wizard/no_template.html", {"title": "PDF indisponible"}, status=503
            )
        response = HttpResponse(body, content_type="application/pdf")
    else:
        response = HttpResponse(
            handed.to_json() + "\n", content_type="application/json; charset=utf-8"
        )
    name = display_name(dossier, "json").removesuffix(".json") + f"-{suffix}.{kind}"
    response["Content-Disposition"] = content_disposition(name)
    count(names.DOWNLOAD.format(kind="transmission"))
    return response


# -- what the pages show -----------------------------------------------------------------

PRESENCE_MODULE = "rules.checks.presence"


def _remaining(step: str, built: convert.Built) -> list[str]:
    """The labels of the step's boxes the presence rules still find empty."""
    from cerfa.wizard.review import step_findings

    labels: list[str] = []
    for item in step_findings(step, built):
        rule = RULES.get(item["code"])
        if rule is not None and rule.check.__module__ == PRESENCE_MODULE:
            if item["field_label"] not in labels:
                labels.append(item["field_label"])
    return labels


def _prepared(step: str, built: convert.Built, who: dict[str, str]) -> dict[str, list[str]]:
    """The labels of the step's boxes each one prepared, by role."""
    form = BY_NAME[step].form(context=built.upto(step).dossier)
    out: dict[str, list[str]] = {}
    lines = {path for path in who if path.startswith("contrat.remunerations.")}
    grid_done = False
    for name, fld in form.fields.items():
        path = dossier_path(name)
        if path.startswith("contrat.remunerations.*"):
            if lines and not grid_done:
                grid_done = True
                by = who[min(lines)]
                out.setdefault(by, []).append("les lignes de rémunération")
            continue
        by = who.get(path)
        if by is None:
            by = next((who[p] for p in who if p.startswith(path + ".")), None)
        if by is not None:
            out.setdefault(by, []).append(getattr(fld, "sr_prefix", "") + str(fld.label))
    return out


def notice(extra: dict, step: str, built: convert.Built) -> dict | None:
    """« Préparé par le CFA : … / Reste à remplir : … » for a step of a handed-over file."""
    contributions = _contributions(extra)
    if not contributions or step == REVIEW or step not in built.active:
        return None
    who = handover.prepared_by(contributions)
    prepared = [
        {"by": handover.ROLES[by], "labels": labels}
        for by, labels in _prepared(step, built, who).items()
    ]
    return {"prepared": prepared, "remaining": _remaining(step, built)}


def section_status(extra: dict, built: convert.Built) -> dict[str, dict]:
    """For the review page: each step's hand-over status, by step name."""
    if not _contributions(extra):
        return {}
    out = {}
    for step in built.active:
        if step == REVIEW:
            continue
        found = notice(extra, step, built) or {}
        remaining = found.get("remaining", [])
        by = [p["by"] for p in found.get("prepared", [])]
        out[step] = {
            "handover": True,
            "handover_by": by,
            "handover_remaining": remaining,
            "handover_done": not remaining,
        }
    return out


def decorate(context: dict, extra: dict, current: str, built: convert.Built) -> None:
    """Add to a wizard page what a hand-over, an avenant or a next contract shows."""
    from cerfa.wizard import avenant

    context["handover"] = notice(extra, current, built)
    context["next_of"] = next_contract.BY_CODE.get(extra.get(NEXT, ""))
    marked = avenant.marked_steps(extra)
    for item in context.get("nav", []):
        item["to_modify"] = item["name"] in marked
    context["to_modify"] = current in marked
    context.update(avenant.step_context(extra, current))
    if current == REVIEW:
        status = section_status(extra, built)
        for section in context.get("sections", []):
            section.update(status.get(section["name"], {}))
            section["to_modify"] = section["name"] in marked
        context["handover_links"] = [
            {
                "label": label,
                "pdf": reverse("wizard:handover_pdf", args=[context["contrat_id"], to]),
                "json": reverse("wizard:handover", args=[context["contrat_id"], to]),
            }
            for to, (_by, label, _suffix) in DIRECTIONS.items()
        ]
        context["next_reasons"] = next_contract.REASONS
        context["next_url"] = reverse("wizard:next", args=[context["contrat_id"]])
        context.update(avenant.review_context(extra, built))


# -- « Nouveau contrat à partir de celui-ci » --------------------------------------------


@require_POST
@csrf_protect
@never_cache
def new_from(request, contrat_id: uuid.UUID):
    """A new contract for the same apprentice, from this one; this one stays as it is."""
    from cerfa.wizard import storage
    from cerfa.wizard.views import _dossier_of, _new_contract, _unknown

    previous = _dossier_of(request, contrat_id)
    if previous is None:
        return _unknown(request)
    reason = request.POST.get("suite_motif", "")
    if reason not in next_contract.BY_CODE:
        messages.error(request, "Choisissez pourquoi un nouveau contrat suit celui-ci.")
        return redirect("wizard:step", contrat_id=contrat_id, step=REVIEW)
    dossier = next_contract.next_contract(previous, reason)
    data = storage.blank()
    data["step_data"] = convert.step_data_from(dossier)
    data["extra_data"] = {NEXT: reason}
    data[BaseStorage.step_key] = STEPS[0].name  # else formtools shows it blank
    new_id, refused = _new_contract(request, data)
    if refused is not None:
        return refused
    count(names.NEXT_CONTRACT)
    messages.success(
        request,
        "Un nouveau contrat est commencé pour le même apprenti ; le précédent reste dans vos "
        "contrats en cours, inchangé.",
    )
    return redirect("wizard:step", contrat_id=new_id, step=STEPS[0].name)
