"""One form per step of the wizard, in the order of the CERFA.

A field's name *is* its dossier path, dots written ``__`` (``apprenti__adresse__voie`` is
``apprenti.adresse.voie``), so that the conversion to and from the dossier
(``convert.py``) and the links from a finding to its field need no second table. The only
exception is the remuneration grid, whose eight rows are positions on the form (year 1
period 1 … year 4 period 2), named ``remuneration_<year>_<period>_<what>``.

A form may depend on what earlier steps said (``context``, the dossier built so far): the
employer types offered follow « privé » / « public », the previous contract number is asked
for a succession or an avenant only. Values of fields a form leaves out never reach the
dossier.
"""

from __future__ import annotations

import threading

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

from cerfa.lookups import offline
from cerfa.wizard import fields as f
from cerfa.wizard import render
from cerfa.wizard.help import help_for
from cerfa.wizard.timeline import timeline_context
from rules import codes, diplomes
from rules.complete import complete
from rules.dossier import Dossier
from rules.remuneration import basis_sentence, split_sentences, try_grid, year_start

# Every address on the form has the same five boxes.
ADRESSE_LABELS = (
    ("numero", "N°", "Le numéro dans la voie, avec « bis » ou « ter » s'il y a lieu.", True),
    ("voie", "Voie", "Le type et le nom de la voie, par exemple « rue des Lilas ».", False),
    ("complement", "Complément", "Bâtiment, étage, lieu-dit… s'il y en a un.", True),
    ("code_postal", "Code postal", "5 chiffres.", False),
    ("commune", "Commune", "", False),
)


def adresse_fields(base: str) -> dict[str, forms.Field]:
    """The five address boxes of ``base`` ("employeur.adresse"), as named form fields.

    Each step has one address at most, inside a fieldset whose legend says whose it is.
    """
    out = {}
    for key, label, help_text, optional in ADRESSE_LABELS:
        # No browser autocomplete: the person typing is rarely the person described.
        extra = {"inputmode": "numeric"} if key == "code_postal" else {}
        out[f"{base}.{key}".replace(".", "__")] = f.text(
            label, help_text, optional=optional, **extra
        )
    return out


def with_fields(extra: dict[str, forms.Field]):
    """Add fields built by a helper (an address block) to a form class."""

    def decorate(cls):
        cls.base_fields.update(extra)
        cls.declared_fields.update(extra)
        return cls

    return decorate


def adresse_names(base: str) -> list[str]:
    return [f"{base}.{key}".replace(".", "__") for key, *_ in ADRESSE_LABELS]


class WizardBoundField(DsfrBoundField):
    """A field described by its hint, its error and its findings, outside its name.

    The hint is not inside the label (the DSFR's default): « Voie » must not also be found
    by the words of the number's hint. The findings' container is always in the page, so
    that a live check (``static/js/live.js``) can fill it in place.
    """

    @property
    def findings(self) -> list[dict]:
        return self.form.findings.get(self.html_name, [])

    def as_field_group(self):
        # Written in Python, not by a template: three quarters of a step page's time.
        return render.field_group(self)

    @property
    def findings_html(self):
        return render.findings(self)

    @property
    def described_by(self) -> str:
        ids = []
        if self.help_text:
            ids.append(f"{self.auto_id}-hint")
        if self.proposal:
            ids.append(f"{self.auto_id}-proposal")
        if self.form.is_bound and self.errors:
            ids.append(f"{self.auto_id}-error")
        ids.append(f"{self.auto_id}-findings")
        return " ".join(ids)

    @property
    def proposal(self) -> str:
        return self.form.proposed.get(self.html_name, "")

    @property
    def datalist(self) -> list[str]:
        return self.form.datalists.get(self.html_name, [])

    @property
    def field_help(self) -> dict | None:
        return help_for(dossier_path(self.html_name), self.field)

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs["aria-describedby"] = self.described_by
        if self.form.is_bound and self.errors:
            attrs["aria-invalid"] = "true"
        return attrs


_LIMITING = threading.Lock()


class StepForm(DsfrBaseForm):
    """A step: a title, an introduction, fields grouped in fieldsets (``layout``)."""

    template_name = "wizard/form.html"
    bound_field_class = WizardBoundField
    title = ""
    intro = ""
    # (legend, introduction, [field names]); a legend of "" means no fieldset.
    layout: list[tuple[str, str, list[str]]] = []
    # Whether ``adapt`` reads the steps before (``context``): reading the steps makes that
    # dossier only for the forms that do (convert.build).
    uses_context = False

    def __init__(
        self, *args, context: Dossier | None = None, full: Dossier | None = None, **kwargs
    ):
        kwargs.setdefault("auto_id", "id_%s")
        # Django's own Form.__init__, not DsfrBaseForm's: that one puts the DSFR's classes
        # on every widget, which only a rendered form needs (``get_context`` does it), and a
        # request reads every step through its form.
        self._limit_lengths()
        forms.Form.__init__(self, *args, **kwargs)
        self.context = context or Dossier()
        # The dossier of every step, for suggestions shown on the page only (``context``,
        # the steps before this one, decides which fields exist).
        self.full = full
        # Findings of the rules, by field name, shown next to their field (set by the view).
        self.findings: dict[str, list[dict]] = {}
        # What ``propose`` filled in and why; the communes offered for a commune box.
        self.proposed: dict[str, str] = {}
        self.datalists: dict[str, list[str]] = {}
        self.adapt(self.context)

    @classmethod
    def _limit_lengths(cls) -> None:
        """Give each text field of the class the length limit of its dossier path, once:
        each form then copies its fields with it (every request reads every step)."""
        if cls.__dict__.get("_lengths_limited"):
            return
        with _LIMITING:
            if not cls.__dict__.get("_lengths_limited"):
                for name, field in cls.base_fields.items():
                    if field.kind == f.TEXT:
                        f.limit_length(field, dossier_path(name))
                cls._lengths_limited = True

    def adapt(self, context: Dossier) -> None:
        """Drop or adjust fields according to what earlier steps said."""

    # -- what the page fills in for the user ------------------------------------------

    def current(self, name: str) -> str:
        """The text a box holds now (typed, stored or initial), stripped. Read without
        making the bound field, which would keep the initial value ``propose`` replaces."""
        field = self.fields.get(name)
        if field is None:
            return ""
        if self.is_bound:
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        else:
            value = self.get_initial_for_field(field, name)
        return value.strip() if isinstance(value, str) else ""

    def deductions(self) -> dict[str, str]:
        """Values that follow from this step's own boxes alone, for its empty boxes: the
        commune of a postal code that has only one. Stored with the step."""
        out = {}
        for name in self.fields:
            if not name.endswith("__adresse__code_postal"):
                continue
            commune = name.removesuffix("code_postal") + "commune"
            found = offline.communes_from_table(self.current(name))
            value = found.values.get("commune") if found else None
            if value and commune in self.fields and not self.current(commune):
                out[commune] = value
        return out

    def proposals(self) -> dict[str, tuple[str, str]]:
        """Values offered in empty boxes, from the other steps (``full``): {name: (value,
        why)}. Shown only: the user's « Suivant » makes them theirs."""
        return {}

    def propose(self) -> None:
        """Fill the empty boxes with what can be deduced or proposed, and list the communes
        of each postal code that has several. For the page only (never when reading the
        steps into the dossier)."""
        values = {name: (value, "") for name, value in self.deductions().items()}
        if self.full is not None:
            values.update(
                (name, offer)
                for name, offer in self.proposals().items()
                if name in self.fields and not self.current(name)
            )
        for name, (value, why) in values.items():
            if self.is_bound:
                self.data = self.data.copy()
                self.data[name] = value
            else:
                self.initial[name] = value
            if why:
                self.proposed[name] = why
        for name in self.fields:
            if name.endswith("__adresse__code_postal"):
                found = offline.communes_from_table(self.current(name))
                names = [choice["commune"] for choice in found.choices] if found else []
                commune = name.removesuffix("code_postal") + "commune"
                if names and commune in self.fields:
                    self.datalists[commune] = names
                    self.fields[commune].widget.attrs["list"] = f"id_{commune}-communes"

    def get_context(self):
        # DsfrBaseForm.get_context warns about a transitional setting whatever its value;
        # the wizard marks the CERFA's optional boxes itself (render.py).
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)
        context = forms.Form.get_context(self)
        context["layout"] = [
            (legend, intro, [self[name] for name in names if name in self.fields])
            for legend, intro, names in self.layout
        ]
        context["layout"] = [group for group in context["layout"] if group[2]]
        context["groups"] = render.groups(context["layout"])
        return context


