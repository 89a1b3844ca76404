"""Fill the wizard as a keyboard user would: find each box by its visible label, focus it,
type. No mouse click anywhere.

What to type comes from a dossier; which boxes a step shows, their labels and their option
labels come from the step's form (the page must then show exactly those labels).
"""

from __future__ import annotations

import datetime
import re

from cerfa.wizard import convert
from cerfa.wizard import fields as f
from cerfa.wizard.steps import BY_NAME, REVIEW
from rules.dossier import Dossier, get_path


def _name_pattern(label: str) -> re.Pattern:
    # A label's accessible name is the label, maybe « (facultatif) », then the hint.
    return re.compile(r"^\s*" + re.escape(label) + r"(\s|$)")


class Driver:
    def __init__(self, page):
        self.page = page
        self._day_first: bool | None = None

    # -- finding boxes -----------------------------------------------------------------

    def box(self, label: str, within: str = ""):
        """The box with this label, inside the fieldset whose legend is ``within`` if given
        (« N° » is the number of the address, not the SIRET's)."""
        scope = self.page
        if within:
            scope = self.page.get_by_role("group", name=_name_pattern(within))
        exact = scope.get_by_label(label, exact=True)
        if exact.count() == 1:
            return exact
        found = scope.get_by_label(_name_pattern(label))
        assert found.count() == 1, f"{found.count()} boxes labelled « {label} »"
        return found

    # -- typing ------------------------------------------------------------------------

    def text(self, label: str, value: str, within: str = "") -> None:
        box = self.box(label, within)
        box.focus()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(value)

    def date(self, label: str, value: datetime.date, within: str = "") -> None:
        day_first = self.day_first()
        box = self.box(label, within)
        box.focus()
        day, month, year = f"{value.day:02d}", f"{value.month:02d}", f"{value.year:04d}"
        self.page.keyboard.type(day + month + year if day_first else month + day + year)
        assert box.input_value() == value.isoformat(), f"« {label} » reads {box.input_value()!r}"

    def day_first(self) -> bool:
        """Whether this browser's date boxes take the day first (its locale decides)."""
        if self._day_first is None:
            handle = self.page.evaluate_handle(
                "() => { const i = document.createElement('input'); i.type = 'date';"
                " i.id = 'probe-date'; document.body.appendChild(i); return i; }"
            )
            self.page.focus("#probe-date")
            self.page.keyboard.type("01022003")
            self._day_first = self.page.input_value("#probe-date") == "2003-02-01"
            handle.evaluate("i => i.remove()")
        return self._day_first

    def choose(self, label: str, option: str, within: str = "") -> None:
        """Pick an option of a list with the arrow keys, the way a keyboard user does."""
        box = self.box(label, within)
        box.focus()
        self.page.keyboard.press("Home")
        count = box.locator("option").count()
        for _ in range(count):
            if box.evaluate("s => s.options[s.selectedIndex].text") == option:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no option « {option} » in « {label} »")

    def radio(self, group: str, option: str) -> None:
        fieldset = self.page.get_by_role("group", name=_name_pattern(group))
        assert fieldset.count() == 1, f"{fieldset.count()} groups named « {group} »"
        button = fieldset.get_by_label(option, exact=True)
        button.focus()
        self.page.keyboard.press("Space")
        assert button.is_checked()

    def tick(self, label: str, value: bool, within: str = "") -> None:
        box = self.box(label, within)
        if box.is_checked() != value:
            box.focus()
            self.page.keyboard.press("Space")
        assert box.is_checked() == value

    def press_button(self, name: str) -> None:
        button = self.page.get_by_role("button", name=re.compile("^" + re.escape(name)))
        button.first.focus()
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def next(self) -> None:
        self.press_button("Suivant")

    # -- a whole step, from a dossier --------------------------------------------------

    def fill_step(self, step: str, dossier: Dossier, context: Dossier) -> int:
        """Type into the current step every value the dossier has for it. Returns how many."""
        form = BY_NAME[step].form(context=context)
        slots = {
            slot: line
            for line, slot in zip(
                dossier.contrat.remunerations, convert.remuneration_slots(dossier), strict=True
            )
        }
        legends = {n: legend for legend, _, names in form.layout for n in names}
        typed = 0
        for name, field in form.fields.items():
            if name.startswith("remuneration_"):
                _, annee, periode, part = name.split("_", 3)
                line = slots.get((int(annee), int(periode)))
                value = getattr(line, part) if line is not None else None
            else:
                value = get_path(dossier, convert.path_of(name))
            if value is None or value == "":
                continue
            label = getattr(field, "sr_prefix", "") + str(field.label)
            self.type_value(field, label, value, legends.get(name, ""))
            typed += 1
        return typed

    def type_value(self, field, label: str, value, within: str = "") -> None:
        kind = field.kind
        if kind == f.DATE:
            self.date(label, value, within)
        elif kind == f.CONSENT:
            self.tick(label, bool(value), within)
        elif kind == f.BOOL:
            self.radio(label, "Oui" if value else "Non")
        elif kind == f.CODE:
            option = dict(_flat(field.choices))[value]
            if field.widget.input_type == "radio":
                self.radio(label, option)
            else:
                self.choose(label, option, within)
        elif kind == f.MONEY:
            self.text(label, str(value).replace(".", ","), within)
        else:
            self.text(label, str(value), within)


def _flat(choices):
    for key, text in choices:
        if isinstance(text, list | tuple):
            yield from text
        else:
            yield key, text


def start_contract(page, base_url: str) -> str:
    """« Commencer » on the home page, by keyboard; returns the new contract's base URL."""
    page.goto(base_url + "/")
    button = page.get_by_role("button", name="Commencer")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/contrat-en-bref/"), page.url
    return page.url.removesuffix("contrat-en-bref/")


def fill_wizard(
    driver: Driver, base_url: str, dossier: Dossier, shots=None, prefix=""
) -> list[str]:
    """From « Commencer » on the home page to the review page. Returns the steps seen."""
    page = driver.page
    start_contract(page, base_url)
    seen = []
    while True:
        step = page.url.rstrip("/").split("/")[-1]
        seen.append(step)
        if step == REVIEW:
            break
        built = convert.build(convert.step_data_from(dossier), upto=step)
        driver.fill_step(step, dossier, built.dossier)
        if shots is not None:
            page.screenshot(path=str(shots / f"{prefix}{len(seen):02d}-{step}.png"), full_page=True)
        driver.next()
        assert "Certaines valeurs ne peuvent pas être lues" not in page.content(), step
    return seen
