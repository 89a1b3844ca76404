"""The contract's timeline, drawn on the server as SVG, and the tables that say the same.

The dates and amounts come from ``rules/timeline.py`` and ``rules/costs.py``; this module
only places them. The picture (``templates/wizard/timeline.html``) is read in one glance,
the tables beside it are read by everyone else (screen readers, print, copy): both are
built from the same rows here, so that they cannot disagree.

Layout: time runs down a vertical axis, in proportion to the days (a vertical picture
keeps its text large when the page is zoomed, where a wide one would shrink it). Left of
the axis, one bar per pay period, each with its own hatching (readable in black and
white) and its label (rate, monthly amount, dates); right of it, one tick per milestone at its
day, and its label led by a marker of its own shape. Labels that would overlap are moved
down, joined to their tick by a line. Colours are the DSFR's, given by classes of
``static/css/cerfa.css`` (the Content-Security-Policy forbids style attributes); an
estimated date is drawn dashed and says « estimation » in words.
"""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal

from rules.dates import ONE_DAY, format_fr
from rules.dossier import Dossier
from rules.remuneration import fr_euros, fr_taux
from rules.timeline import Period, Timeline, timeline_for

WIDTH = 640
TOP = 24  # room for the first label above the first day
AXIS_HEIGHT = 560  # the drawn span, whatever the contract's length
LINE = 17  # one line of text (14-unit font)
GAP = 8  # between two label blocks
PERIOD_TEXT_X = 196  # period labels end here
BAR_X, BAR_WIDTH = 206, 36
AXIS_X = 258  # each milestone has a tick on this line at its day
MARKER_X = 286  # its marker starts its label, where the label could be placed
LABEL_X = 298  # milestone labels start here
LABEL_CHARS = 40  # a milestone label wraps at this many characters
PATTERNS = 4  # hatchings, repeated after the 4th period
# A marker shape per kind of milestone, so that none is told by its colour alone.
SHAPES = {
    "conclusion": "square",
    "debut": "circle",
    "formation_pratique": "diamond",
    "cfa": "diamond",
    "avenant": "square",
    "transmission": "triangle",
    "fin_essai": "ring",
    "epreuves": "square",
    "fin": "circle",
}


def timeline_context(d: Dossier) -> dict | None:
    """What ``wizard/timeline.html`` shows for a dossier; None while the contract's start
    or end is missing."""
    timeline = timeline_for(d)
    if timeline is None:
        return None
    milestones = milestone_rows(timeline)
    periods = period_rows(timeline)
    costs = timeline.costs
    return {
        "title": f"Frise du contrat, du {format_fr(timeline.start)} au {format_fr(timeline.end)}",
        "description": _description(timeline),
        "milestones": milestones,
        "periods": periods,
        "total": fr_euros(costs.total) if costs else "",
        "notes": costs.sentences() if costs else [],
        "grid_problem": timeline.grid_problem,
        "drawing": drawing(timeline, milestones, periods),
    }


def _description(timeline: Timeline) -> str:
    count = len(timeline.periods)
    periods = (
        f"{count} période{'s' if count > 1 else ''} de rémunération"
        if count
        else "aucune période de rémunération (la grille ne peut pas encore être calculée)"
    )
    return (
        f"Le temps s'écoule de haut en bas, du {format_fr(timeline.first)} au "
        f"{format_fr(timeline.last)}. À gauche, {periods} ; à droite, "
        f"{len(timeline.milestones)} dates clés. Les tableaux qui suivent donnent le même "
        "détail."
    )


def milestone_rows(timeline: Timeline) -> list[dict]:
    return [
        {
            "kind": m.kind,
            "iso": m.day.isoformat(),
            "date": format_fr(m.day),
            "label": m.label,
            "detail": m.detail,
            "estimate": m.estimate,
        }
        for m in timeline.milestones
    ]


def _monthly(period: Period) -> str:
    """« 759,78 € », then « puis 774,78 € à partir du 01/11/2024 » for each revaluation."""
    text = fr_euros(period.cost.mensuel)
    for piece in period.cost.revaluations:
        text += f", puis {fr_euros(piece.mensuel)} à partir du {format_fr(piece.du)}"
    return text


def period_rows(timeline: Timeline) -> list[dict]:
    return [
        {
            "index": i,
            "name": p.name,
            "du_iso": p.line.du.isoformat(),
            "au_iso": p.line.au.isoformat(),
            "du": format_fr(p.line.du),
            "au": format_fr(p.line.au),
            "taux": f"{fr_taux(p.line.taux)} % du {p.line.reference}",
            "reason": p.reason,
            "mensuel": fr_euros(p.cost.mensuel),
            "mensuel_detail": _monthly(p),
            "total": fr_euros(p.cost.total),
        }
        for i, p in enumerate(timeline.periods)
    ]


