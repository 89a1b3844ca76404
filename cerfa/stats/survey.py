"""The satisfaction survey (the brief's third indicator): three questions, fixed answers.

No free text, ever: a sentence could hold a name. Each question is optional, at least one
must be answered; anything but the listed choices is refused. One answer per session: a
flag in the session (never the database) says it was given.
"""

from __future__ import annotations

from django import forms

from cerfa.stats.counters import count
from cerfa.stats.names import SURVEY, SURVEY_SENT

SESSION_FLAG = "stats_avis_donne"

QUESTIONS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "satisfaction": (
        "Dans l’ensemble, êtes-vous satisfait(e) de ce service ?",
        (
            ("1", "Pas du tout satisfait(e)"),
            ("2", "Peu satisfait(e)"),
            ("3", "Moyennement satisfait(e)"),
            ("4", "Satisfait(e)"),
            ("5", "Très satisfait(e)"),
        ),
    ),
    "profil": (
        "Vous êtes :",
        (
            ("employeur", "Employeur"),
            ("cfa", "Personnel d’un CFA ou d’un organisme de formation"),
            ("autre", "Autre (apprenti(e), cabinet, famille…)"),
        ),
    ),
    "difficulte": (
        "Qu’avez-vous trouvé le plus difficile ?",
        (
            ("employeur", "Les informations sur l’employeur"),
            ("apprenti", "Les informations sur l’apprenti(e)"),
            ("maitres", "Les maîtres d’apprentissage"),
            ("contrat", "Les dates et la durée du contrat"),
            ("remuneration", "La rémunération"),
            ("formation", "La formation et le CFA"),
            ("erreurs", "Comprendre les erreurs signalées"),
            ("aucune", "Rien de particulier"),
        ),
    ),
}


class SurveyForm(forms.Form):
    satisfaction = forms.ChoiceField(
        required=False, choices=QUESTIONS["satisfaction"][1], label=QUESTIONS["satisfaction"][0]
    )
    profil = forms.ChoiceField(
        required=False, choices=QUESTIONS["profil"][1], label=QUESTIONS["profil"][0]
    )
    difficulte = forms.ChoiceField(
        required=False, choices=QUESTIONS["difficulte"][1], label=QUESTIONS["difficulte"][0]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Choisissez l’une des réponses proposées."

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in QUESTIONS):
            raise forms.ValidationError("Choisissez au moins une réponse avant d’envoyer.")
        return data

    def record(self) -> None:
        """Count each answer given, and the survey itself."""
        for name in QUESTIONS:
            answer = self.cleaned_data.get(name)
            if answer:
                count(SURVEY.format(question=name, answer=answer))
        count(SURVEY_SENT)
