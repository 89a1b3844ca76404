"""How much a user types: each full fixture dossier entered through the wizard, in a real
Chromium, against the production server whose lookups are replayed by a fake upstream
(tests/upstream.py, recorded answers of tests/lookups/fixtures: never the internet).

The user is a keyboard user who finds each box by its visible label and reads before
typing: a box already holding the dossier's value (filled by a lookup, proposed or deduced
by the server) is left alone. They type first the values the page says fill other boxes
(SIRET, UAI, code diplôme, code RNCP), then every other box of the step in page order,
pressing Tab after each text so that the page can react. Each value of the dossier is
counted once, in one of these columns:

- « saisies »: typed on the keyboard (« dont corrigées »: the box held another value first,
  which the user replaced or erased);
- « listes »: picked in a list (a drop-down, or a suggestion list under a text box);
- « boutons radio », « cases »: a radio button chosen, a box ticked;
- « remplies »: already in its box (« dont graphie du registre »: the same words as the
  dossier's in another case or without its accents, as a public register writes them; the
  user keeps them).

At the end the dossier downloaded from the review page must be the fixture (up to the
register's spelling where it was kept): the count is the count of a dossier actually
entered. The table is printed at the end of the module (``pytest -s`` not needed).

Target of issue 9: at most 40 values typed for the example dossier.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest

from cerfa.wizard import convert
from cerfa.wizard import fields as f
from cerfa.wizard.steps import BY_NAME, REVIEW
from rules.dossier import Dossier, get_path
from tests.browser.driver import Driver, start_contract
from tests.helpers import DOSSIERS, EXAMPLE
from tests.server import start_server
from tests.upstream import FakeUpstream, Fixture, Reply

pytestmark = pytest.mark.browser

COMPLETE = [p for p in DOSSIERS if p.stem != "brouillon-incomplet"]
TARGET = 40  # issue 9: values typed for the example dossier

# The recorded answers for the fixtures' identifiers that the fake upstream does not route
# by default (each file says what it stands for).
ROUTES = [
    ("/entreprises/search", {"q": "52147896600174"}, "entreprises_salon.json"),
    ("/entreprises/search", {"q": "21690266800013"}, "entreprises_villeurbanne.json"),
    ("/geo/communes", {"codePostal": "69003"}, "geo_69003.json"),
    ("/geo/communes", {"codePostal": "69007"}, "geo_69007.json"),
    ("/geo/communes", {"codePostal": "69100"}, "geo_69100.json"),
    ("/referentiel/api/v1/organismes", {"uais": "0694321X"}, "referentiel_uai_lieu.json"),
    *(
        ("/catalogue/api/v1/entity/formations", {"query": json.dumps(query)}, name)
        for query, name in (
            ({"cfd": "45020201"}, "catalogue_rncp.json"),  # the same offers, by code diplôme
            ({"cfd": "50033610"}, "catalogue_cap.json"),
            ({"rncp_code": "RNCP37481"}, "catalogue_cap.json"),
        )
    ),
]

# Boxes whose value fills other boxes: typed first on their step.
KEYS = re.compile(r"(__siret|__uai|__code_diplome|__code_rncp)$")

# Counts every fetch of the page until its answer has been read and handled, so that the
# walk reads a box only once the lookups it started have filled what they fill.
PENDING_SCRIPT = """
(() => {
  let pending = 0;
  const done = () => setTimeout(() => { pending -= 1; }, 0);
  const original = window.fetch;
  window.__pendingFetches = () => pending;
  window.fetch = function (...args) {
    pending += 1;
    return original.apply(this, args).then((response) => {
      for (const read of ["json", "text"]) {
        const own = response[read].bind(response);
        response[read] = () => { const p = own(); p.then(done, done); return p; };
      }
      return response;
    }, (error) => { done(); throw error; });
  };
})();
"""

COLUMNS = (
    ("typed", "saisies"),
    ("corrected", "dont corrigées"),
    ("listed", "listes"),
    ("radios", "boutons radio"),
    ("ticked", "cases"),
    ("filled", "remplies"),
    ("accepted", "dont graphie du registre"),
)


@dataclass
class Tally:
    """What one walk counted, as (step, label) pairs per column."""

    name: str
    typed: list[tuple[str, str]] = field(default_factory=list)
    corrected: list[tuple[str, str]] = field(default_factory=list)
    listed: list[tuple[str, str]] = field(default_factory=list)
    radios: list[tuple[str, str]] = field(default_factory=list)
    ticked: list[tuple[str, str]] = field(default_factory=list)
    filled: list[tuple[str, str]] = field(default_factory=list)
    accepted: list[tuple[str, str]] = field(default_factory=list)
    # Dossier paths whose value was kept in a register's spelling.
    kept_paths: set[str] = field(default_factory=set)
    steps: list[str] = field(default_factory=list)

    def count(self, column: str) -> int:
        return len(getattr(self, column))


REPORT: list[Tally] = []


class _Report:
    """Prints the table at the end of the run, whatever the capture of output."""

    def pytest_terminal_summary(self, terminalreporter):
        if REPORT:
            terminalreporter.write_line(report_text())


@pytest.fixture(scope="module", autouse=True)
def report(request):
    plugin = _Report()
    request.config.pluginmanager.register(plugin, "typed-values-report")
    yield


def report_text() -> str:
    lines = ["", "Valeurs saisies par dossier (issue 9 : 40 au plus pour le dossier d'exemple)"]
    width = max(len(t.name) for t in REPORT) + 2
    head = "dossier".ljust(width) + " | ".join(title for _, title in COLUMNS)
    lines += [head, "-" * len(head)]
    for tally in REPORT:
        cells = [str(tally.count(column)).rjust(len(title)) for column, title in COLUMNS]
        lines.append(tally.name.ljust(width) + " | ".join(cells))
    for tally in REPORT:
        lines.append("")
        lines.append(f"{tally.name} : valeurs saisies ({tally.count('typed')})")
        corrected = set(tally.corrected)
        for step, label in tally.typed:
            mark = " (corrigée)" if (step, label) in corrected else ""
            lines.append(f"  - [{step}] {label}{mark}")
    return "\n".join(lines)


# -- servers ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def replayed():
    """The production server, its lookups answered by the recorded answers."""
    with FakeUpstream() as upstream:
        for path, query, name in ROUTES:
            upstream.route(path, Fixture(name), **query)
        server = start_server(**upstream.environ())
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def apis_down():
    """The production server, every public API answering 503: only the tables kept with
    the service answer."""
    with FakeUpstream(fixtures=False) as upstream:
        upstream.route("/", Reply(503, json={"message": "Service Unavailable"}))
        server = start_server(**upstream.environ())
        try:
            yield server, upstream
        finally:
            server.stop()


# -- comparing values ------------------------------------------------------------------


def spelling(text: str) -> str:
    """A text without case, accents, typographic apostrophes or repeated spaces."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except InvalidOperation:
        return None


