"""« Plusieurs contrats » (issue 10): a batch file in the browser.

Upload (memory only, ``CERFA_BATCH_UPLOAD_BYTES`` at most) → the progress page, which does
the work a second at a time (``jobs.advance``) and refreshes itself (without JavaScript a
``<meta http-equiv="refresh">``, with it ``static/js/batch.js`` and the progress bar) →
the table of rows, a hundred a page. Each row opens in the wizard as a contract of the
session, made on the click, and comes back to the table with its fixes
(``jobs.take_back``). Downloads: the ZIP of every CERFA and its « points à vérifier »
(streamed), the spreadsheet of the findings, the model spreadsheet.

Like the wizard's views: every answer ``Cache-Control: no-store``, POST parameters masked
in error reports, nothing of what is received logged.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cerfa.batch import jobs, outputs, reading
from cerfa.clients import may_create
from cerfa.stats import count, names
from cerfa.store import StoreFull
from cerfa.wizard import storage, upload
from rules import sheet

FIELD = "lot"
PER_PAGE = jobs.CHUNK  # a page of the table is a chunk of the store
FIRST_ERRORS = 3  # the errors a row of the table shows in words
# What a multipart body holds around the file: its headers, the CSRF token.
FORM_MARGIN = 100_000


def max_upload_bytes() -> int:
    """The largest batch file taken: the setting, within what the reader reads."""
    return min(settings.CERFA_BATCH_UPLOAD_BYTES, reading.MAX_FILE)


def max_body_bytes() -> int:
    """The body cap of the upload URL (``cerfa/asgi.py``), this URL only."""
    return max_upload_bytes() + FORM_MARGIN


@dataclass(frozen=True)
class UploadRoute:
    """The upload URL's own body cap for ``cerfa.asgi.RequestLimits``, refused with the
    site's French page (no ``refusal`` of its own)."""

    prefix: str
    max_body: int
    beyond_server_cap: bool = True  # BatchUpload keeps the file in memory, never on disk

    def refusal(self, code: int, path: str):
        return None


def upload_route() -> UploadRoute:
    return UploadRoute(reverse("batch:upload"), max_body_bytes())


class BatchUpload(upload.MemoryOnlyUpload):
    """The draft's memory-only handler, with the batch's limit."""

    @property
    def max_bytes(self) -> int:  # read at each request: a test may change the setting
        return max_upload_bytes()


def _mb(size: int) -> str:
    return f"{size / 1_000_000:g}".replace(".", ",")


def _streamed(request, chunks):
    """``chunks`` for a streaming response: under ASGI as an asynchronous iterator, each
    chunk made in a worker thread (Django would otherwise read a synchronous one whole
    into memory before sending it); under WSGI and the test client as it is."""
    if not isinstance(request, ASGIRequest):
        return chunks

    from asgiref.sync import sync_to_async

    end = object()
    step = sync_to_async(next, thread_sensitive=False)

    async def iterate():
        iterator = iter(chunks)
        try:
            while (chunk := await step(iterator, end)) is not end:
                yield chunk
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                await sync_to_async(close, thread_sensitive=False)()

    return iterate()


# -- pages -----------------------------------------------------------------------------


def _page(request, upload_error: str | None = None, status: int = 200):
    batch = jobs.current(request)
    return render(
        request,
        "batch/start.html",
        {
            "title": ("Erreur : " if upload_error else "") + "Plusieurs contrats",
            "upload_error": upload_error,
            "field": FIELD,
            "max_mb": _mb(max_upload_bytes()),
            "max_rows": sheet.MAX_ROWS,
            "batch": batch,
        },
        status=status,
    )


@never_cache
@require_safe
def start(request):
    """The page: what a batch is, the model spreadsheet, the upload form."""
    return _page(request)


