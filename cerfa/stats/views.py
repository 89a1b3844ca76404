"""« Statistiques »: the three indicators of the brief, public, from the aggregates alone;
their CSV; and the satisfaction survey."""

from __future__ import annotations

import csv
import datetime
import io
from collections import defaultdict

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cerfa.stats import names
from cerfa.stats.charts import bar_chart, number_fr
from cerfa.stats.models import DailyCount
from cerfa.stats.survey import QUESTIONS, SESSION_FLAG, SurveyForm

WEEKS = 12  # downloads per week: the last twelve weeks, this one included
TOP_FINDINGS = 10


def _totals() -> dict[str, int]:
    rows = DailyCount.objects.values("name").annotate(total=Sum("value"))
    return {row["name"]: row["total"] for row in rows}


def _weeks(today: datetime.date) -> list[tuple[str, int]]:
    monday = today - datetime.timedelta(days=today.weekday())
    first = monday - datetime.timedelta(weeks=WEEKS - 1)
    rows = (
        DailyCount.objects.filter(day__gte=first, name__startswith="telechargement.")
        .values("day")
        .annotate(total=Sum("value"))
    )
    per_week: dict[datetime.date, int] = defaultdict(int)
    for row in rows:
        per_week[row["day"] - datetime.timedelta(days=row["day"].weekday())] += row["total"]
    weeks = []
    for index in range(WEEKS):
        start = first + datetime.timedelta(weeks=index)
        label = f"Semaine du {start.day:02d}/{start.month:02d}/{start.year}"
        weeks.append((label, per_week.get(start, 0)))
    return weeks


def _finding_label(code: str) -> str:
    from rules.docs import DocError, summary
    from rules.engine import load_rules
    from rules.registry import RULES

    load_rules()
    registered = RULES.get(code)
    if registered is None:
        return "Un texte dépasse de sa case dans le PDF, ou un caractère ne peut pas y être écrit."
    try:
        return summary(code, registered)
    except DocError:
        return code


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    value = round(100 * part / whole, 1)
    return f"{number_fr(int(value) if value.is_integer() else value)} %"