def as_box(kind: str, value: Any) -> str:
    """The dossier's value as its box holds it ("" for none)."""
    if value is None:
        return ""
    if kind == f.BOOL:
        return "oui" if value else "non"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def same(kind: str, current: str, wanted: str) -> str:
    """ "exact", "spelling" (the same words in a register's spelling) or "" (different)."""
    if current == wanted:
        return "exact"
    if not current or not wanted:
        return ""
    if kind in (f.MONEY, f.NUMBER, f.INT):
        a, b = _decimal(current), _decimal(wanted)
        return "exact" if a is not None and a == b else ""
    if kind == f.TEXT and spelling(current) == spelling(wanted):
        return "spelling"
    return ""


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def comparable(tree: Any, kept: set[str], path: str = "") -> Any:
    """The dossier JSON with "" as null, and the kept paths in ``spelling``."""
    if isinstance(tree, dict):
        return {k: comparable(v, kept, f"{path}.{k}" if path else k) for k, v in tree.items()}
    if isinstance(tree, list):
        return [comparable(v, kept, f"{path}.{i}") for i, v in enumerate(tree)]
    if tree == "":
        return None
    if path in kept and isinstance(tree, str):
        return spelling(tree)
    return tree


# -- the walk --------------------------------------------------------------------------


class Walker:
    """Enters one dossier through the wizard and counts what it took."""

    def __init__(self, page, tally: Tally):
        self.page = page
        self.driver = Driver(page)
        self.tally = tally

    def settle(self) -> None:
        self.page.wait_for_function("() => window.__pendingFetches() === 0")

    def walk(self, base_url: str, dossier: Dossier) -> dict:
        page = self.page
        page.add_init_script(PENDING_SCRIPT)
        start_contract(page, base_url)
        while True:
            step = page.url.rstrip("/").split("/")[-1]
            self.tally.steps.append(step)
            if step == REVIEW:
                break
            assert self.tally.steps.count(step) == 1, f"step {step} shown twice"
            self.settle()
            self.step(step, dossier)
            here = page.url
            self.driver.next()
            assert "Certaines valeurs ne peuvent pas être lues" not in page.content(), step
            if page.url == here:
                # Findings shown before leaving the step: the dossier is complete, move on.
                self.driver.press_button("Continuer malgré tout")
        return self.exported()

    def exported(self) -> dict:
        link = self.page.get_by_role("link", name="Télécharger mes données (.json)")
        link.focus()
        with self.page.expect_download() as info:
            self.page.keyboard.press("Enter")
        return json.loads(Path(info.value.path()).read_text(encoding="utf-8"))

    def step(self, step: str, dossier: Dossier) -> None:
        built = convert.build(convert.step_data_from(dossier), upto=step)
        form = BY_NAME[step].form(context=built.dossier)
        slots = {
            slot: line
            for line, slot in zip(
                dossier.contrat.remunerations, convert.remuneration_slots(dossier), strict=True
            )
        }
        legends = {n: legend for legend, _, names in form.layout for n in names}
        skipped = self.same_address(step, form, dossier, legends)
        keys = [n for n in form.fields if KEYS.search(n)]
        for name in keys + [n for n in form.fields if n not in keys]:
            field_ = form.fields[name]
            if name in skipped or field_.kind == f.SAME_ADDRESS:
                continue
            if name.startswith("remuneration_"):
                _, annee, periode, part = name.split("_", 3)
                line = slots.get((int(annee), int(periode)))
                value = getattr(line, part) if line is not None else None
                path = ""
            else:
                path = convert.path_of(name)
                value = get_path(dossier, path)
            label = getattr(field_, "sr_prefix", "") + str(field_.label)
            self.enter(step, name, path, field_, label, value, legends.get(name, ""))

    def same_address(self, step, form, dossier, legends) -> set[str]:
        """Tick « Même adresse que l'apprenti(e) » when the step's address is the
        apprentice's; the address boxes it stands for are then left alone."""
        boxes = [n for n in form.fields if "__adresse__" in n]
        for name, field_ in form.fields.items():
            if field_.kind != f.SAME_ADDRESS or not boxes:
                continue
            base = boxes[0].rsplit("__", 1)[0].replace("__", ".")
            theirs, mine = get_path(dossier, base), dossier.apprenti.adresse
            same = theirs is not None and theirs == mine and any(vars(mine).values())
            label = str(field_.label)
            if self.current(name, field_) == ("on" if same else ""):
                continue
            self.driver.tick(label, same, legends.get(name, ""))
            self.tally.ticked.append((step, label))
            if same:
                return set(boxes)
        return set()

    def current(self, name: str, field_) -> str:
        page = self.page
        if field_.kind in (f.CONSENT, f.SAME_ADDRESS):
            return "on" if page.locator(f'input[name="{name}"]').is_checked() else ""
        if field_.kind == f.BOOL or getattr(field_.widget, "input_type", "") == "radio":
            checked = page.locator(f'input[name="{name}"]:checked')
            return checked.get_attribute("value") if checked.count() else ""
        return page.locator(f'[name="{name}"]').input_value()

    def suggested(self, name: str, wanted: str) -> bool:
        """Whether the text box offers ``wanted`` in its list of suggestions."""
        return self.page.locator(f'[name="{name}"]').evaluate(
            "(box, wanted) => !!box.list && [...box.list.options].some(o => o.value === wanted)",
            wanted,
        )

    def enter(self, step, name, path, field_, label, value, within) -> None:
        page, driver, tally = self.page, self.driver, self.tally
        on_page = page.locator(f'[name="{name}"]').count() > 0
        if not on_page:
            assert _blank(value), f"« {label} » ({step}) is not on the page"
            return
        kind = field_.kind
        wanted = "on" if kind == f.CONSENT and value else as_box(kind, value)
        if kind == f.CONSENT and not value:
            wanted = ""
        current = self.current(name, field_)
        where = (step, label)
        match = same(kind, current, wanted)
        if match:
            if wanted:
                tally.filled.append(where)
                if match == "spelling":
                    tally.accepted.append(where)
                    tally.kept_paths.add(path)
            return
        radio = kind == f.BOOL or getattr(field_.widget, "input_type", "") == "radio"
        if kind == f.CONSENT:
            driver.tick(label, bool(value), within)
            tally.ticked.append(where)
        elif radio:
            assert wanted, f"« {label} » ({step}) was answered for the user and cannot be undone"
            driver.type_value(field_, label, value, within)
            tally.radios.append(where)
        elif kind == f.CODE:
            option = "Choisir dans la liste" if not wanted else None
            if option:
                driver.choose(label, option, within)
            else:
                driver.type_value(field_, label, value, within)
            tally.listed.append(where)
        else:
            listed = bool(wanted) and self.suggested(name, wanted)
            if not wanted:
                box = driver.box(label, within)
                box.focus()
                page.keyboard.press("Control+A")
                page.keyboard.press("Delete")
            else:
                driver.type_value(field_, label, value, within)
            if listed:
                tally.listed.append(where)
            else:
                tally.typed.append(where)
                if current:
                    tally.corrected.append(where)
            if kind != f.DATE:
                page.keyboard.press("Tab")  # leaving the box: the page may look it up
                self.settle()