# -- 1. Le contrat en bref -------------------------------------------------------------


class EnBrefForm(StepForm):
    """The answers that shape the rest of the wizard, asked first.

    Privé/public picks the employer types and the unemployment-insurance question; the type
    of contract decides whether a previous contract and an effective date are asked; the
    date of conclusion and the birth date decide whether the legal representative is needed;
    the dates frame the remuneration grid. The CERFA itself opens on the « mode
    contractuel » and the privé/public boxes.
    """

    title = "Le contrat en bref"
    intro = (
        "Quelques réponses d'abord : elles décident des questions qui suivent. "
        "Vous pourrez les modifier à tout moment."
    )

    employeur__prive_public = f.code(
        "Employeur privé ou employeur « public »",
        codes.PRIVE_PUBLIC,
        "« Public » : l'État, une collectivité territoriale ou un établissement public "
        "(hôpital, lycée, EPIC…). Une entreprise, une association ou une profession libérale "
        "est un employeur privé.",
        radios=True,
        tip="Un EPIC (SNCF, RATP…) est public mais emploie sous le droit privé : il dépose "
        "le contrat auprès de son OPCO, comme une entreprise.",
    )
    contrat__mode_contractuel = f.code(
        "Mode contractuel de l'apprentissage",
        codes.MODE_CONTRACTUEL,
        "« À durée limitée » : le contrat s'arrête à la fin de l'apprentissage. « Dans le "
        "cadre d'un CDI » : il commence par la période d'apprentissage puis continue.",
        rule="Le contrat d'apprentissage peut être conclu pour une durée limitée ou pour une "
        "durée indéterminée : il commence alors par la période d'apprentissage, puis la "
        "relation de travail continue comme un CDI ordinaire (C. trav. art. L6222-7).",
    )
    contrat__type_contrat = f.code(
        "Type de contrat ou d'avenant",
        codes.TYPE_CONTRAT_GROUPES,
        "Un premier contrat, un nouveau contrat après un précédent contrat d'apprentissage "
        "(succession), ou un avenant qui modifie un contrat en cours.",
        tip="Un précédent contrat jamais validé par l'OPCO ne compte pas : le nouveau est "
        "alors un premier contrat (FAQ OPCO Atlas).",
    )
    contrat__date_conclusion = f.date(
        "Date de conclusion (date de signature du présent contrat)",
        "Le jour où l'employeur et l'apprenti signent. Elle dit aussi si l'apprenti est mineur.",
        rule="Le contrat est signé au plus tard le jour où il commence : la date de "
        "conclusion ne peut pas être après le début d'exécution (C. trav. art. L6222-4 ; "
        "FAQ OPCO Atlas).",
        tip="C'est la date de conclusion qui décide de l'éligibilité aux aides à l'embauche "
        "d'un apprenti (FAQ OPCO Atlas).",
    )
    contrat__date_debut_execution = f.date(
        "Date de début d'exécution du contrat",
        "Le premier jour de travail de l'apprenti, en entreprise ou au CFA.",
        rule="Le contrat est transmis à l'OPCO au plus tard dans les 5 jours qui suivent "
        "son début d'exécution (C. trav. art. D6224-1).",
        tip="Si le contrat commence par des cours au CFA, c'est ce premier jour au CFA qui "
        "compte (FAQ OPCO Atlas).",
    )
    contrat__date_fin = f.date(
        "Date de fin du contrat ou de la période d'apprentissage",
        "Dans un CDI, indiquez la fin de la période d'apprentissage.",
        rule="Le contrat dure de 6 mois à 3 ans (C. trav. art. L6222-7-1). Il finit au plus "
        "tôt le jour de la dernière épreuve du diplôme, au plus tard deux mois après (FAQ "
        "OPCO Atlas).",
    )

    layout = [
        ("", "", ["employeur__prive_public", "contrat__mode_contractuel", "contrat__type_contrat"]),
        (
            "Les dates du contrat",
            "",
            [
                "contrat__date_conclusion",
                "contrat__date_debut_execution",
                "contrat__date_fin",
            ],
        ),
    ]


# -- 2. Employeur ----------------------------------------------------------------------


