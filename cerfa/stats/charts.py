"""Bar charts as SVG, drawn on the server: readable without JavaScript, no library.

Each chart is a list of labelled values drawn as horizontal bars; the template
(templates/stats/chart.html) writes the SVG and, below it, the same values as a table,
which is what a screen reader reads. Only geometry is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 720
LABEL_WIDTH = 300  # room for the labels, right-aligned before the bars
VALUE_WIDTH = 70  # room for the value written after the longest bar
ROW = 28  # height of one row
BAR = 18  # height of one bar
MAX_LABEL = 44  # characters of a label drawn in the chart (the table has it whole)


def number_fr(value: int | float) -> str:
    """12 345, the French way (a narrow no-break space between thousands)."""
    if isinstance(value, float):
        text = f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")
    else:
        text = f"{value:,}".replace(",", "\u202f")
    return text


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    shown: str
    y: int
    text_y: int
    width: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    column: str  # the table's header for the values
    bars: tuple[Bar, ...]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bar_chart(key: str, title: str, rows: list[tuple[str, int]], column: str = "Nombre") -> Chart:
    top = max((value for _, value in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * ROW + (ROW - BAR) // 2
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"
        bars.append(
            Bar(
                label=label,
                short_label=short,
                value=value,
                shown=number_fr(value),
                y=y,
                text_y=y + BAR - 4,
                width=(width := round(room * value / top) if top else 0),
                value_x=LABEL_WIDTH + width + 6,
            )
        )
    return Chart(key, title, column, tuple(bars), height=max(ROW, len(rows) * ROW))
