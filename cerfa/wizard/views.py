"""The wizard's views: thin. They wire the steps, the storage and the downloads.

Everything the user types is personal data: every view here masks POST parameters in
error reports (``sensitive_post_parameters``), answers with ``Cache-Control: no-store``
(``never_cache``) and logs nothing of what it receives.
"""

from __future__ import annotations

import functools
import math
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView

from cerfa.clients import may_create, may_verify
from cerfa.stats import count, names
from cerfa.stats.quality import count_download
from cerfa.wizard import continuation, convert, memo, review, storage, upload
from cerfa.wizard.steps import BY_NAME, REVIEW, STEPS
from rules.dossier import Dossier

STEP_URL = "wizard:step"


def _condition(step):
    def condition(wizard):
        # The pass over the steps evaluated it on the same context (convert.build): a step
        # applies when it is listed as active.
        return step.name in wizard.built().active

    return condition


def _unknown(request):
    """The contract is not (or no longer) in this session: say so, show nothing of it."""
    response = render(request, "wizard/unknown.html", {"title": "Contrat introuvable"}, status=404)
    return response


@method_decorator([sensitive_post_parameters(), never_cache], name="dispatch")
class ContratWizard(NamedUrlSessionWizardView):
    storage_name = "cerfa.wizard.storage.ContractStorage"
    form_list = [(step.name, step.form) for step in STEPS]
    condition_dict = {step.name: _condition(step) for step in STEPS if step.condition}
    template_name = "wizard/step.html"

    @classmethod
    def as_view(cls, **kwargs):
        return super().as_view(url_name=STEP_URL, done_step_name="termine", **kwargs)

    def dispatch(self, request, *args, **kwargs):
        self.contrat_id = kwargs["contrat_id"]
        if not storage.has_contract(request, self.contrat_id):
            return _unknown(request)
        self._built: dict = {}
        return super().dispatch(request, *args, **kwargs)

    # -- formtools wiring --------------------------------------------------------------

    def get_prefix(self, request, *args, **kwargs):
        return f"contrat_{self.contrat_id.hex}"

    def get_step_url(self, step):
        return reverse(STEP_URL, kwargs={"contrat_id": self.contrat_id, "step": step})

    def get_form_prefix(self, step=None, form=None):
        return None  # field names are dossier paths, unique across steps

    def get_form_kwargs(self, step=None):
        step = step or self.steps.current
        return {"context": self.built(upto=step).dossier, "full": self.built().dossier}

    def get_form_step_data(self, form):
        # Keep the step's own fields only: never the CSRF token or the buttons. A step may
        # be stored unvalidated (« Précédent »), so what is kept is bounded here: one value
        # a field, at most one character more than the field takes (the step then shows
        # the « trop long » error; a browser stops typing at the limit anyway).
        data = {
            name: [value[: _stored_length(field)] for value in form.data.getlist(name)[:1]]
            for name, field in form.fields.items()
            if name in form.data
        }
        # What follows from the step's own boxes (the commune of its postal code…).
        data.update((name, [value]) for name, value in form.deductions().items())
        return data

    def built(self, upto: str | None = None) -> convert.Built:
        """The dossier made by the stored steps (up to a step: that step's context).

        Read once per stored version: every condition, form and finding of the request
        uses the same pass over the steps.
        """
        version = self.storage.version
        if version not in self._built:
            self._built = {version: _built_from(self.storage)}
        built = self._built[version]
        return built if upto is None else built.upto(upto)

    def _forget_form_list(self):
        for attr in ("_resolved_form_list", "_cache_signature"):
            if hasattr(self, attr):
                delattr(self, attr)

    def post(self, *args, **kwargs):
        # The page that was posted says which step it shows (another tab may have moved
        # the stored "current step" since).
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management.is_valid():
            # Not a page of this wizard (a stale or forged form): show the step again.
            return redirect(self.get_step_url(self.steps.current))
        posted_step = management.cleaned_data["current_step"]
        if self.request.POST.get(LIVE_CHECK) == "1":
            return self.live_check(posted_step)
        if posted_step in self.get_form_list():
            self.storage.current_step = posted_step
        goto = self.request.POST.get("wizard_goto_step")
        if goto and goto in self.get_form_list():
            # « Précédent » or a jump: keep what was typed here, even if it is not valid
            # yet; the step shows its errors when the user comes back.
            form = self.get_form(data=self.request.POST)
            self.storage.set_step_data(self.steps.current, self.get_form_step_data(form))
            self._forget_form_list()
            if goto not in self.get_form_list():
                goto = self.steps.current
            return self.render_goto_step(goto)
        return super().post(*args, **kwargs)

    def render_next_step(self, form, **kwargs):
        # The step is stored. Errors the rules see on its fields show it once more, its
        # summary first, before the user moves on (« Continuer malgré tout » goes on).
        current = self.steps.current
        if self.request.POST.get(CONTINUE) != "1":
            items = review.step_items(current, self.built())
            errors = [item for item in items if item["level"] == "error"]
            if errors and review.seen_digest(errors) != self.request.POST.get(SEEN):
                self._stopped = items
                form = self.get_form(data=self.storage.get_step_data(current))
                return self.render(form)
        return super().render_next_step(form, **kwargs)

    def live_check(self, step: str):
        """What the rules say of a step's fields as typed, before it is submitted.

        Nothing is stored: the step's posted values replace its stored ones in the dossier
        that is checked, the other steps as stored. The answer is the findings of each of
        the step's fields, rendered by the same templates as the page's, and the step's
        summary.
        """
        if step not in self.get_form_list() or step == REVIEW:
            return JsonResponse({"fields": {}, "summary": ""}, status=400)
        wait = may_verify(self.request)
        if wait:
            response = JsonResponse({"fields": {}, "summary": ""}, status=429)
            response["Retry-After"] = str(max(1, math.ceil(wait)))
            return response
        form = self.get_form(step=step, data=self.request.POST)
        form.is_valid()
        built = _built_from(self.storage, **{step: self.get_form_step_data(form)})
        items = review.step_items(step, built)
        form.findings = review.by_field(items)
        fields = {
            name: render_to_string("wizard/field_findings.html", {"field": form[name]})
            for name in form.fields
        }
        summary = render_to_string("wizard/live_summary.html", {"items": items})
        return JsonResponse({"fields": fields, "summary": summary})

    def render(self, form=None, **kwargs):
        if self.request.method == "GET":
            count(names.STEP.format(step=self.steps.current))  # a step reached
        return super().render(form, **kwargs)

    def render_done(self, form, **kwargs):
        # There is no "done": the review page is the end, and the data stays until the
        # user erases it (formtools would reset the storage here).
        return redirect(self.get_step_url(REVIEW))

    def done(self, form_list, **kwargs):  # pragma: no cover - render_done never calls it
        return redirect(self.get_step_url(REVIEW))

    # -- pages -------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        current = self.steps.current
        names = list(self.get_form_list())
        active = names.index(current)
        # Numbered among every step, those that do not apply included: the numbers and
        # the count never change while the user goes (a step that does not apply is
        # shown as such in the summary).
        number = STEP_NAMES.index(current) + 1
        built = self.built()
        stopped = getattr(self, "_stopped", None)
        title = f"{BY_NAME[current].title} — étape {number} sur {len(STEPS)}"
        if form.errors or stopped and any(i["level"] == "error" for i in stopped):
            title = "Erreur : " + title
        context.update(
            title=title,
            contrat_id=self.contrat_id,
            step=BY_NAME[current],
            stepper={
                "current_step_id": number,
                "total_steps": len(STEPS),
                "current_step_title": BY_NAME[current].title,
                "next_step_title": BY_NAME[names[active + 1]].title
                if active + 1 < len(names)
                else "",
            },
            nav=[
                {
                    "name": step.name,
                    "number": position,
                    "title": step.title,
                    "current": step.name == current,
                    "conditional": step.condition is not None,
                    "skipped": step.name not in names,
                }
                for position, step in enumerate(STEPS, start=1)
            ],
            prev_step=names[active - 1] if active > 0 else None,
            is_review=current == REVIEW,
            live_check=LIVE_CHECK,
            erase_url=reverse("wizard:erase", kwargs={"contrat_id": self.contrat_id}),
        )
        form.propose()
        if current == REVIEW:
            context.update(review.page(self.contrat_id, built, names))
        elif stopped is not None:
            errors = [item for item in stopped if item["level"] == "error"]
            form.findings = review.by_field(stopped)
            context.update(stopped=stopped, seen=review.seen_digest(errors), seen_name=SEEN)
        elif self.storage.get_step_data(current) is not None:
            # A step the user has already submitted shows the rules' findings on its fields.
            form.findings = review.by_field(review.step_items(current, built))
        # A hand-over, an avenant, a next contract: what each one shows (issue 11).
        continuation.decorate(context, self.storage.extra_data, current, built)
        return context