@with_fields(adresse_fields("employeur.adresse"))
class EmployeurForm(StepForm):
    uses_context = True
    title = "L'employeur"
    intro = "L'établissement où l'apprenti travaille, tel qu'il est déclaré à l'INSEE."

    employeur__denomination = f.text(
        "Nom et prénom ou dénomination",
        "La raison sociale de l'entreprise, ou le nom et le prénom de l'employeur s'il "
        "emploie l'apprenti en son nom propre.",
    )
    employeur__siret = f.text(
        "N° SIRET de l'établissement d'exécution du contrat",
        "14 chiffres : ceux de l'établissement où travaille l'apprenti, pas forcément du "
        "siège. Vous le trouvez sur un bulletin de paie ou sur annuaire-entreprises.data.gouv.fr.",
        inputmode="numeric",
        rule="Le SIRET est celui de l'établissement d'exécution du contrat : son adresse doit "
        "être celle déclarée dans la DSN (FAQ OPCO Atlas). Ses 14 chiffres portent une clé de "
        "contrôle, vérifiée ici.",
        tip="Avec un SIRET exact, ce service remplit la dénomination, l'adresse et le code APE "
        "d'après le répertoire de l'INSEE.",
    )
    employeur__telephone = f.text(
        "Téléphone de l'employeur",
        "L'OPCO l'utilise pour vous joindre au sujet du contrat.",
        input_type="tel",
    )
    employeur__courriel = f.text(
        "Courriel de l'employeur",
        "L'OPCO et l'Agence de services et de paiement (aide à l'embauche) vous écrivent "
        "à cette adresse.",
        input_type="email",
        tip="Une adresse mal écrite retarde le versement de l'aide à l'embauche : l'ASP "
        "écrit à cette adresse.",
    )
    employeur__type_employeur = f.code(
        "Type d'employeur",
        codes.TYPE_EMPLOYEUR_GROUPES,
        "Il découle de votre forme juridique et de votre immatriculation : répertoire des "
        "métiers, registre du commerce, MSA, profession libérale, association…",
    )
    employeur__employeur_specifique = f.code(
        "Employeur spécifique",
        codes.EMPLOYEUR_SPECIFIQUE,
        "« Aucun de ces cas » pour la plupart des employeurs.",
    )
    employeur__code_ape = f.text(
        "Code activité de l'entreprise (APE)",
        "4 chiffres et une lettre, par exemple 9602A : sur l'avis de situation INSEE ou "
        "l'annuaire des entreprises.",
        spellcheck=False,
        rule="Le code APE est une sous-classe de la nomenclature d'activités française (NAF), "
        "que l'INSEE attribue à l'entreprise.",
    )
    employeur__effectif = f.integer(
        "Effectif total salariés de l'entreprise",
        "Toute l'entreprise, pas seulement l'établissement.",
        rule="L'effectif annuel est la moyenne des salariés employés chaque mois de l'année "
        "civile précédente. Les apprentis, les contrats de professionnalisation, les "
        "stagiaires et les dirigeants ne comptent pas (C. séc. soc. art. L130-1 ; FAQ OPCO "
        "Atlas).",
        tip="Les aides à l'embauche d'un apprenti dépendent de l'effectif : à partir de 250 "
        "salariés, leurs conditions changent (FAQ OPCO Atlas).",
    )
    employeur__code_idcc = f.text(
        "Code IDCC de la convention collective applicable",
        "4 chiffres, souvent sur le bulletin de paie (par exemple 2596 pour la coiffure). "
        "9999 s'il n'y a pas de convention collective, 9998 si elle n'est pas encore en "
        "vigueur.",
        inputmode="numeric",
        tip="L'IDCC désigne aussi votre OPCO, celui à qui vous transmettez le contrat : le "
        "récapitulatif le nomme.",
    )
    employeur__adhesion_regime_assurance_chomage = f.yes_no(
        "Pour les employeurs du secteur public, adhésion de l'apprenti au régime spécifique "
        "d'assurance chômage",
        "Oui si votre structure a adhéré au régime d'assurance chômage pour ses apprentis.",
        rule="L'apprentissage dans le secteur public non industriel et commercial suit les "
        "articles L6227-1 et suivants du code du travail.",
    )

    layout = [
        ("", "", ["employeur__denomination", "employeur__siret"]),
        (
            "Adresse de l'établissement d'exécution du contrat",
            "L'adresse de l'établissement où l'apprenti travaille, celle de la DSN, pas "
            "celle du siège : une erreur retarde le contrat et les aides (FAQ OPCO Atlas).",
            [*adresse_names("employeur.adresse"), "employeur__telephone", "employeur__courriel"],
        ),
        (
            "L'entreprise",
            "",
            [
                "employeur__type_employeur",
                "employeur__employeur_specifique",
                "employeur__code_ape",
                "employeur__effectif",
                "employeur__code_idcc",
                "employeur__adhesion_regime_assurance_chomage",
            ],
        ),
    ]

    def adapt(self, context: Dossier) -> None:
        choice = context.employeur.prive_public
        field = self.fields["employeur__type_employeur"]
        if choice in ("prive", "public"):
            # Offer the matching list only; a value already given from the other list is
            # kept (a rule reports the mismatch) rather than silently lost.
            own = codes.TYPE_EMPLOYEUR_PRIVE if choice == "prive" else codes.TYPE_EMPLOYEUR_PUBLIC
            other = codes.TYPE_EMPLOYEUR_PUBLIC if choice == "prive" else codes.TYPE_EMPLOYEUR_PRIVE
            current = self.data.get("employeur__type_employeur") if self.is_bound else None
            kept = tuple(pair for pair in other if pair[0] == current)
            field.choices = (f.EMPTY_CHOICE, *own, *kept)
        if choice != "public":
            del self.fields["employeur__adhesion_regime_assurance_chomage"]


# -- 3. Apprenti -----------------------------------------------------------------------


