"""Form fields of the wizard, each tied to one value of the dossier.

A field's *kind* says how its typed text becomes a dossier value and back
(``convert.py`` does both, in one place). Every field is optional for Django: only a
value that cannot be read at all (a date that is not a date, a code outside its list, a
number that is not a number) stops the user; a missing or doubtful value is a finding of
``rules/``, listed on the review page.

The labels are the CERFA's own words, so that the user can match the paper form; the help
texts say what to put, why, and where the rule comes from.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from rules import limits
from rules.dossier import MAX_YEAR, MIN_YEAR

# How a field's value is written in the dossier (format v1).
TEXT = "text"  # str
CODE = "code"  # str, one of a code table
DATE = "date"  # ISO date
INT = "int"  # whole number
MONEY = "money"  # decimal string, two decimals at most
NUMBER = "number"  # JSON number (a remuneration rate)
BOOL = "bool"  # yes / no radios: True, False or None (not answered)
CONSENT = "consent"  # a box the employer ticks: True when ticked
# « Même adresse que l'apprenti(e) »: no dossier value of its own; ticked, the step's
# address is the apprentice's (convert.py copies it).
SAME_ADDRESS = "same_address"

YES_NO = (("oui", "Oui"), ("non", "Non"))
EMPTY_CHOICE = ("", "Choisir dans la liste")


class WrittenInput:
    """An ``<input>`` written without Django's two templates (input.html, attrs.html), the
    same HTML: a step's boxes were a quarter of its rendering time. The attributes come
    from the widget's own ``get_context``, in its order; each is escaped by format_html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        # One format_html for the whole tag: each placeholder is an escaped value.
        template = ['<input type="{}" name="{}"']
        values = [widget["type"], widget["name"]]
        if widget["value"] is not None:
            template.append(' value="{}"')
            values.append(widget["value"])
        for key, attr in widget["attrs"].items():
            # As attrs.html: False leaves the attribute out, True writes its name alone.
            if attr is True:
                template.append(" {}")
                values.append(key)
            elif attr is not False:
                template.append(' {}="{}"')
                values += (key, attr)
        template.append(">")
        return format_html("".join(template), *values)


class TextInput(WrittenInput, forms.TextInput):
    pass


class EmailInput(WrittenInput, forms.EmailInput):
    pass


class NumberInput(WrittenInput, forms.NumberInput):
    pass


class CheckboxInput(WrittenInput, forms.CheckboxInput):
    pass


class DateInput(WrittenInput, forms.DateInput):
    """A native date picker; the browser sends ISO dates whatever the user's locale."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _ascii_only(field: forms.Field, value):
    """Refuse a typed number or date written with other digits than 0 to 9.

    ``int()``, ``Decimal()`` and ``strptime`` all read other scripts' digits ("٣٥",
    "2008-05-1٤"); the dossier format, the OPCO and every other program want ASCII.
    """
    if isinstance(value, str) and not value.strip().isascii():
        raise ValidationError(field.error_messages["invalid"], code="invalid")


class Select(forms.Select):
    """Django's list, written without a template per option: the département list alone
    has a hundred options, each rendered through two templates, and lists were most of a
    step's rendering time. The same HTML: options carry no attribute but ``selected``.
    Each code table's options are escaped once per process (``_options``): the tables
    never change in place (``CodeField``)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        parts = [
            format_html('<select name="{}"{}>', name, flatatt(self.build_attrs(self.attrs, attrs)))
        ]
        # Groups come as lists: frozen into tuples, so that the table can key the cache.
        choices = tuple(
            (key, tuple(map(tuple, label)) if isinstance(label, list) else label)
            for key, label in self.choices
        )
        for value_text, before, after in _options(choices):
            if value_text is None:  # an optgroup's opening or closing tag
                parts.append(before)
            else:
                parts.append(before + (" selected" if value_text in chosen else "") + after)
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # every part is escaped by format_html


@functools.lru_cache(maxsize=256)
def _options(choices: tuple) -> tuple[tuple[str | None, str, str], ...]:
    """For each option of ``choices``: its value as text, its HTML up to where
    `` selected`` goes and the rest; (None, tag, "") for an optgroup's tags."""
    out: list[tuple[str | None, str, str]] = []

    def option(value, label) -> None:
        value = "" if value is None else str(value)
        out.append(
            (value, format_html('<option value="{}"', value), format_html(">{}</option>", label))
        )

    for key, label in choices:
        if isinstance(label, list | tuple):
            out.append((None, format_html('<optgroup label="{}">', key), ""))
            for k, text in label:
                option(k, text)
            out.append((None, "</optgroup>", ""))
        else:
            option(key, label)
    return tuple(out)


class CodeField(forms.ChoiceField):
    """A choice among a code table, whose copy (each form copies its fields) shares the
    table instead of deep-copying it: the tables never change in place (a form that offers
    other choices assigns a new tuple), and copying the hundred départements and the
    diploma groups was a third of the time of reading a step."""

    def __deepcopy__(self, memo):
        return forms.Field.__deepcopy__(self, memo)


class WholeNumberField(forms.IntegerField):
    def to_python(self, value):
        _ascii_only(self, value)
        return super().to_python(value)


class AsciiDateField(forms.DateField):
    def to_python(self, value):
        _ascii_only(self, value)
        return super().to_python(value)


class MoneyField(forms.CharField):
    """An amount in euros, typed the French way ("783,91") or the JSON way ("783.91")."""

    default_error_messages = {
        "invalid": "Écrivez un montant en euros, par exemple 783,91.",
    }
    _PATTERN = re.compile(r"^\d{1,9}([.,]\d{1,2})?$", re.ASCII)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        text = re.sub(r"[\s\u00a0\u202f€]", "", text)
        if not self._PATTERN.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return Decimal(text.replace(",", "."))