# The names of the page's own controls (never fields: those are dossier paths).
LIVE_CHECK = "cerfa_verification"  # sent by static/js/live.js: check, store nothing
CONTINUE = "cerfa_continuer"  # « Continuer malgré tout »
SEEN = "cerfa_erreurs_vues"  # the errors the page showed: the same ones do not stop twice
STEP_NAMES = [step.name for step in STEPS]


# Dates, codes, amounts: no field that is not free text takes more.
OTHER_FIELD_LENGTH = 64


def _stored_length(field) -> int:
    return (getattr(field, "max_length", None) or OTHER_FIELD_LENGTH) + 1


wizard_view = ContratWizard.as_view()


# -- start, resume, download, erase ----------------------------------------------------


@never_cache
def start(request):
    """« Commencer » : a new contract, with its own id, at its first step.

    Only a POST with its CSRF token creates one: a link followed by a crawler or a
    prefetching browser creates nothing (a GET goes back to the home page).
    """
    if request.method != "POST":
        return redirect("home")
    contrat_id, refused = _new_contract(request)
    if refused is not None:
        return refused
    count(names.STARTED)
    return redirect(STEP_URL, contrat_id=contrat_id, step=STEPS[0].name)


def _new_contract(request, data: dict | None = None):
    """(id, None), or (None, the page that says why no contract could be created)."""
    from cerfa.views import home, saturated

    wait = may_create(request, "contrat")
    if wait:
        refused = home(request, start_error=TOO_FAST, status=429)
        refused["Retry-After"] = str(max(1, math.ceil(wait)))
        return None, refused
    try:
        return storage.new_contract(request, data), None
    except storage.TooManyContracts:
        return None, home(request, start_error=too_many_message(), status=409)
    except storage.StoreFull:
        return None, saturated(request)