# -- the picture -------------------------------------------------------------------------


def _place(blocks: list[tuple[float, float]]) -> list[float]:
    """Tops for blocks wanted at (top, height), in that order, so that none overlaps the
    one before it: a block is moved down just enough."""
    tops: list[float] = []
    bottom = float("-inf")
    for wanted, height in blocks:
        top = max(wanted, bottom + GAP)
        tops.append(top)
        bottom = top + height
    return tops


def drawing(timeline: Timeline, milestones: list[dict], periods: list[dict]) -> dict:
    """Coordinates of every element of the SVG, in user units of a WIDTH-wide viewBox."""
    first = timeline.first
    days = (timeline.last - first).days + 1

    def y(day: datetime.date) -> float:
        return round(TOP + AXIS_HEIGHT * (day - first).days / days, 1)

    bars = []
    for row, period in zip(periods, timeline.periods, strict=True):
        top, bottom = y(period.line.du), y(period.line.au + ONE_DAY)
        lines = [
            row["name"],
            row["taux"],
            f"{row['mensuel']} par mois",
            f"{row['du']} – {row['au']}",
        ]
        bars.append({**row, "top": top, "height": round(bottom - top, 1), "lines": lines})
    tops = _place([(b["top"] + 2, len(b["lines"]) * LINE) for b in bars])
    for bar, top in zip(bars, tops, strict=True):
        bar["pattern"] = bar["index"] % PATTERNS
        bar["shade"] = "ab"[bar["index"] % 2]
        bar["text"] = _text_lines(bar["lines"], PERIOD_TEXT_X, top)
        middle = top + len(bar["lines"]) * LINE / 2
        # The leader ends inside the bar, at the text's height when it can.
        target = min(max(middle, bar["top"] + 2), bar["top"] + bar["height"] - 2)
        bar["leader"] = {
            "x1": PERIOD_TEXT_X + 3,
            "y1": round(middle, 1),
            "x2": BAR_X,
            "y2": round(target, 1),
        }

    marks = []
    for row in milestones:
        at = y(datetime.date.fromisoformat(row["iso"]))
        wrapped = textwrap.wrap(row["label"], LABEL_CHARS)
        marks.append(
            {**row, "y": at, "lines": [row["date"], *wrapped], "shape": SHAPES[row["kind"]]}
        )
    tops = _place([(m["y"] - LINE + 4, len(m["lines"]) * LINE) for m in marks])
    for mark, top in zip(marks, tops, strict=True):
        mark["text"] = _text_lines(mark["lines"], LABEL_X, top)
        heading = round(top + LINE - 9, 1)  # the middle of the label's first line
        mark["marker"] = _marker(mark["shape"], MARKER_X, heading)
        mark["tick"] = {"x1": AXIS_X - 7, "x2": AXIS_X + 7, "y": mark["y"]}
        mark["leader"] = {"x1": AXIS_X + 7, "y1": mark["y"], "x2": MARKER_X - 8, "y2": heading}

    bottom = max(
        [TOP + AXIS_HEIGHT]
        + [b["text"][-1]["y"] for b in bars]
        + [m["text"][-1]["y"] for m in marks]
    )
    contract_top, contract_bottom = y(timeline.start), y(timeline.end + ONE_DAY)
    return {
        "width": WIDTH,
        "height": round(bottom + 16),
        "axis": {"x": AXIS_X, "y1": TOP, "y2": TOP + AXIS_HEIGHT},
        "contract": {"y1": contract_top, "y2": contract_bottom},
        "bar_x": BAR_X,
        "bar_width": BAR_WIDTH,
        "bars": bars,
        "marks": marks,
        "patterns": list(range(1, PATTERNS)),
    }


def _text_lines(lines: list[str], x: float, top: float) -> list[dict]:
    """Baselines of a block's lines; the first one is the block's heading (bold)."""
    return [
        {"x": x, "y": round(top + LINE * (i + 1) - 4, 1), "text": text, "strong": i == 0}
        for i, text in enumerate(lines)
    ]


def _marker(shape: str, x: float, y: float) -> dict:
    """The marker of a milestone: a circle (``r``) or a polygon (``points``)."""
    r = 6
    if shape in ("circle", "ring"):
        return {"circle": True, "cx": x, "cy": y, "r": r}
    if shape == "square":
        corners = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    elif shape == "diamond":
        corners = [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
    else:  # triangle, pointing down at the day
        corners = [(x - r - 1, y - r), (x + r + 1, y - r), (x, y + r)]
    return {"points": " ".join(f"{_n(a)},{_n(b)}" for a, b in corners)}


def _n(value: float) -> str:
    return f"{Decimal(str(round(value, 1))).normalize():f}"