class RateField(forms.CharField):
    """A percentage of the SMIC or SMC (0 to 999, two decimals at most)."""

    default_error_messages = {
        "invalid": "Écrivez un pourcentage, par exemple 43 ou 53,5.",
    }
    _PATTERN = re.compile(r"^\d{1,3}([.,]\d{1,2})?$", re.ASCII)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        text = text.replace("%", "").strip()
        if not self._PATTERN.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern already excludes it
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return int(number) if number == number.to_integral_value() else float(number)


def _finish(
    field: forms.Field, kind: str, optional: bool, rule: str = "", tip: str = ""
) -> forms.Field:
    field.kind = kind
    # « Réglementation » (the rule in plain words) and « Le saviez-vous ? », shown in the
    # field's help panels (cerfa/wizard/help.py); the hint (help_text) says what to write.
    field.rule = rule
    field.tip = tip
    # "Facultatif" is what the CERFA itself leaves optional; it is not Django's
    # `required`, which stays False everywhere (see the module docstring).
    field.cerfa_optional = optional
    return field


TOO_LONG = (
    "Ce texte compte %(show_value)d caractères : sa case du formulaire officiel en affiche "
    "%(limit_value)d au plus. Abrégez-le."
)


def limit_length(field: forms.CharField, path: str) -> None:
    """Give a text field the maximum length of its dossier path (``rules/limits.py``): the
    same as the dossier loader's, with the ``maxlength`` attribute in the page.

    Set once on the form class's field, once its name, hence its path, is known
    (``StepForm._limit_lengths``); each form's copy keeps it.
    """
    limit = limits.max_length(path)
    if getattr(field, "dossier_limit", None) == limit:  # a field two form classes share
        return
    field.dossier_limit = limit
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit, message=TOO_LONG))
    field.widget.attrs.update(field.widget_attrs(field.widget))


def text(
    label,
    help_text="",
    *,
    optional=False,
    inputmode=None,
    input_type="text",
    spellcheck=None,
    rule="",
    tip="",
):
    attrs = {}
    if inputmode:
        attrs["inputmode"] = inputmode
    if spellcheck is not None:
        attrs["spellcheck"] = "true" if spellcheck else "false"
    widget = {
        "text": TextInput,
        "email": EmailInput,
        "tel": TextInput,
    }[input_type](attrs=attrs)
    if input_type == "tel":
        widget.input_type = "tel"
    field = forms.CharField(label=label, help_text=help_text, required=False, widget=widget)
    return _finish(field, TEXT, optional, rule, tip)


def code(label, choices, help_text="", *, optional=False, radios=False, rule="", tip=""):
    if radios:
        field = CodeField(
            label=label,
            help_text=help_text,
            required=False,
            choices=choices,
            widget=forms.RadioSelect,
        )
    else:
        field = CodeField(
            label=label,
            help_text=help_text,
            required=False,
            choices=(EMPTY_CHOICE, *choices),
            widget=Select,
        )
    field.error_messages["invalid_choice"] = (
        "Cette valeur n'est pas dans la liste du CERFA : choisissez-en une dans la liste."
    )
    return _finish(field, CODE, optional, rule, tip)


def date(label, help_text="", *, optional=False, rule="", tip=""):
    field = AsciiDateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "invalid": "Cette date n'existe pas : écrivez-la sous la forme JJ/MM/AAAA.",
        },
        validators=[_plausible_year],
    )
    return _finish(field, DATE, optional, rule, tip)


def _plausible_year(value):
    # The same bounds as the dossier format (rules/dossier.py): a year typed 20277 or 1027
    # is a slip, and would break the date arithmetic of the rules.
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise forms.ValidationError(
            f"L'année {value.year} semble être une faute de frappe : vérifiez la date "
            f"(entre {MIN_YEAR} et {MAX_YEAR})."
        )


def integer(label, help_text="", *, optional=False, max_value=None, rule="", tip=""):
    field = WholeNumberField(
        label=label,
        help_text=help_text,
        required=False,
        min_value=0,
        max_value=max_value,
        widget=NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Écrivez un nombre entier, en chiffres."},
    )
    return _finish(field, INT, optional, rule, tip)


def money(label, help_text="", *, optional=False, rule="", tip=""):
    field = MoneyField(
        label=label,
        help_text=help_text,
        required=False,
        widget=TextInput(attrs={"inputmode": "decimal"}),
    )
    return _finish(field, MONEY, optional, rule, tip)


def rate(label, help_text="", *, optional=False, rule="", tip=""):
    field = RateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=TextInput(attrs={"inputmode": "decimal"}),
    )
    return _finish(field, NUMBER, optional, rule, tip)


def yes_no(label, help_text="", *, optional=False, rule="", tip=""):
    field = CodeField(
        label=label,
        help_text=help_text,
        required=False,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Répondez par oui ou par non."},
    )
    return _finish(field, BOOL, optional, rule, tip)


def consent(label, help_text="", *, rule="", tip=""):
    field = forms.BooleanField(
        label=label, help_text=help_text, required=False, widget=CheckboxInput
    )
    return _finish(field, CONSENT, False, rule, tip)


def same_address(label, help_text=""):
    field = forms.BooleanField(
        label=label, help_text=help_text, required=False, widget=CheckboxInput
    )
    return _finish(field, SAME_ADDRESS, True)