@never_cache
@require_safe
def model(request):
    """The model spreadsheet (``cerfa/batch/model.py``): no personal data in it."""
    from cerfa.batch.model import model_workbook

    response = HttpResponse(
        model_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="modele-lot-contrats.xlsx"'
    return response


@csrf_exempt
@require_POST
def upload_file(request):
    """The batch file: held in memory within its limit, never written to a temporary file
    (set before anything reads the body). CSRF is then checked by ``_upload``."""
    request.upload_handlers = [BatchUpload(request)]
    return _upload(request)


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


@csrf_protect
@sensitive_post_parameters()
@never_cache
def _upload(request):
    files = request.FILES
    if getattr(request, "cerfa_upload_too_big", False):
        return _page(
            request,
            f"Le fichier fait plus de {_mb(max_upload_bytes())} Mo : partagez le tableau en "
            "plusieurs fichiers.",
        )
    received = files.get(FIELD)
    if received is None:
        return _page(request, "Aucun fichier reçu : choisissez votre tableau, puis validez.")
    name = received.name or ""
    if not reading.is_sheet(name):
        return _page(
            request,
            "Ce fichier n'est pas un tableau : choisissez un fichier .xlsx, .ods ou .csv, ou une "
            "archive .zip de dossiers .json.",
        )
    data = received.read()
    if not data:
        return _page(request, "Le fichier est vide : choisissez votre tableau de contrats.")
    try:
        rows, ignored = jobs.read_file(data, name)
    except sheet.SheetError as exc:
        return _page(request, _capitalized(str(exc)))
    del data
    wait = may_create(request, "contrat")
    if wait:
        response = _page(
            request,
            "Beaucoup de contrats ont été déposés depuis votre connexion en peu de temps : "
            "patientez une minute avant de déposer ce fichier.",
            status=429,
        )
        response["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    try:
        batch = jobs.create(request, name, rows, ignored)
    except jobs.BatchTooBig:
        return _page(
            request,
            "Ce lot est trop volumineux pour être tenu en mémoire : partagez le tableau en "
            "plusieurs fichiers.",
        )
    except StoreFull:
        from cerfa.views import saturated

        return saturated(request)
    count(names.BATCH)
    count(names.BATCH_SIZE.format(bucket=names.batch_bucket(len(rows))))
    return redirect("batch:progress", lot=batch.id)


def _unknown(request):
    return render(request, "batch/unknown.html", {"title": "Lot introuvable"}, status=404)


def _known(view):
    """The session's batch or the « lot introuvable » page."""

    def wrapped(request, lot, *args, **kwargs):
        batch = jobs.current(request, lot)
        if batch is None:
            return _unknown(request)
        return view(request, batch, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _status(batch: jobs.Batch) -> dict:
    return {
        "faites": batch.done,
        "total": batch.total,
        "termine": batch.finished,
        "tableau": reverse("batch:table", kwargs={"lot": batch.id}),
    }


@never_cache
@require_safe
@_known
def progress(request, batch):
    """The progress page: a step of the work, then the page, or the table when done."""
    jobs.advance(batch)
    if batch.finished:
        return redirect("batch:table", lot=batch.id)
    batch.touch()
    return render(
        request,
        "batch/progress.html",
        {"title": "Vérification du lot en cours", "batch": batch, "state": _status(batch)},
    )


@never_cache
@require_safe
@_known
def status(request, batch):
    """The progress as JSON for ``static/js/batch.js``: a step of the work, then the count."""
    jobs.advance(batch)
    return JsonResponse(_status(batch))


def _table_rows(batch: jobs.Batch, page: int) -> list[dict]:
    out = []
    for offset, row in enumerate(batch.chunk(page)):
        index = page * PER_PAGE + offset
        errors, warnings, _ = batch.head["counts"][index]
        first = row["problemes"] + [f["message"] for f in row["findings"] if f["level"] == "error"]
        out.append(
            {
                "index": index,
                "where": outputs.where(row),
                "apprentice": outputs.apprentice(row),
                "employer": outputs.employer(row),
                "errors": errors,
                "warnings": warnings,
                "first": first[:FIRST_ERRORS],
                "more": max(0, len(first) - FIRST_ERRORS),
                "openable": row["dossier"] is not None,
                "fillable": jobs.fillable(row),
                "contrat": batch.head["ouverts"].get(str(index)),
                "repris": row.get("repris") is not None,
            }
        )
    return out


@never_cache
@require_safe
@_known
def table(request, batch):
    """The table of rows, ``PER_PAGE`` a page; the rows opened in the wizard taken back."""
    if not batch.finished:
        return redirect("batch:progress", lot=batch.id)
    return _table(request, batch)


def _table(request, batch: jobs.Batch, open_error: str | None = None, status: int = 200):
    jobs.take_back(request, batch)
    batch.touch()
    pages = batch.chunks
    try:
        page = min(max(int(request.GET.get("page", "1")), 1), pages) - 1
    except ValueError:
        page = 0
    counts = batch.head["counts"]
    return render(
        request,
        "batch/table.html",
        {
            "title": ("Erreur : " if open_error else "") + "Résultats du lot",
            "batch": batch,
            "rows": _table_rows(batch, page),
            "page": page + 1,
            "pages": pages,
            "page_numbers": range(1, pages + 1),
            "with_errors": sum(1 for e, _, _ in counts if e),
            "with_warnings": sum(1 for e, w, _ in counts if w and not e),
            "fillable": sum(f for _, _, f in counts),
            "open_error": open_error,
            "max_contracts": settings.CERFA_CONTRACTS_PER_SESSION,
        },
        status=status,
    )


def _table_url(batch: jobs.Batch, index: int) -> str:
    url = reverse("batch:table", kwargs={"lot": batch.id})
    page = index // PER_PAGE + 1
    return (url + (f"?page={page}" if page > 1 else "")) + f"#ligne-{index}"


@require_POST
@csrf_protect
@never_cache
@_known
def open_row(request, batch, index: int):
    """« Corriger » : the row as a contract of the session, made now (or the one it was
    made as before, while it lasts), at the wizard's review page."""
    from cerfa.wizard.steps import REVIEW

    row = batch.row(index)
    if row is None or row["dossier"] is None or not batch.finished:
        return _unknown(request)
    jobs.take_back(request, batch)  # what the other contracts have become, kept
    opened = batch.head["ouverts"].get(str(index))
    if opened and storage.has_contract(request, uuid.UUID(opened)):
        return redirect("wizard:step", contrat_id=uuid.UUID(opened), step=REVIEW)
    wait = may_create(request, "contrat")
    if wait:
        response = _table(
            request,
            batch,
            open_error="Beaucoup de contrats ont été ouverts depuis votre connexion en peu de "
            "temps : patientez une minute avant d’ouvrir une autre ligne.",
            status=429,
        )
        response["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    try:
        contrat_id = storage.new_contract(request, jobs.wizard_data(batch, index, row))
    except storage.TooManyContracts:
        return _table(
            request,
            batch,
            open_error=(
                f"Vous avez déjà {settings.CERFA_CONTRACTS_PER_SESSION} contrats ouverts dans ce "
                "navigateur, le plus qu’il puisse en tenir : effacez-en un (« Terminer et effacer "
                "mes données », en bas de chaque page du contrat) avant d’ouvrir une autre ligne. "
                "Les corrections faites sur une ligne restent dans le lot."
            ),
            status=409,
        )
    except StoreFull:
        from cerfa.views import saturated

        return saturated(request)
    batch.head["ouverts"][str(index)] = contrat_id.hex
    batch.save_head()
    opened_what = (
        f"Ligne {row['ligne']} du lot ouverte"
        if row.get("ligne") is not None
        else f"Dossier « {row.get('fichier')} » du lot ouvert"
    )
    messages.info(request, f"{opened_what} : corrigez ce qu’il faut, puis « Revenir au lot ».")
    return redirect("wizard:step", contrat_id=contrat_id, step=REVIEW)


@never_cache
@require_safe
@_known
def back(request, batch, index: int):
    """« Revenir au lot » : the row takes the contract's dossier, the table shows it."""
    jobs.take_back(request, batch)
    return redirect(_table_url(batch, index))


@never_cache
@require_safe
@_known
def download_zip(request, batch):
    """Every CERFA of the batch with its « points à vérifier », as one ZIP, streamed."""
    from cerfa.pdf.fill import Template
    from cerfa.pdf.template import TemplateError

    if not batch.finished:
        return redirect("batch:progress", lot=batch.id)
    jobs.take_back(request, batch)
    try:
        Template.get()
    except TemplateError:
        return render(request, "wizard/no_template.html", {"title": "PDF indisponible"}, status=503)
    flatten = request.GET.get("version") == "aplatie"
    response = StreamingHttpResponse(
        _streamed(request, outputs.zip_stream(batch, flatten)), content_type="application/zip"
    )
    name = outputs.ZIP_NAME.replace(".zip", "-non-modifiables.zip") if flatten else outputs.ZIP_NAME
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    count(names.DOWNLOAD.format(kind="lot"))
    return response


@never_cache
@require_safe
@_known
def download_summary(request, batch):
    """The findings spreadsheet: one line per finding."""
    if not batch.finished:
        return redirect("batch:progress", lot=batch.id)
    jobs.take_back(request, batch)
    response = HttpResponse(
        outputs.summary_workbook(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{outputs.SUMMARY_NAME}"'
    count(names.DOWNLOAD.format(kind="lot_points"))
    return response


@require_http_methods(["GET", "POST"])
@csrf_protect
@never_cache
@_known
def erase(request, batch):
    """« Effacer ce lot » : a GET asks, the POST of that question erases."""
    if request.method == "GET":
        return render(
            request, "batch/erase_confirm.html", {"title": "Effacer ce lot ?", "batch": batch}
        )
    jobs.erase(request)
    messages.success(
        request,
        "Le lot a été effacé de nos serveurs. Les lignes ouvertes dans l’assistant restent des "
        "contrats en cours, chacun avec son bouton « Terminer et effacer mes données ».",
    )
    return redirect("batch:start")