@with_fields(adresse_fields("apprenti.adresse"))
class ApprentiForm(StepForm):
    title = "L'apprenti(e)"
    intro = "L'identité et le parcours de l'apprenti(e), tels qu'ils figurent à l'état civil."

    apprenti__nom_naissance = f.text(
        "Nom de naissance de l'apprenti(e)",
        "Exactement comme sur l'acte de naissance ou la pièce d'identité.",
    )
    apprenti__nom_usage = f.text(
        "Nom d'usage",
        "Seulement s'il diffère du nom de naissance.",
        optional=True,
    )
    apprenti__prenom = f.text(
        "Le premier prénom de l'apprenti(e) selon l'état civil",
        "Le premier prénom seulement, écrit comme à l'état civil.",
    )
    apprenti__nir = f.text(
        "NIR de l'apprenti(e)",
        "Le numéro de sécurité sociale : 15 chiffres, clé comprise, sur la carte Vitale.",
        inputmode="numeric",
        spellcheck=False,
        rule="La case n'est jamais vide. Sans NIR, un numéro provisoire : le NIA (15 "
        "chiffres, commence par 7 pour un homme, 8 pour une femme), ou à défaut un NTT : 1 "
        "(homme) ou 2 (femme), puis le SIREN de l'entreprise, puis un identifiant choisi par "
        "l'employeur, 15 caractères au plus sans espace (FAQ OPCO Atlas).",
        tip="Dès que l'apprenti reçoit son NIR, donnez-le à l'OPCO : il en a besoin pour "
        "déposer le contrat auprès des services de l'État (FAQ OPCO Atlas).",
    )
    apprenti__date_naissance = f.date(
        "Date de naissance",
        "Avec la date de conclusion, elle dit si l'apprenti est mineur et fixe la "
        "rémunération minimale.",
        rule="L'apprenti a en principe de 16 à 29 ans révolus au début du contrat, 15 ans "
        "s'il a fini la classe de 3e ; pas de limite d'âge avec une RQTH, pour un sportif de "
        "haut niveau ou un projet de création d'entreprise (C. trav. art. L6222-1 et "
        "L6222-2).",
    )
    apprenti__sexe = f.code("Sexe", codes.SEXE, radios=True)
    apprenti__departement_naissance = f.code(
        "Département de naissance",
        codes.DEPARTEMENT_NAISSANCE,
        "« Né(e) à l'étranger » (99) pour une naissance hors de France.",
    )
    apprenti__commune_naissance = f.text(
        "Commune de naissance",
        "Telle qu'elle figure sur l'acte de naissance.",
    )
    apprenti__nationalite = f.code(
        "Nationalité",
        codes.NATIONALITE,
        "Celle de sa pièce d'identité.",
        rule="Un apprenti de nationalité hors Union européenne doit avoir une autorisation "
        "de travail (C. trav. art. L5221-5).",
        tip="Inutile de joindre l'autorisation de travail au CERFA (FAQ OPCO Atlas).",
    )
    apprenti__regime_social = f.code(
        "Régime social",
        codes.REGIME_SOCIAL,
        "MSA pour un emploi agricole, URSSAF dans les autres cas.",
    )
    apprenti__telephone = f.text("Téléphone de l'apprenti(e)", input_type="tel")
    apprenti__courriel = f.text("Courriel de l'apprenti(e)", input_type="email")
    apprenti__sportif_haut_niveau = f.yes_no(
        "Déclare être inscrit sur la liste des sportifs de haut niveau",
        rule="Un sportif de haut niveau n'a pas de limite d'âge pour entrer en apprentissage "
        "(C. trav. art. L6222-2).",
    )
    apprenti__rqth = f.yes_no(
        "Déclare bénéficier de la reconnaissance travailleur handicapé",
        rule="La RQTH supprime la limite d'âge et permet un contrat jusqu'à 4 ans "
        "(C. trav. art. L6222-2 et R6222-46).",
        tip="Le CFA a un référent handicap qui peut adapter la formation et son rythme.",
    )
    apprenti__equivalence_jeunes = f.yes_no(
        "Si non, bénéficiez-vous de droits attachés à la RQTH : Équivalence jeunes",
        "Pour un jeune de 15 à 20 ans qui bénéficie de l'AEEH, de la PCH ou d'un projet "
        "personnalisé de scolarisation.",
        rule="Ces jeunes ont les mêmes droits que ceux qui ont une RQTH (notice du CERFA, page 4).",
    )
    apprenti__extension_boe = f.yes_no(
        "Si non, bénéficiez-vous de droits attachés à la RQTH : Extension BOE",
        "Pour un bénéficiaire de l'obligation d'emploi des travailleurs handicapés sans RQTH.",
        rule="Les bénéficiaires de l'obligation d'emploi sont listés à l'article L5212-13 du "
        "code du travail (notice du CERFA, page 4).",
    )
    apprenti__situation_avant_contrat = f.code(
        "Situation avant ce contrat",
        codes.SITUATION_AVANT_CONTRAT,
        "Sa situation juste avant ce contrat.",
        tip="S'il suivait déjà cette formation au CFA comme stagiaire de la formation "
        "professionnelle avant de signer, choisissez 7 ; s'il la poursuivait au CFA après la "
        "rupture d'un précédent contrat, choisissez 8 (FAQ OPCO Atlas).",
    )
    apprenti__dernier_diplome_prepare = f.code(
        "Dernier diplôme ou titre préparé",
        codes.DIPLOME_GROUPES,
        "Le dernier diplôme qu'il a préparé, obtenu ou non.",
    )
    apprenti__derniere_classe = f.code(
        "Dernière classe / année suivie",
        codes.DERNIERE_CLASSE,
        "Où il en était de ce dernier diplôme.",
    )
    apprenti__intitule_dernier_diplome = f.text(
        "Intitulé précis du dernier diplôme ou titre préparé",
        "Par exemple « CAP Métiers de la coiffure ».",
    )
    apprenti__diplome_plus_eleve = f.code(
        "Diplôme ou titre le plus élevé obtenu",
        codes.DIPLOME_GROUPES,
        "S'il attend le résultat d'un examen, le diplôme obtenu avant.",
        tip="Un diplôme obtenu pendant le contrat se déclare ensuite à l'OPCO par un "
        "avenant (FAQ OPCO Atlas).",
    )
    apprenti__projet_creation_reprise_entreprise = f.yes_no(
        "Déclare avoir un projet de création ou de reprise d'entreprise",
        rule="Si le projet suppose le diplôme préparé, pas de limite d'âge (C. trav. art. "
        "L6222-2).",
    )

    layout = [
        (
            "Identité",
            "",
            [
                "apprenti__nom_naissance",
                "apprenti__nom_usage",
                "apprenti__prenom",
                "apprenti__nir",
                "apprenti__date_naissance",
                "apprenti__sexe",
                "apprenti__departement_naissance",
                "apprenti__commune_naissance",
                "apprenti__nationalite",
                "apprenti__regime_social",
            ],
        ),
        (
            "Adresse de l'apprenti(e)",
            "",
            [
                *adresse_names("apprenti.adresse"),
                "apprenti__telephone",
                "apprenti__courriel",
            ],
        ),
        (
            "Déclarations de l'apprenti(e)",
            "",
            [
                "apprenti__sportif_haut_niveau",
                "apprenti__rqth",
                "apprenti__equivalence_jeunes",
                "apprenti__extension_boe",
                "apprenti__projet_creation_reprise_entreprise",
            ],
        ),
        (
            "Situation et parcours",
            "",
            [
                "apprenti__situation_avant_contrat",
                "apprenti__dernier_diplome_prepare",
                "apprenti__derniere_classe",
                "apprenti__intitule_dernier_diplome",
                "apprenti__diplome_plus_eleve",
            ],
        ),
    ]