def _context() -> dict:
    from cerfa.wizard.steps import REVIEW, STEPS

    totals = _totals()

    def total(name: str) -> int:
        return totals.get(name, 0)

    started = total(names.STARTED)
    cerfa_downloads = sum(total(names.DOWNLOAD.format(kind=k)) for k in names.CERFA_KINDS)
    funnel = [
        ("Page d’accueil affichée", total(names.HOME)),
        ("Contrats commencés", started),
        ("Brouillons repris", total(names.RESUMED)),
        ("Avenants commencés", total(names.AVENANT)),
        ("Contrats suivants commencés", total(names.NEXT_CONTRACT)),
        *[
            (f"Étape « {step.title} »", total(names.STEP.format(step=step.name)))
            for step in STEPS
            if step.name != REVIEW
        ],
        ("Récapitulatif affiché", total(names.STEP.format(step=REVIEW))),
        ("CERFA téléchargés", cerfa_downloads),
    ]
    kinds = sorted(
        {n.split(".", 1)[1] for n in totals if n.startswith("telechargement.")},
        key=lambda k: (
            list(names.DOWNLOAD_LABELS).index(k) if k in names.DOWNLOAD_LABELS else 99,
            k,
        ),
    )
    downloads = [
        (names.DOWNLOAD_LABELS.get(k, k), total(names.DOWNLOAD.format(kind=k))) for k in kinds
    ]
    quality = [
        (f"De {b.replace('-', ' à ')} %", total(names.QUALITY.format(bucket=b)))
        for b in names.QUALITY_BUCKETS
    ]
    measured = sum(value for _, value in quality)
    findings = sorted(
        ((n.split(".", 1)[1], v) for n, v in totals.items() if n.startswith("constat.")),
        key=lambda item: (-item[1], item[0]),
    )[:TOP_FINDINGS]
    survey = {
        name: [
            (label, total(names.SURVEY.format(question=name, answer=key))) for key, label in choices
        ]
        for name, (_, choices) in QUESTIONS.items()
    }
    lookups = [
        (f"{label} : {outcome_label}", total(names.LOOKUP.format(api=api, outcome=outcome)))
        for api, label in names.LOOKUP_LABELS.items()
        for outcome, outcome_label in names.LOOKUP_OUTCOMES.items()
    ]
    batches = [
        (
            f"{label.replace('-plus', ' et plus')} contrat(s)",
            total(names.BATCH_SIZE.format(bucket=label)),
        )
        for label, _, _ in names.BATCH_BUCKETS
    ]
    return {
        "conversion": _percent(
            cerfa_downloads,
            started + sum(total(n) for n in (names.RESUMED, names.AVENANT, names.NEXT_CONTRACT)),
        ),
        "good_quality": _percent(total(names.QUALITY.format(bucket="80-100")), measured),
        "surveys": number_fr(total(names.SURVEY_SENT)),
        "batches_run": number_fr(total(names.BATCH)),
        "charts": {
            "funnel": bar_chart("tunnel", "Du premier écran au téléchargement", funnel),
            "weeks": bar_chart(
                "semaines",
                f"Téléchargements par semaine (les {WEEKS} dernières)",
                _weeks(timezone.localdate()),
                "Téléchargements",
            ),
            "downloads": bar_chart("fichiers", "Téléchargements par fichier", downloads),
            "quality": bar_chart(
                "qualite",
                "CERFA téléchargés, selon la part des cases attendues bien remplies",
                quality,
                "CERFA téléchargés",
            ),
            "findings": bar_chart(
                "constats",
                f"Les {TOP_FINDINGS} constats les plus fréquents à l’export",
                [(code, value) for code, value in findings],
                "CERFA téléchargés",
            ),
            **{
                f"survey_{name}": bar_chart(
                    f"avis-{name}", QUESTIONS[name][0].rstrip(" :?"), survey[name], "Réponses"
                )
                for name in QUESTIONS
            },
            "lookups": bar_chart("recherches", "Recherches dans les annuaires publics", lookups),
            "api": bar_chart(
                "api",
                "Appels de l’API des logiciels de CFA",
                [(label, total(names.API.format(call=c))) for c, label in names.API_CALLS.items()],
                "Appels",
            ),
            "batches": bar_chart("lots", "Lots de contrats, selon leur taille", batches, "Lots"),
        },
        "finding_labels": {code: _finding_label(code) for code, _ in findings},
        "flush_seconds": settings.CERFA_STATS_FLUSH_SECONDS,
    }


@never_cache
@require_safe
def statistics(request):
    try:
        context = _context()
    except DatabaseError:
        return render(
            request,
            "stats/unavailable.html",
            {"title": "Statistiques indisponibles"},
            status=503,
        )
    context["title"] = "Statistiques"
    return render(request, "stats/statistics.html", context)


@never_cache
@require_safe
def statistics_csv(request):
    """Every aggregate, one row per day and counter: day, counter, value."""
    try:
        rows = list(DailyCount.objects.order_by("day", "name").values_list("day", "name", "value"))
    except DatabaseError:
        return HttpResponse(
            "Statistiques indisponibles.", status=503, content_type="text/plain; charset=utf-8"
        )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["jour", "compteur", "valeur"])
    for day, name, value in rows:
        writer.writerow([day.isoformat(), name, value])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistiques-cerfa-apprentissage.csv"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request):
    """The survey: counted once per session (a flag in the session), never stored as such."""
    answered = bool(request.session.get(SESSION_FLAG))
    if request.method == "POST" and not answered:
        form = SurveyForm(request.POST)
        if form.is_valid():
            form.record()
            request.session[SESSION_FLAG] = True
            return redirect("survey")
        status = 400
    else:
        form, status = SurveyForm(), 200
    return render(
        request,
        "stats/survey.html",
        {
            "title": ("Erreur : " if form.errors else "") + "Votre avis sur le service",
            "form": form,
            "answered": answered,
            "questions": [(form[name], QUESTIONS[name][1]) for name in QUESTIONS],
        },
        status=status,
    )