TOO_FAST = (
    "Beaucoup de contrats ont été commencés depuis votre connexion en peu de temps : "
    "patientez une minute avant d’en commencer un autre. Ceux qui sont en cours ne sont pas "
    "touchés."
)


def too_many_message() -> str:
    return (
        f"Vous avez déjà {settings.CERFA_CONTRACTS_PER_SESSION} contrats en cours dans ce "
        "navigateur, le plus qu’il puisse en tenir. Terminez-en un (« Terminer et effacer mes "
        "données », après avoir téléchargé ce qu’il vous faut) avant d’en commencer un autre."
    )


@csrf_exempt
@require_POST
def resume(request):
    """« Reprendre un brouillon » : a dossier .json pre-fills a new contract."""
    # Set before anything reads the body: the file is held in memory, within a size limit,
    # and never written to a temporary file. CSRF is then checked by _resume.
    request.upload_handlers = [upload.MemoryOnlyUpload(request)]
    return _resume(request)


@csrf_protect
@sensitive_post_parameters()
@never_cache
def _resume(request):
    problem = upload.problem(request)
    if problem is None:
        file = request.FILES[upload.FIELD]
        try:
            # A .json draft, a hand-over file, or a filled CERFA PDF.
            loaded = continuation.read_upload(file.read(), file.name or "")
        except continuation.UploadProblem as exc:
            problem = str(exc)
    if problem is not None:
        from cerfa.views import home

        return home(request, upload_error=problem)
    data = storage.blank()
    data["step_data"] = convert.step_data_from(loaded.dossier)
    data["extra_data"] = continuation.extra_data(loaded)
    contrat_id, refused = _new_contract(request, data)
    if refused is not None:
        return refused
    count(names.RESUMED)
    messages.success(
        request,
        "Votre brouillon est chargé : vérifiez le récapitulatif, puis modifiez ce qu'il faut.",
    )
    # What reading a PDF could not take as it was (cerfa/pdfimport): on this first page,
    # once (the messages live in the session, as the contract does).
    for note in loaded.notes:
        messages.warning(request, note)
    return redirect(STEP_URL, contrat_id=contrat_id, step=REVIEW)


def _built_from(store: storage.ContractStorage, **replaced) -> convert.Built:
    """The dossier a contract's stored steps make (a step's data replaced, if given): read
    back from the contract's memo when an earlier request made it from the same steps."""
    built = None if replaced else memo.load(store)
    fresh = built is None
    if fresh:
        data = {step.name: store.get_step_data(step.name) for step in STEPS}
        data.update(replaced)
        built = convert.build(data)
    # Keys a draft had and the format does not know: the rules report them.
    built.dossier.ignored_keys = list(store.extra_data.get("ignored_keys", []))
    if not replaced:
        memo.remember(store, built, fresh)
    return built


def _dossier_of(request, contrat_id: uuid.UUID) -> Dossier | None:
    if not storage.has_contract(request, contrat_id):
        return None
    return _built_from(storage.ContractStorage(f"contrat_{contrat_id.hex}", request)).dossier