# -- 4. Représentant légal -------------------------------------------------------------


@with_fields(adresse_fields("apprenti.representant_legal.adresse"))
class RepresentantForm(StepForm):
    uses_context = True
    title = "Le représentant légal"
    intro = (
        "L'apprenti(e) sera mineur(e) à la date de conclusion : le CERFA demande son "
        "représentant légal, qui signe aussi le contrat. Si l'apprenti(e) est émancipé(e), "
        "laissez cette étape vide."
    )

    apprenti__representant_legal__nom_naissance = f.text(
        "Nom de naissance du représentant légal",
        "Son nom de naissance, comme à l'état civil.",
    )
    apprenti__representant_legal__prenom = f.text("Prénom du représentant légal")
    apprenti__representant_legal__courriel = f.text(
        "Courriel du représentant légal",
        input_type="email",
    )
    meme_adresse_que_apprenti = f.same_address(
        "Même adresse que l'apprenti(e)",
        "L'adresse de l'étape « L'apprenti(e) » est reprise : inutile de remplir les cases "
        "ci-dessous, elles ne servent que si l'adresse est différente.",
    )

    layout = [
        (
            "",
            "",
            [
                "apprenti__representant_legal__nom_naissance",
                "apprenti__representant_legal__prenom",
            ],
        ),
        (
            "Adresse du représentant légal",
            "",
            [
                "meme_adresse_que_apprenti",
                *adresse_names("apprenti.representant_legal.adresse"),
                "apprenti__representant_legal__courriel",
            ],
        ),
    ]

    def adapt(self, context: Dossier) -> None:
        if context.apprenti.date_naissance is None or context.contrat.date_conclusion is None:
            # Shown because the age is not known yet (steps.needs_representant): say so.
            self.intro = (
                "Le CERFA demande le représentant légal d'un apprenti(e) mineur(e) non "
                "émancipé(e) à la date de conclusion, qui signe aussi le contrat. La date de "
                "naissance ou la date de conclusion n'est pas encore indiquée : remplissez cette "
                "étape si l'apprenti(e) sera mineur(e) ce jour-là, sinon laissez-la vide."
            )


# The notice's levels, with the diplomas people know them by (a BP is level 4, a brevet
# de maîtrise level 5): the form's own words alone mislead.
NIVEAU_DIPLOME_MAITRE_CHOICES = (
    ("0", "Aucun diplôme ou titre"),
    ("3", "Niveau 3 : CAP, BEP"),
    (
        "4",
        "Niveau 4 : baccalauréat, bac professionnel, brevet professionnel (BP), brevet de technicien",
    ),
    ("5", "Niveau 5 : bac + 2 — BTS, DUT, DEUST, brevet de maîtrise (BM)"),
    ("6", "Niveau 6 : bac + 3 ou 4 — licence, licence professionnelle, BUT, maîtrise"),
    ("7", "Niveau 7 : bac + 5 — master, diplôme d'ingénieur, DEA, DESS"),
    ("8", "Niveau 8 : doctorat, habilitation à diriger des recherches"),
)


# -- 5. Maîtres d'apprentissage --------------------------------------------------------


def maitre_fields(index: int) -> dict[str, forms.Field]:
    n = index + 1
    optional = index == 1
    p = f"maitres__{index}__"
    return {
        p + "nom_naissance": f.text(
            f"Nom de naissance du maître d'apprentissage n°{n}",
            optional=optional,
        ),
        p + "prenom": f.text(f"Prénom du maître d'apprentissage n°{n}", optional=optional),
        p + "date_naissance": f.date(
            f"Date de naissance du maître d'apprentissage n°{n}",
            optional=optional,
            rule="Le maître d'apprentissage est majeur (C. trav. art. L6223-8-1).",
        ),
        p + "courriel": f.text(
            f"Courriel du maître d'apprentissage n°{n}",
            input_type="email",
            optional=optional,
        ),
        p + "emploi_occupe": f.text(
            f"Emploi occupé par le maître d'apprentissage n°{n}",
            "Son poste dans l'entreprise, par exemple « Gérante, coiffeuse ».",
            optional=optional,
        ),
        p + "diplome_plus_eleve": f.text(
            f"Diplôme ou titre le plus élevé obtenu par le maître d'apprentissage n°{n}",
            "L'intitulé en toutes lettres, par exemple « Brevet de maîtrise Coiffure ».",
            optional=optional,
        ),
        p + "niveau_diplome": f.code(
            f"Niveau de diplôme ou titre le plus élevé obtenu par le maître d'apprentissage n°{n}",
            NIVEAU_DIPLOME_MAITRE_CHOICES,
            "Le niveau de son diplôme le plus élevé, sur la liste européenne des niveaux.",
            optional=optional,
            rule="Le maître a en principe un diplôme du même domaine et d'un niveau au moins "
            "égal à celui que prépare l'apprenti, avec un an d'expérience ; sinon deux ans "
            "d'expérience dans le métier, sauf accord de branche (C. trav. art. R6223-22).",
        ),
    }


@with_fields({**maitre_fields(0), **maitre_fields(1)})
class MaitresForm(StepForm):
    title = "Le ou les maîtres d'apprentissage"
    intro = (
        "Le maître d'apprentissage est un salarié volontaire et majeur, ou l'employeur "
        "lui-même, qui forme l'apprenti dans l'entreprise (C. trav. art. L6223-8-1). Il "
        "encadre au plus deux apprentis et un redoublant (C. trav. art. R6223-6)."
    )

    attestation_maitre_eligibilite = f.consent(
        "L'employeur atteste sur l'honneur que le maître d'apprentissage répond à l'ensemble "
        "des critères d'éligibilité à cette fonction.",
        rule="Un diplôme du même domaine et d'un niveau au moins égal à celui préparé par "
        "l'apprenti avec un an d'expérience, ou deux ans d'expérience en rapport avec la "
        "qualification, sauf accord de branche (C. trav. art. R6223-22).",
        tip="Un maître d'apprentissage encadre au plus deux apprentis et un redoublant "
        "(C. trav. art. R6223-6).",
    )

    layout = [
        ("Maître d'apprentissage n°1", "", list(maitre_fields(0))),
        (
            "Maître d'apprentissage n°2 (facultatif)",
            "La fonction peut être partagée entre deux salariés ; laissez ces champs vides "
            "s'il n'y a qu'un maître d'apprentissage.",
            list(maitre_fields(1)),
        ),
        ("Attestation", "", ["attestation_maitre_eligibilite"]),
    ]


