"""The contract's calendar (.ics, RFC 5545): cerfa/documents/calendar.py and its download."""

from __future__ import annotations

import datetime
import re
import uuid

import icalendar
import pytest

from cerfa.documents import calendar
from cerfa.store import get_store
from rules.codes import TYPE_CONTRAT_AVENANT
from rules.dossier import Dossier
from rules.timeline import timeline_for
from tests.helpers import DOSSIERS, load, raw
from tests.wizard.conftest import uploaded_contract

NOW = datetime.datetime(2027, 6, 1, 8, 30, tzinfo=datetime.UTC)
UID_FORMAT = re.compile(r"^[0-9a-f]{32}@cerfa-apprentissage$")


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def _on(events, day: datetime.date, summary: str) -> list[icalendar.Event]:
    return [e for e in events if e.decoded("dtstart") == day and str(e["summary"]) == summary]


def _check_syntax_by_hand(data: bytes) -> None:
    """A check that does not go through icalendar: CRLF line ends, no line over 75 octets
    (RFC 5545, 3.1), every BEGIN closed by its END in order."""
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    open_blocks: list[bytes] = []
    for line in lines:
        if line.startswith(b"BEGIN:"):
            open_blocks.append(line[6:])
        elif line.startswith(b"END:"):
            assert open_blocks.pop() == line[4:]
    assert open_blocks == []
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_every_fixture_gives_a_valid_calendar_with_the_timelines_dates(path):
    dossier = load(path.name)
    data = calendar.calendar_bytes(dossier, key="cle", now=NOW)
    _check_syntax_by_hand(data)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["prodid"]) == calendar.PRODID and str(cal["version"]) == "2.0"
    assert str(cal["x-wr-calname"]).startswith("Contrat d'apprentissage")
    events = _events(data)
    for event in events:
        # All-day events: a date, not a date-time, written VALUE=DATE.
        assert type(event.decoded("dtstart")) is datetime.date
        assert event["dtstart"].params["VALUE"] == "DATE"
        assert event.decoded("dtend") == event.decoded("dtstart") + datetime.timedelta(days=1)
        assert event.decoded("dtstamp") == NOW
        assert str(event["summary"]) and str(event["description"])
    timeline = timeline_for(dossier)
    if timeline is None:  # the draft without an end: nothing to place, and no crash
        assert events == []
        return
    kept = [m for m in timeline.milestones if m.kind in calendar.KINDS]
    assert len(events) == len(kept) + len(timeline.periods)
    for milestone in kept:
        assert len(_on(events, milestone.day, milestone.label)) == 1, milestone
    deadline = [m for m in timeline.milestones if m.kind == "transmission"]
    avenant = dossier.contrat.type_contrat in TYPE_CONTRAT_AVENANT
    assert len(deadline) == (0 if avenant else 1)  # an avenant has no filing deadline
    pay = [e for e in events if str(e["summary"]).startswith("Rémunération : ")]
    assert len(pay) == len(timeline.periods) > 0
    assert sorted(e.decoded("dtstart") for e in pay) == [p.line.du for p in timeline.periods]
    trial = [e for e in events if "période d'essai" in str(e["summary"])]
    assert len(trial) == (0 if avenant else 1)
    for event in trial:
        assert "estimation" in str(event["summary"]).lower()
        assert "estimation" in str(event["description"]).lower()
        assert "L6222-18" in str(event["description"])


def test_the_example_files_by_the_fifth_jour_ouvrable_and_pays_from_the_start():
    events = _events(calendar.calendar_bytes(load("exemple.json"), key="cle", now=NOW))
    # Start on Wednesday 1 September 2027; jours ouvrables count Saturdays: 2, 3, 4, 6, 7.
    assert _on(events, datetime.date(2027, 9, 7), "Date limite d'envoi du contrat à l'OPCO")
    assert _on(events, datetime.date(2027, 10, 15), "Fin de la période d'essai (estimation)")
    first = _on(events, datetime.date(2027, 9, 1), "Rémunération : 43 % du SMIC (Année 1)")
    assert "783,91 € brut par mois" in str(first[0]["description"])
    assert _on(events, datetime.date(2029, 8, 31), "Fin du contrat")


def test_a_public_employer_files_with_the_state():
    events = _events(calendar.calendar_bytes(load("employeur-public.json"), now=NOW))
    deadline = [e for e in events if str(e["summary"]).startswith("Date limite")]
    assert (
        str(deadline[0]["summary"])
        == "Date limite d'envoi du contrat aux services de l'État (DDETS)"
    )
    assert "D6275-1" in str(deadline[0]["description"])


def test_missing_dates_leave_only_what_is_known():
    data = raw("exemple.json")
    data["formation"]["date_debut_cfa"] = None
    data["formation"]["date_fin_epreuves"] = None
    data["contrat"]["date_debut_formation_pratique"] = None
    data["apprenti"]["date_naissance"] = None  # no age: no grid, so no pay event
    events = _events(calendar.calendar_bytes(Dossier.from_dict(data), now=NOW))
    summaries = sorted(str(e["summary"]) for e in events)
    assert summaries == [
        "Date limite d'envoi du contrat à l'OPCO",
        "Fin de la période d'essai (estimation)",
        "Fin du contrat",
    ]


