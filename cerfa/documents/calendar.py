"""The contract's calendar as an iCalendar file (RFC 5545), to add its dates to an agenda.

The dates are the timeline's (``rules/timeline.py``): the filing deadline in jours ouvrables
(C. trav. art. D6224-1, D6275-1), the start of practical training in the company and of
training at the CFA, the end of the trial period (an estimate, L6222-18: its description
says so), the last exam, the end of the contract; and one event per pay period of the grid
(``rules/costs.py``, D6222-26), on the day its rate starts, with its minimum monthly amount.
Nothing is computed here: a date the dossier does not give yet is simply not in the file.

Every event lasts the whole day (``DTSTART;VALUE=DATE``), is transparent (it does not make
its day busy) and has a UID made of a hash of a key that holds no personal data (the
contract's random id on the site, a random value per file on the command line) and of the
event's kind: downloading the file again for the same contract gives the same UIDs, so an
agenda updates its events instead of doubling them. The texts name no one and give no
birthday (an agenda may be synchronised to a provider's servers): a pay event gives the
age bracket and the contract year (``GridLine.motif``), not the timeline's reason, which
dates the birthday that opened the bracket. Only the calendar's name carries the
apprentice's first name, as the downloaded files do.

The syntax (escaping, lines folded at 75 octets, CRLF) is ``icalendar``'s.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid

import icalendar

from rules.dossier import Dossier
from rules.remuneration import fr_euros, fr_taux
from rules.timeline import Milestone, Period, timeline_for

PRODID = "-//cerfa-apprentissage//Calendrier du contrat d'apprentissage//FR"
CALENDAR_NAME = "Contrat d'apprentissage"
UID_DOMAIN = "cerfa-apprentissage"
MAX_FIRST_NAME = 40  # characters of the first name in the calendar's name, at most
# The timeline's milestones an agenda needs (the signature and the start are already
# behind the user when they download the file; the start is the first pay event).
KINDS = ("transmission", "formation_pratique", "cfa", "fin_essai", "epreuves", "fin")


def calendar_name(dossier: Dossier) -> str:
    """« Contrat d'apprentissage — Inès », or without a dash while no first name is given."""
    prenom = " ".join((dossier.apprenti.prenom or "").split())[:MAX_FIRST_NAME].strip()
    return f"{CALENDAR_NAME} — {prenom}" if prenom else CALENDAR_NAME


def uid(key: str, kind: str) -> str:
    """An event's UID: a hash of ``key`` (no personal data) and of the event's kind."""
    digest = hashlib.sha256(f"{key}\n{kind}".encode()).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def calendar_for(
    dossier: Dossier, key: str | None = None, now: datetime.datetime | None = None
) -> icalendar.Calendar:
    """The contract's calendar. ``key``: what the UIDs derive from (the contract's id on
    the site); a random one when None. ``now``: the DTSTAMP (UTC)."""
    key = key or uuid.uuid4().hex
    stamp = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = calendar_name(dossier)
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # what most agendas read
    timeline = timeline_for(dossier)
    if timeline is None:  # no start or end yet: nothing the calendar could place
        return cal
    for milestone in timeline.milestones:
        if milestone.kind in KINDS:
            cal.add_component(_milestone_event(milestone, key, stamp))
    for period in timeline.periods:
        cal.add_component(_period_event(period, key, stamp))
    return cal


def calendar_bytes(
    dossier: Dossier, key: str | None = None, now: datetime.datetime | None = None
) -> bytes:
    """The ``.ics`` file (UTF-8, CRLF)."""
    return calendar_for(dossier, key, now).to_ical()


def _event(
    key: str, kind: str, day: datetime.date, summary: str, description: str, stamp
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid(key, kind))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)  # a date: VALUE=DATE, an all-day event
    event.add("dtend", day + datetime.timedelta(days=1))  # exclusive (RFC 5545, 3.6.1)
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _milestone_event(milestone: Milestone, key: str, stamp) -> icalendar.Event:
    return _event(key, milestone.kind, milestone.day, milestone.label, milestone.detail, stamp)


def _period_event(period: Period, key: str, stamp) -> icalendar.Event:
    line = period.line
    summary = f"Rémunération : {fr_taux(line.taux)} % du {line.reference} ({period.name})"
    amounts = [f"{fr_euros(period.cost.mensuel)} brut par mois au minimum"]
    amounts += [
        f"puis {fr_euros(piece.mensuel)} à partir du {piece.du:%d/%m/%Y} (revalorisation du "
        f"{piece.reference})"
        for piece in period.cost.revaluations
    ]
    description = (
        f"Du {line.du:%d/%m/%Y} au {line.au:%d/%m/%Y} : {fr_taux(line.taux)} % du "
        f"{line.reference}, soit {', '.join(amounts)}. Taux minimum selon l'âge et l'année du contrat (C. trav. art. "
        f"D6222-26) : {line.motif}."
    )
    kind = f"remuneration-{line.annee}-{line.periode}"
    return _event(key, kind, line.du, summary, description, stamp)