# -- 6. Contrat ------------------------------------------------------------------------


class ContratForm(StepForm):
    uses_context = True
    title = "Le contrat"
    intro = (
        "Le type de contrat et ses dates de conclusion, de début et de fin se règlent à "
        "l'étape « Le contrat en bref »."
    )

    contrat__numero_contrat_precedent = f.text(
        "Numéro du contrat précédent ou du contrat sur lequel porte l'avenant",
        "Le numéro de dépôt donné au contrat, 15 caractères, par exemple 069202409000123.",
        spellcheck=False,
        tip="L'apprenti ou le CFA peut vous donner ce numéro (FAQ OPCO Atlas).",
    )
    contrat__date_effet_avenant = f.date(
        "Si avenant, date d'effet",
        "Le jour où la modification prend effet, pendant la durée du contrat.",
    )
    contrat__type_derogation = f.code(
        "Type de dérogation",
        codes.TYPE_DEROGATION,
        "À renseigner seulement si une dérogation existe pour ce contrat : âge de "
        "l'apprenti, durée réduite ou allongée…",
        optional=True,
        rule="Une durée réduite ou allongée demande une convention signée par le CFA, "
        "l'employeur et l'apprenti, jointe au contrat (C. trav. art. L6222-7-1).",
    )
    contrat__date_debut_formation_pratique = f.date(
        "Date de début de formation pratique chez l'employeur",
        "Le premier jour où l'apprenti est réellement formé chez l'employeur.",
        rule="La formation pratique chez l'employeur commence au plus tard 3 mois après le "
        "début d'exécution du contrat (C. trav. art. L6222-12 ; FAQ OPCO Atlas).",
    )
    contrat__duree_hebdo__heures = f.integer(
        "Durée hebdomadaire du travail : heures",
        "Le temps passé au CFA compte comme du travail.",
        max_value=99,
        rule="Un apprenti mineur ne travaille pas plus de 35 heures par semaine ni 8 heures "
        "par jour (C. trav. art. L3162-1) ; un majeur suit la durée du travail de "
        "l'entreprise.",
    )
    contrat__duree_hebdo__minutes = f.integer(
        "Durée hebdomadaire du travail : minutes",
        "De 0 à 59.",
        max_value=59,
    )
    contrat__machines_dangereuses = f.yes_no(
        "Travail sur machines dangereuses ou exposition à des risques particuliers",
        "Oui si l'apprenti utilise des machines ou fait des travaux réglementés.",
        rule="Pour un apprenti mineur, ces travaux demandent une déclaration de dérogation à "
        "l'inspection du travail avant de l'y affecter (C. trav. art. L4153-8 et L4153-9).",
    )

    layout = [
        (
            "",
            "",
            [
                "contrat__numero_contrat_precedent",
                "contrat__date_effet_avenant",
                "contrat__type_derogation",
                "contrat__date_debut_formation_pratique",
            ],
        ),
        (
            "Durée hebdomadaire du travail",
            "",
            [
                "contrat__duree_hebdo__heures",
                "contrat__duree_hebdo__minutes",
            ],
        ),
        ("", "", ["contrat__machines_dangereuses"]),
    ]

    def proposals(self) -> dict[str, tuple[str, str]]:
        start = self.full.contrat.date_debut_execution
        if start is None:
            return {}
        return {
            "contrat__date_debut_formation_pratique": (
                start.isoformat(),
                "Proposée : la date de début d'exécution du contrat. Changez-la si "
                "l'apprenti commence par le CFA.",
            )
        }

    def adapt(self, context: Dossier) -> None:
        kind = context.contrat.type_contrat
        if kind not in codes.TYPE_CONTRAT_AVENANT:
            del self.fields["contrat__date_effet_avenant"]
        if kind not in codes.TYPE_CONTRAT_AVENANT | codes.TYPE_CONTRAT_SUCCESSION:
            del self.fields["contrat__numero_contrat_precedent"]
        elif kind in codes.TYPE_CONTRAT_SUCCESSION:
            self.fields["contrat__numero_contrat_precedent"].label = "Numéro du contrat précédent"


# -- 7. Rémunération -------------------------------------------------------------------

YEAR_NAMES = {1: "1ère année", 2: "2ème année", 3: "3ème année", 4: "4ème année"}
REMUNERATION_PARTS = ("du", "au", "taux", "reference")


def remuneration_name(annee: int, periode: int, part: str) -> str:
    return f"remuneration_{annee}_{periode}_{part}"


def dossier_path(name: str) -> str:
    """The dossier path a field shows; a remuneration row's, with the list index written
    ``*`` (the row is a place on the form, not a rank in the list)."""
    if name.startswith("remuneration_"):
        return "contrat.remunerations.*." + name.split("_", 3)[3]
    return name.replace("__", ".")


def remuneration_fields() -> dict[str, forms.Field]:
    out = {}
    for annee in range(1, 5):
        for periode in (1, 2):
            where = f"{YEAR_NAMES[annee]}, période {periode}"
            du = f.date("Du", optional=True)
            au = f.date("Au", optional=True)
            taux = f.rate("% du SMIC ou du SMC", optional=True)
            reference = f.code("SMIC ou SMC", codes.REFERENCE_REMUNERATION, optional=True)
            for field in (du, au, taux, reference):
                field.sr_prefix = where + " : "
                field.cerfa_optional = False
            out[remuneration_name(annee, periode, "du")] = du
            out[remuneration_name(annee, periode, "au")] = au
            out[remuneration_name(annee, periode, "taux")] = taux
            out[remuneration_name(annee, periode, "reference")] = reference
    return out