def test_a_draft_without_dates_gives_an_empty_calendar():
    data = calendar.calendar_bytes(Dossier.from_dict({"format": "cerfa-fa13/1"}), now=NOW)
    _check_syntax_by_hand(data)
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["x-wr-calname"]) == "Contrat d'apprentissage"
    assert _events(data) == []


@pytest.mark.parametrize("path", DOSSIERS, ids=lambda p: p.stem)
def test_no_personal_data_in_uids_nor_in_the_events(path):
    dossier = load(path.name)
    events = _events(calendar.calendar_bytes(dossier, key=uuid.uuid4().hex, now=NOW))
    uids = [str(e["uid"]) for e in events]
    assert all(UID_FORMAT.match(u) for u in uids) and len(set(uids)) == len(uids)
    a = dossier.apprenti
    personal = [a.nom_naissance, a.nom_usage, a.prenom, a.nir, a.courriel, a.telephone]
    personal = [p for p in personal if p]
    if a.date_naissance:
        personal += [a.date_naissance.strftime("%d/%m/%Y"), a.date_naissance.isoformat()]
    texts = [str(e[name]) for e in events for name in ("uid", "summary", "description")]
    for value in personal:
        assert not any(value.lower() in text.lower() for text in texts), value


def test_the_uids_follow_the_key_so_a_second_download_updates_the_agenda():
    dossier = load("exemple.json")

    def uids(key):
        return [str(e["uid"]) for e in _events(calendar.calendar_bytes(dossier, key=key))]

    assert uids("contrat-1") == uids("contrat-1")
    assert set(uids("contrat-1")).isdisjoint(uids("contrat-2"))
    assert set(uids(None)).isdisjoint(uids(None))  # random when no key is given


@pytest.mark.parametrize(
    ("prenom", "expected"),
    [
        ("Inès", "Contrat d'apprentissage — Inès"),
        ("  Jean   Pierre ", "Contrat d'apprentissage — Jean Pierre"),
        (None, "Contrat d'apprentissage"),
        ("É" * 200, "Contrat d'apprentissage — " + "É" * calendar.MAX_FIRST_NAME),
    ],
)
def test_the_calendar_is_named_after_the_first_name_only(prenom, expected):
    data = raw("exemple.json")
    data["apprenti"]["prenom"] = prenom
    dossier = Dossier.from_dict(data)
    assert calendar.calendar_name(dossier) == expected
    cal = icalendar.Calendar.from_ical(calendar.calendar_bytes(dossier))
    assert str(cal["x-wr-calname"]) == str(cal["name"]) == expected


# -- the download ------------------------------------------------------------------------


@pytest.fixture
def _empty_store():
    get_store().clear()
    yield
    get_store().clear()


@pytest.mark.usefixtures("_empty_store")
def test_the_review_page_offers_the_calendar_and_it_downloads(client):
    base = uploaded_contract(client)
    review = client.get(base + "recapitulatif/").content.decode()
    assert f'href="{base}calendrier.ics"' in review
    assert "Ajouter les dates à mon agenda (.ics)" in review
    response = client.get(base + "calendrier.ics")
    assert response.status_code == 200
    _check_syntax_by_hand(response.content)
    events = _events(response.content)
    assert len(events) == len(_events(calendar.calendar_bytes(load("exemple.json"))))
    # The UIDs come from the contract's id: the same on a second download.
    again = _events(client.get(base + "calendrier.ics").content)
    assert [str(e["uid"]) for e in again] == [str(e["uid"]) for e in events]
    contrat_id = base.strip("/").split("/")[-1]
    assert all(contrat_id.replace("-", "") not in str(e["uid"]) for e in events)


# -- the command line --------------------------------------------------------------------


def test_the_command_writes_the_same_calendar(tmp_path):
    from tests.test_cli import EXAMPLE, run

    target = tmp_path / "contrat.ics"
    status, out, err = run("calendar", EXAMPLE, "-o", str(target))
    assert (status, out, err) == (0, "", "")
    data = target.read_bytes()
    _check_syntax_by_hand(data)
    expected = _events(calendar.calendar_bytes(load("exemple.json")))
    summaries = [(e.decoded("dtstart"), str(e["summary"])) for e in _events(data)]
    assert summaries == [(e.decoded("dtstart"), str(e["summary"])) for e in expected]
    status, out, err = run("calendar", EXAMPLE, "-o", "-")
    assert status == 0 and out.startswith("BEGIN:VCALENDAR\r\n") and len(_events(out.encode()))


def test_the_command_says_in_french_what_it_cannot_do(tmp_path):
    from tests.test_cli import EXAMPLE, run

    status, _, err = run("calendar", str(tmp_path / "absent.json"), "-o", "x.ics")
    assert status == 2 and "introuvable" in err
    status, _, err = run("calendar", EXAMPLE, "-o", str(tmp_path / "absent" / "contrat.ics"))
    assert status == 2 and err.startswith("Erreur : impossible d'écrire")
    assert not (tmp_path / "absent").exists()