@sensitive_post_parameters()
@never_cache
def download_pdf(request, contrat_id):
    from cerfa.downloads import content_disposition, display_name
    from cerfa.pdf.fill import fill_dossier
    from cerfa.pdf.template import TemplateError

    dossier = _dossier_of(request, contrat_id)
    if dossier is None:
        return _unknown(request)
    flatten = request.GET.get("version") == "aplatie"
    try:
        result = fill_dossier(dossier, flatten=flatten)
    except TemplateError:
        return render(request, "wizard/no_template.html", {"title": "PDF indisponible"}, status=503)
    response = HttpResponse(result.pdf, content_type="application/pdf")
    # Each version its own name: the second download must not replace the first.
    kind = "pdf_aplati" if flatten else "pdf"
    response["Content-Disposition"] = content_disposition(display_name(dossier, kind))
    count_download(kind, dossier, result.problems)
    return response


def contract_file(kind: str, content_type: str):
    """A view of one of the contract's files: ``make(dossier, contrat_id)`` gives its bytes;
    the download is named after the apprentice (``cerfa/downloads.py``, ``kind``), never
    cached, counted by kind, and a contract of another session is unknown."""

    def decorate(make):
        @never_cache
        @functools.wraps(make)
        def view(request, contrat_id):
            from cerfa.downloads import content_disposition, display_name

            dossier = _dossier_of(request, contrat_id)
            if dossier is None:
                return _unknown(request)
            response = HttpResponse(make(dossier, contrat_id), content_type=content_type)
            response["Content-Disposition"] = content_disposition(display_name(dossier, kind))
            count_download(kind)
            return response

        return view

    return decorate


@contract_file("points", "application/pdf")
def download_findings(dossier, contrat_id):
    """The "points à vérifier" PDF: every finding, to keep beside the CERFA."""
    from cerfa.documents.bundle import points_pdf

    return points_pdf(dossier)


@contract_file("json", "application/json; charset=utf-8")
def download_json(dossier, contrat_id):
    return dossier.to_json() + "\n"


@contract_file("ics", "text/calendar; charset=utf-8")
def download_calendar(dossier, contrat_id):
    """The contract's dates as an .ics file; its UIDs derive from the contract's random id,
    so a second download updates an agenda's events instead of doubling them."""
    from cerfa.documents.calendar import calendar_bytes

    return calendar_bytes(dossier, key=contrat_id.hex)


@contract_file("opco", "application/json; charset=utf-8")
def download_opco(dossier, contrat_id):
    """The contract in the OPCOs' exchange standard (« API CFA »), for a CFA's software:
    we cannot send it ourselves, the OPCOs give their credentials to CFAs only."""
    from cerfa.documents.opco_exchange import opco_exchange_bytes

    return opco_exchange_bytes(dossier)


@contract_file("convention", "application/pdf")
def download_convention(dossier, contrat_id):
    """The convention de formation pre-filled from the contract, for the CFA to complete."""
    from cerfa.documents.convention import convention_pdf

    return convention_pdf(dossier)


@contract_file("guide", "application/pdf")
def download_guide(dossier, contrat_id):
    """« Et maintenant ? » : the next steps of this contract (signatures, deadline, OPCO,
    supporting documents, formalities, aid)."""
    from cerfa.documents.guide import guide_pdf

    return guide_pdf(dossier)


@never_cache
def download_bundle(request, contrat_id):
    """Every file of the contract in one ZIP (cerfa/documents/bundle.py); the calendar's
    UIDs are those of its single download, so importing either updates the same events."""
    from cerfa.documents.bundle import bundle
    from cerfa.downloads import content_disposition, display_name
    from cerfa.pdf.template import TemplateError

    dossier = _dossier_of(request, contrat_id)
    if dossier is None:
        return _unknown(request)
    try:
        archive = bundle(dossier, key=contrat_id.hex)
    except TemplateError:
        return render(request, "wizard/no_template.html", {"title": "PDF indisponible"}, status=503)
    response = HttpResponse(archive.data, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(display_name(dossier, "zip"))
    count_download("zip", dossier)  # the CERFA is in it: its quality is measured too
    return response


@require_http_methods(["GET", "POST"])
@never_cache
def erase(request, contrat_id):
    """« Terminer et effacer mes données » : this contract's data is deleted now.

    A GET asks first (the page without JavaScript; with it, a modal window asks); only the
    POST of that question erases.
    """
    if request.method == "GET":
        dossier = _dossier_of(request, contrat_id)
        if dossier is None:
            return _unknown(request)
        apprenti = " ".join(
            p for p in (dossier.apprenti.prenom, dossier.apprenti.nom_naissance) if p
        )
        return render(
            request,
            "wizard/erase_confirm.html",
            {
                "title": "Effacer ce contrat ?",
                "apprenti": apprenti,
                "erase_url": reverse("wizard:erase", kwargs={"contrat_id": contrat_id}),
                "back_url": reverse("wizard:contract", kwargs={"contrat_id": contrat_id}),
            },
        )
    storage.erase(request, contrat_id)
    messages.success(request, "Vos données ont été effacées de nos serveurs.")
    return redirect("home")