@with_fields(remuneration_fields())
class RemunerationForm(StepForm):
    title = "La rémunération"
    intro = (
        "L'apprenti est payé au moins un pourcentage du SMIC qui dépend de son âge et de "
        "l'année du contrat (C. trav. art. D6222-26). Ce pourcentage augmente le premier "
        "jour du mois qui suit ses 18, 21 et 26 ans : une année du contrat peut donc avoir "
        "deux périodes. Les dates sont celles du contrat, pas de la formation (FAQ OPCO Atlas)."
    )
    template_name = "wizard/remuneration_form.html"

    contrat__smc = f.money(
        "Salaire minimum conventionnel (SMC) mensuel, s'il y en a un",
        "Dans la grille des salaires de la convention collective, pour l'emploi occupé.",
        optional=True,
        rule="À partir de 21 ans, le pourcentage s'applique au salaire minimum de la "
        "convention collective pour l'emploi occupé s'il est plus élevé que le SMIC (C. trav. "
        "art. D6222-26).",
    )
    contrat__salaire_brut_embauche = f.money(
        "Salaire brut mensuel à l'embauche",
        "En euros : le pourcentage de la première période appliqué au SMIC (ou au SMC) "
        "mensuel en vigueur au début du contrat, pour 35 heures par semaine.",
    )
    contrat__caisse_retraite_complementaire = f.text(
        "Caisse de retraite complémentaire",
        "Le nom de la caisse de l'entreprise ; un employeur public relève en général de "
        "l'IRCANTEC.",
        tip="L'affiliation est obligatoire dès la première embauche (FAQ OPCO Atlas).",
    )
    contrat__avantages_nature__nourriture_par_repas = f.money(
        "Avantages en nature : nourriture, en euros par repas",
        "Laissez vide s'il n'y en a pas.",
        optional=True,
        rule="Les avantages en nature se déduisent du salaire dans la limite de 75 % des "
        "valeurs de la sécurité sociale (C. trav. art. D6222-33).",
    )
    contrat__avantages_nature__logement_par_mois = f.money(
        "Avantages en nature : logement, en euros par mois",
        optional=True,
    )
    contrat__avantages_nature__autre = f.text(
        "Avantages en nature : autre",
        "Par exemple un véhicule ou un téléphone.",
        optional=True,
    )

    layout = [
        (
            "",
            "",
            [
                "contrat__smc",
                "contrat__salaire_brut_embauche",
                "contrat__caisse_retraite_complementaire",
            ],
        ),
        (
            "Avantages en nature, le cas échéant",
            "",
            [
                "contrat__avantages_nature__nourriture_par_repas",
                "contrat__avantages_nature__logement_par_mois",
                "contrat__avantages_nature__autre",
            ],
        ),
    ]

    def adapt(self, context: Dossier) -> None:
        self.sentences: list[str] = []
        self.grid_problem = ""
        self.suggested = False
        self.timeline: dict | None = None
        if self.full is None:
            return
        grid, self.grid_problem = try_grid(self.full)
        if grid is None:
            return
        self.sentences = [*split_sentences(grid), basis_sentence(grid)]
        if any(self.data.get(name) for name in self.fields if name.startswith("remuneration_")):
            return
        # No line typed yet: show the grid at the legal minimum (rules/complete.py), to be
        # checked and raised if the contract pays more. It is the user's once submitted.
        completed, _ = complete(self.full)
        values: dict[str, str] = {}
        for line in completed.contrat.remunerations:
            for part in REMUNERATION_PARTS:
                value = getattr(line, part)
                if value is not None:
                    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
                    values[remuneration_name(line.annee, line.periode, part)] = text
        salaire = completed.contrat.salaire_brut_embauche
        if salaire is not None and not self.data.get("contrat__salaire_brut_embauche"):
            values["contrat__salaire_brut_embauche"] = str(salaire).replace(".", ",")
        if self.is_bound:
            self.data = self.data.copy()
            for name, value in values.items():
                self.data[name] = value
        else:
            self.initial.update(values)
        self.suggested = bool(values)

    def propose(self) -> None:
        super().propose()
        if self.full is not None:
            # The dates and amounts of the answers already stored (cerfa/wizard/timeline.py):
            # drawn for the page only, not each time the form is made to read a POST.
            self.timeline = timeline_context(self.full)

    def years(self) -> list[int]:
        """The contract years the grid shows: those of the contract's dates (all four while
        they are unknown), and any other year that holds a value, never hidden."""
        shown = set(range(1, 5))
        contrat = self.full.contrat if self.full is not None else None
        start = contrat.date_debut_execution if contrat else None
        end = contrat.date_fin if contrat else None
        if start and end and start <= end:
            shown = {annee for annee in range(1, 5) if year_start(start, annee) <= end}
        for name in self.fields:
            if name.startswith("remuneration_") and self.current(name):
                shown.add(int(name.split("_")[1]))
        return sorted(shown)

    def grid(self):
        """The CERFA's grid rows of the contract's years: (year label, [(period, [bound
        fields])])."""
        return [
            (
                YEAR_NAMES[annee],
                [
                    (
                        periode,
                        [
                            self[remuneration_name(annee, periode, part)]
                            for part in REMUNERATION_PARTS
                        ],
                    )
                    for periode in (1, 2)
                ],
            )
            for annee in self.years()
        ]


# -- 8. Formation et CFA ---------------------------------------------------------------


