"""Horizontal bar charts as inline SVG, drawn on the server: no script, no chart library.

Accessible by construction: the SVG is an image with a title and a description naming every
value, and the page shows the same numbers in a table next to it. Every label is escaped here.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Wide enough for the longest label, "Clean energy training (CEJA)", at the page font size.
LABEL_WIDTH = 250
VALUE_WIDTH = 70
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP_MARGIN = 6
# Dark enough against white for the 3:1 contrast non-text graphics need (WCAG 1.4.11).
BAR_COLOUR = "#1f5f99"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int


def bar_chart_svg(bars: Sequence[Bar], *, title: str, chart_id: str, width: int = 640) -> str:
    """An <svg> element: one bar per value, lengths proportional to the largest value."""
    if width <= LABEL_WIDTH + VALUE_WIDTH:
        raise ValueError(f"a chart needs more than {LABEL_WIDTH + VALUE_WIDTH} pixels of width")
    if any(bar.value < 0 for bar in bars):
        raise ValueError("bar values are counts: never negative")
    track = width - LABEL_WIDTH - VALUE_WIDTH
    largest = max((bar.value for bar in bars), default=0)
    height = TOP_MARGIN * 2 + ROW_HEIGHT * len(bars)
    description = "; ".join(f"{bar.label}: {bar.value}" for bar in bars) or "no data"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for row, bar in enumerate(bars):
        top = TOP_MARGIN + row * ROW_HEIGHT
        middle = top + ROW_HEIGHT / 2
        length = round(track * bar.value / largest) if largest else 0
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:g}" text-anchor="end" dominant-baseline="middle">'
            f"{escape(bar.label)}</text>"
        )
        parts.append(
            f'<rect class="bar" fill="{BAR_COLOUR}" x="{LABEL_WIDTH}" y="{top + (ROW_HEIGHT - BAR_HEIGHT) / 2:g}" '
            f'width="{length}" height="{BAR_HEIGHT}"></rect>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle:g}" dominant-baseline="middle">{bar.value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
