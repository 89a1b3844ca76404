"""A step's fields written in Python: their label, hint, box, errors, findings and help.

This was templates/wizard/field.html, and three quarters of a step page's time (issue 13):
a step has up to 40 fields, and each one went through a dozen template tags and lookups.
The HTML is the same, character for character (tests/wizard/test_rendering.py compares
every step of every fixture with snapshots made by the template); every value is escaped
by ``format_html`` / ``format_html_join``, and the only string marked safe is a constant
without data. The whitespace is the template's, so that the pages did not change.

One function per kind of field (radios, a checkbox, a box or a list), one for the
findings' container (the live check sends it alone: templates/wizard/field_findings.html
calls ``findings``), one for the help panels. What a field shows whatever its value (its
label, hint and help panels) is written once per process.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

OPTIONAL = mark_safe(' <span class="cerfa-optional">(facultatif)</span>')


class Fixed(NamedTuple):
    """What a field shows whatever its value: written once per process (``_fixed``)."""

    label: SafeString
    hint: SafeString | str
    help: SafeString | str


def field_group(field) -> SafeString:
    """A field's whole block (``BoundField.as_field_group``): its ``champ-<name>`` anchor,
    what it shows by kind, and its help panels."""
    kind = field.widget_type
    errors = list(field.errors)
    fixed = fixed_parts(field)
    if kind == "radioselect":
        body = _radios(field, fixed, errors)
    elif kind == "checkbox":
        body = _checkbox(field, fixed, errors)
    else:
        body = _box(field, fixed, errors, kind == "select")
    return format_html(
        '<div id="champ-{}" class="cerfa-field" data-champ="{}">\n{}\n{}\n</div>',
        field.html_name,
        field.html_name,
        body,
        fixed.help,
    )


def groups(layout) -> SafeString:
    """A step's fields in their fieldsets (``StepForm.layout``: legend, introduction,
    bound fields; no legend, no fieldset), as templates/wizard/form.html wrote them."""
    parts = []
    for legend, intro, fields in layout:
        if legend:
            parts.append(
                format_html(
                    '\n  \n    <fieldset class="fr-fieldset cerfa-group">'
                    '\n      <legend class="fr-fieldset__legend">{}</legend>'
                    "\n      {}\n      {}\n    </fieldset>\n  \n",
                    legend,
                    format_html('<p class="fr-fieldset__element fr-text--sm">{}</p>', intro)
                    if intro
                    else "",
                    format_html_join(
                        "",
                        '<div class="fr-fieldset__element">{}</div>',
                        ((field.as_field_group(),) for field in fields),
                    ),
                )
            )
        else:
            parts.append(
                format_html(
                    "\n  \n    {}\n  \n",
                    format_html_join("", "{}", ((field.as_field_group(),) for field in fields)),
                )
            )
    return format_html_join("", "{}", ((part,) for part in parts))


def findings(field) -> SafeString:
    """The container of a field's findings, always in the page: the live check
    (static/js/live.js) fills it in place."""
    found = field.findings
    items = ""
    if found:
        items = format_html(
            '\n  <ul class="cerfa-field-findings__list">\n    {}\n  </ul>\n',
            format_html_join(
                "",
                '\n      <li class="cerfa-finding cerfa-finding--{}">'
                '<span class="cerfa-finding__level">{} :</span> {}</li>\n    ',
                ((item["level"], item["label"], item["message"]) for item in found),
            ),
        )
    return format_html(
        '<div class="cerfa-field-findings" id="{}-findings">{}</div>', field.auto_id, items
    )


def fixed_parts(field) -> Fixed:
    """The label, hint and help panels of a field, from the process's cache: they are the
    form's own words (labels, hints, rules, sources: code, never what the user typed), so
    that the cache holds one entry per field of the wizard (``FIXED_CACHE``)."""
    panels = field.field_help
    return _fixed(
        field.auto_id,
        field.label,
        field.help_text,
        getattr(field.field, "sr_prefix", ""),
        bool(getattr(field.field, "cerfa_optional", False)),
        (panels["rule"], panels["tip"], tuple(panels["references"])) if panels else None,
    )


# The wizard has about 300 fields (a few with two labels): room for every one of them.
FIXED_CACHE = 1024


@functools.lru_cache(maxsize=FIXED_CACHE)
def _fixed(auto_id, label, help_text, prefix, optional, panels) -> Fixed:
    return Fixed(
        format_html(
            "{}{}{}",
            format_html('<span class="fr-sr-only">{}</span>', prefix) if prefix else "",
            label,
            OPTIONAL if optional else "",
        ),
        format_html('<p class="fr-hint-text cerfa-hint" id="{}-hint">{}</p>', auto_id, help_text)
        if help_text
        else "",
        _help(label, *panels) if panels else "",
    )


def _messages(field, errors: list) -> SafeString | str:
    """Input errors one paragraph each (radios, a checkbox)."""
    if not errors:
        return ""
    return format_html(
        '\n      <div class="fr-messages-group" id="{}-error">\n        {}\n      </div>\n    ',
        field.auto_id,
        format_html_join(
            "", '<p class="fr-message fr-message--error">{}</p>', ((e,) for e in errors)
        ),
    )


def _radios(field, fixed: Fixed, errors: list) -> SafeString:
    auto_id = field.auto_id
    name = field.html_name
    described_by = field.described_by
    hint = fixed.hint
    radios = format_html_join(
        "",
        '\n      <div class="fr-fieldset__element fr-fieldset__element--inline">'
        '\n        <div class="fr-radio-group">'
        '\n          <input type="radio" id="{}" name="{}" value="{}"{} aria-describedby="{}">'
        '\n          <label class="fr-label" for="{}">{}</label>'
        "\n        </div>\n      </div>\n    ",
        (
            (
                radio.id_for_label,
                name,
                radio.data["value"],
                " checked" if radio.data["selected"] else "",
                described_by,
                radio.id_for_label,
                radio.choice_label,
            )
            for radio in field.subwidgets
        ),
    )
    return format_html(
        '\n  <fieldset class="fr-fieldset{}"'
        '\n            aria-labelledby="{}-legend{}">'
        '\n    <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="{}-legend">'
        "\n      {}\n    </legend>\n    {}\n    {}\n    {}"
        '\n    <div class="fr-fieldset__element">{}\n</div>\n  </fieldset>\n',
        " fr-fieldset--error" if errors else "",
        auto_id,
        format_html(" {}-error", auto_id) if errors else "",
        auto_id,
        fixed.label,
        format_html('<div class="fr-fieldset__element">{}</div>', hint) if hint else "",
        radios,
        _messages(field, errors),
        findings(field),
    )


def _checkbox(field, fixed: Fixed, errors: list) -> SafeString:
    return format_html(
        '\n  <div class="fr-checkbox-group{}">\n    {}'
        '\n    <label class="fr-label" for="{}">\n      {}\n    </label>'
        "\n    {}\n    {}\n  </div>\n  {}\n\n",
        " fr-checkbox-group--error" if errors else "",
        str(field),
        field.id_for_label,
        fixed.label,
        fixed.hint,
        _messages(field, errors),
        findings(field),
    )


def _box(field, fixed: Fixed, errors: list, select: bool) -> SafeString:
    """A text, date or number box, or a list."""
    group = "fr-select-group" if select else "fr-input-group"
    auto_id = field.auto_id
    communes = field.datalist
    proposal = field.proposal
    return format_html(
        '\n  <div class="{}{}">\n    <label class="fr-label" for="{}">\n      {}\n    </label>'
        "\n    {}\n    {}\n    {}\n    {}\n    {}\n  </div>\n  {}\n\n",
        group,
        format_html(" {}--error", group) if errors else "",
        field.id_for_label,
        fixed.label,
        fixed.hint,
        str(field),
        format_html(
            '<datalist id="{}-communes">{}</datalist>',
            auto_id,
            format_html_join("", '<option value="{}"></option>', ((nom,) for nom in communes)),
        )
        if communes
        else "",
        format_html(
            '<p class="fr-message fr-message--info cerfa-proposal" id="{}-proposal">{}</p>',
            auto_id,
            proposal,
        )
        if proposal
        else "",
        format_html(
            '\n      <p class="fr-error-text" id="{}-error">{}</p>\n    ',
            auto_id,
            format_html_join(" ", "{}", ((e,) for e in errors)),
        )
        if errors
        else "",
        findings(field),
    )


def _help(label, rule_text: str, tip_text: str, references: tuple) -> SafeString:
    """« Réglementation » (the rule and its sources) and « Le saviez-vous ? »."""
    rule = ""
    if rule_text or references:
        rule = format_html(
            '\n    <details class="cerfa-help__panel">'
            '\n      <summary class="cerfa-help__summary fr-text--sm">Réglementation'
            '<span class="fr-sr-only"> : {}</span></summary>'
            '\n      <div class="fr-highlight fr-ml-0 fr-mt-1w">\n        {}\n        {}'
            "\n      </div>\n    </details>\n  ",
            label,
            format_html('<p class="fr-text--sm">{}</p>', rule_text) if rule_text else "",
            format_html(
                '<p class="fr-text--xs fr-mb-0">Sources : {}</p>',
                format_html_join(" ; ", "{}", ((ref,) for ref in references)),
            )
            if references
            else "",
        )
    tip = ""
    if tip_text:
        tip = format_html(
            '\n    <details class="cerfa-help__panel">'
            '\n      <summary class="cerfa-help__summary fr-text--sm">Le saviez-vous ?'
            '<span class="fr-sr-only"> ({})</span></summary>'
            '\n      <div class="fr-callout fr-callout--sm fr-mt-1w fr-mb-0">'
            '\n        <p class="fr-callout__text fr-text--sm">{}</p>'
            "\n      </div>\n    </details>\n  ",
            label,
            tip_text,
        )
    return format_html('\n<div class="cerfa-help">\n  {}\n  {}\n</div>\n', rule, tip)