@with_fields(adresse_fields("formation.cfa.adresse"))
class FormationForm(StepForm):
    title = "La formation et le CFA"
    intro = (
        "Le CFA responsable et le diplôme préparé : le CFA peut vous donner chacun de ces codes."
    )

    formation__cfa_entreprise = f.yes_no(
        "CFA d'entreprise",
        "Oui seulement si la formation est donnée par un CFA interne à votre entreprise.",
    )
    formation__cfa__denomination = f.text("Dénomination du CFA responsable")
    formation__cfa__uai = f.text(
        "N° UAI du CFA",
        "8 caractères, 7 chiffres et une lettre (par exemple 0691234S), sur la convention "
        "de formation.",
        spellcheck=False,
    )
    formation__cfa__siret = f.text("N° SIRET CFA", "14 chiffres.", inputmode="numeric")
    formation__cfa_est_lieu_principal = f.yes_no(
        "Le CFA responsable est-il le lieu de formation principal ?",
        "Non si l'apprenti suit l'essentiel de sa formation dans un autre établissement : "
        "l'étape suivante vous demandera lequel.",
    )
    formation__diplome_vise = f.code(
        "Diplôme ou titre visé par l'apprenti",
        codes.DIPLOME_GROUPES,
        "Le type de diplôme préparé.",
    )
    formation__intitule_precis = f.text(
        "Intitulé précis du diplôme ou titre visé",
        "Le nom exact, par exemple « Brevet professionnel Coiffure ».",
    )
    formation__code_diplome = f.text(
        "Code du diplôme",
        "8 caractères, donné par le CFA.",
        spellcheck=False,
        rule="Le code diplôme (Éducation nationale) n'est pas le code RNCP. S'il n'existe pas "
        "encore, écrivez 99999999 en attendant, puis donnez-le à l'OPCO (FAQ OPCO Atlas).",
        tip="Avec un code diplôme ou un code RNCP connu, ce service remplit l'autre, "
        "l'intitulé et le type de diplôme.",
    )
    formation__code_rncp = f.text(
        "Code RNCP",
        "RNCP puis des chiffres, par exemple RNCP35908.",
        spellcheck=False,
        rule="La certification est enregistrée au Répertoire national des certifications "
        "professionnelles (C. trav. art. L6113-1), sur francecompetences.fr.",
    )
    formation__date_debut_cfa = f.date(
        "Date de début de formation en CFA",
        "Le jour où l'apprenti est entré dans ce cycle de formation.",
        rule="La formation au CFA commence au plus tard 3 mois après le début d'exécution "
        "(C. trav. art. L6222-12).",
        tip="Si l'apprenti a commencé ce cycle avant le contrat, sous un autre statut, "
        "indiquez la date où il y est entré (FAQ OPCO Atlas).",
    )
    formation__date_fin_epreuves = f.date(
        "Date prévue de fin des épreuves ou examens",
        "Le jour de la dernière épreuve.",
        rule="Le contrat finit au plus tôt ce jour-là et au plus tard deux mois après (FAQ "
        "OPCO Atlas).",
    )
    formation__duree_heures = f.integer(
        "Durée de la formation, en heures",
        "Le total des heures de formation sur tout le contrat.",
        rule="La formation au CFA représente au moins 25 % de la durée du contrat, sauf "
        "règle du certificateur (C. trav. art. L6211-2).",
    )
    formation__heures_distance = f.integer(
        "Dont heures de formation à distance",
        "0 s'il n'y en a pas.",
        rule="La formation peut être suivie en tout ou partie à distance (C. trav. art. "
        "L6211-2 et D6211-2).",
    )

    layout = [
        (
            "Le CFA responsable",
            "",
            [
                "formation__cfa_entreprise",
                "formation__cfa__denomination",
                "formation__cfa__uai",
                "formation__cfa__siret",
            ],
        ),
        (
            "Adresse du CFA responsable",
            "",
            [
                *adresse_names("formation.cfa.adresse"),
                "formation__cfa_est_lieu_principal",
            ],
        ),
        (
            "Le diplôme préparé",
            "",
            [
                "formation__diplome_vise",
                "formation__intitule_precis",
                "formation__code_diplome",
                "formation__code_rncp",
            ],
        ),
        (
            "Organisation de la formation en CFA",
            "",
            [
                "formation__date_debut_cfa",
                "formation__date_fin_epreuves",
                "formation__duree_heures",
                "formation__heures_distance",
            ],
        ),
    ]

    def deductions(self) -> dict[str, str]:
        """Any one of code diplôme and code RNCP fills the other, the intitulé and the type
        of diploma, as the lookups' bundled table answers them (cerfa/lookups/offline.py):
        one certification, or what all its candidates share; with both codes typed, the
        candidate that has both."""
        out = super().deductions()
        code = self.current("formation__code_diplome")
        rncp = self.current("formation__code_rncp")
        found = offline.diplome_from_table(code or rncp) if code or rncp else None
        if found is None:
            return out
        values = dict(found.values)
        if code and rncp and found.choices:
            wanted = diplomes.normalize_rncp(rncp)
            mine = [c for c in found.choices if c.get("code_rncp") == wanted]
            if len(mine) == 1:
                values = mine[0]
        for key in ("code_diplome", "code_rncp", "intitule_precis", "diplome_vise"):
            name = "formation__" + key
            if values.get(key) and not self.current(name):
                out[name] = values[key]
        return out


# -- 9. Lieu de formation --------------------------------------------------------------


@with_fields(adresse_fields("formation.lieu_principal.adresse"))
class LieuForm(StepForm):
    title = "Le lieu de formation"
    intro = (
        "Le CFA responsable reste celui de l'étape précédente ; décrivez ici l'établissement "
        "où l'apprenti suit l'essentiel de sa formation. La convention de formation le "
        "précise aussi (FAQ OPCO Atlas)."
    )

    formation__lieu_principal__denomination = f.text(
        "Dénomination du lieu de formation principal",
    )
    formation__lieu_principal__uai = f.text(
        "N° UAI du lieu de formation",
        "8 caractères, 7 chiffres et une lettre.",
        spellcheck=False,
    )
    formation__lieu_principal__siret = f.text(
        "N° SIRET du lieu de formation",
        "14 chiffres.",
        inputmode="numeric",
    )

    layout = [
        (
            "",
            "",
            [
                "formation__lieu_principal__denomination",
                "formation__lieu_principal__uai",
                "formation__lieu_principal__siret",
            ],
        ),
        (
            "Adresse du lieu de formation principal",
            "",
            adresse_names("formation.lieu_principal.adresse"),
        ),
    ]


# -- 10. Signature ---------------------------------------------------------------------


class SignatureForm(StepForm):
    title = "Signature et attestations"
    intro = (
        "Après le téléchargement, le contrat se signe à la main (ou électroniquement) par "
        "l'employeur, l'apprenti et, s'il est mineur, son représentant légal ; le CFA y "
        "appose son visa. La date de signature est la date de conclusion."
    )

    signature__attestation_pieces_justificatives = f.consent(
        "L'employeur atteste disposer de l'ensemble des pièces justificatives nécessaires "
        "au dépôt du contrat",
        "Notamment la convention de formation signée avec le CFA et, s'il y a lieu, la "
        "convention de réduction ou d'allongement de durée.",
        rule="L'OPCO peut demander ces pièces ; le contrat lui est transmis avec la "
        "convention de formation (C. trav. art. D6224-1).",
    )
    signature__fait_a = f.text(
        "Fait à",
        "La commune où le contrat est signé.",
    )

    layout = [("", "", ["signature__attestation_pieces_justificatives", "signature__fait_a"])]

    def proposals(self) -> dict[str, tuple[str, str]]:
        commune = self.full.employeur.adresse.commune
        if not commune:
            return {}
        return {
            "signature__fait_a": (
                commune,
                "Proposée : la commune de l'employeur. Changez-la si le contrat est signé "
                "ailleurs.",
            )
        }


class RecapitulatifForm(StepForm):
    """The review page: nothing to type, every section summarised."""

    title = "Récapitulatif"