def walk(page, server_url: str, path: Path, name: str = "") -> tuple[Tally, dict]:
    dossier = Dossier.from_json(path.read_text(encoding="utf-8"))
    tally = Tally(name or path.stem)
    exported = Walker(page, tally).walk(server_url, dossier)
    return tally, exported


def assert_entered(exported: dict, path: Path, tally: Tally) -> None:
    """The downloaded dossier is the fixture, up to the register spellings kept."""
    wanted = json.loads(path.read_text(encoding="utf-8"))
    assert comparable(exported, tally.kept_paths) == comparable(wanted, tally.kept_paths)


# -- the tests -------------------------------------------------------------------------


@pytest.mark.parametrize("path", COMPLETE, ids=lambda p: p.stem)
def test_values_typed_for_each_full_fixture(page, replayed, path):
    tally, exported = walk(page, replayed.url, path)
    REPORT.append(tally)
    assert_entered(exported, path, tally)
    if path == EXAMPLE:
        typed = "\n".join(f"[{s}] {label}" for s, label in tally.typed)
        assert tally.count("typed") <= TARGET, (
            f"{tally.count('typed')} values typed for the example dossier "
            f"(target {TARGET}):\n{typed}"
        )


def _example_with_table_codes(tmp_path: Path) -> Path:
    """The example dossier with a diploma the bundled table knows (France compétences'
    kit of December 2023: BP Coiffure), the codes of the example being illustrative."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["formation"].update(
        {
            "code_diplome": "45033608",
            "code_rncp": "RNCP38231",
            "intitule_precis": "COIFFURE (BP)",
            "diplome_vise": "49",
        }
    )
    out = tmp_path / "exemple-codes-de-la-table.json"
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def test_with_the_apis_down_communes_and_diplomas_come_from_the_tables(page, apis_down, tmp_path):
    server, upstream = apis_down
    path = _example_with_table_codes(tmp_path)
    tally, exported = walk(page, server.url, path, name="exemple, API en panne")
    REPORT.append(tally)
    assert_entered(exported, path, tally)
    assert upstream.requests, "the lookups did ask the (failing) APIs first"
    filled = {label for step, label in tally.filled if step == "formation"}
    communes = [where for where in tally.filled if where[1] == "Commune"]
    # Every commune from its postal code (La Poste's table), the SIRET and the UAI having
    # no table: the employer's and the CFA's blocks are typed.
    assert {step for step, _ in communes} == {"employeur", "apprenti", "formation"}, tally.filled
    assert ("employeur", "Nom et prénom ou dénomination") in tally.typed
    assert {
        "Intitulé précis du diplôme ou titre visé",
        "Code RNCP",
        "Diplôme ou titre visé par l'apprenti",
    } <= filled, tally.filled
    assert not {where for where in tally.typed if where[0] == "formation" and "RNCP" in where[1]}


def test_the_example_is_among_the_fixtures():
    assert EXAMPLE in COMPLETE
    spec = Path(__file__).resolve().parents[3] / "shared" / "spec" / "example-dossier.json"
    if spec.exists():
        assert json.loads(spec.read_text(encoding="utf-8")) == json.loads(
            EXAMPLE.read_text(encoding="utf-8")
        )


def test_with_the_apis_down_a_shared_postal_code_offers_the_tables_communes(page, apis_down):
    server, _ = apis_down
    base = start_contract(page, server.url)
    page.goto(base + "apprenti/")
    driver = Driver(page)
    driver.text("Code postal", "01300", within="Adresse de l'apprenti(e)")
    page.keyboard.press("Tab")
    page.wait_for_selector("#id_apprenti__adresse__commune-choix", state="attached")
    options = page.locator("#id_apprenti__adresse__commune-choix option").evaluate_all(
        "os => os.map(o => o.value)"
    )
    assert len(options) > 20 and {"BELLEY", "BRENS", "MAGNIEU"} <= set(options)
    assert driver.box("Commune", within="Adresse de l'apprenti(e)").input_value() == ""
    assert "Base officielle des codes postaux de La Poste" in page.content()


def test_a_corrected_uai_replaces_only_what_the_first_one_filled(page, replayed):
    """What a lookup filled and the user left alone follows a corrected number; what the
    user typed stays, whatever the lookups say."""
    base = start_contract(page, replayed.url)
    page.add_init_script(PENDING_SCRIPT)
    page.goto(base + "formation/")
    driver = Driver(page)
    walker = Walker(page, Tally("uai"))
    driver.text("N° UAI du CFA", "0691234S")
    page.keyboard.press("Tab")
    walker.settle()
    siret = driver.box("N° SIRET CFA")
    assert siret.input_value() == "77834512400219"
    assert driver.box("Dénomination du CFA responsable").input_value() == (
        "CFA DES METIERS DE LA COIFFURE"
    )
    driver.text("Dénomination du CFA responsable", "CFA de la Coiffure")  # the user's now
    # One lookup a second per client for the référentiel (docs/apis.md): a user takes that.
    page.wait_for_timeout(1100)
    driver.text("N° UAI du CFA", "0694321X")  # another organisme
    page.keyboard.press("Tab")
    walker.settle()
    assert siret.input_value() == "77834512400227"
    assert driver.box("Commune", within="Adresse du CFA responsable").input_value() == (
        "Villeurbanne"
    )
    assert driver.box("Dénomination du CFA responsable").input_value() == "CFA de la Coiffure"
    status = page.locator("#id_formation__cfa__uai-lookup")
    assert "d’après le numéro UAI" in status.inner_text()
    assert status.get_attribute("aria-live") == "polite"


def test_one_rncp_several_codes_offers_them_under_the_code_diplome(page, replayed):
    base = start_contract(page, replayed.url)
    page.add_init_script(PENDING_SCRIPT)
    page.goto(base + "formation/")
    driver = Driver(page)
    walker = Walker(page, Tally("rncp"))
    driver.text("Code RNCP", "RNCP39063")
    page.keyboard.press("Tab")
    walker.settle()
    code = driver.box("Code du diplôme")
    assert code.input_value() == ""  # not chosen for the user
    offered = code.evaluate("box => [...box.list.options].map(o => o.value)")
    assert offered == ["36T31201", "46T31201"]
    # With the code diplôme typed first, the lookup takes the matching certification.
    page.goto(base + "formation/")
    driver.text("Code du diplôme", "46T31201")
    driver.text("Code RNCP", "RNCP39063")
    page.keyboard.press("Tab")
    walker.settle()
    assert driver.box("Diplôme ou titre visé par l'apprenti").input_value() == "49"
