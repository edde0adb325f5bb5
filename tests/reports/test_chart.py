"""Server-drawn SVG bar charts: proportional bars, escaped labels, an accessible name."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest

from bot.reports.chart import LABEL_WIDTH, VALUE_WIDTH, Bar, bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def bar_widths(svg: str) -> list[int]:
    return [int(rect.get("width")) for rect in parsed(svg).iter(f"{SVG}rect")]


@pytest.mark.parametrize(
    ("values", "widths"),
    [
        ([100, 50, 25, 0], [360, 180, 90, 0]),
        ([3, 1], [360, 120]),
        ([0, 0], [0, 0]),  # nothing to draw, and no division by zero
        ([7], [360]),
    ],
)
def test_bars_are_proportional_to_the_largest(values, widths) -> None:
    svg = bar_chart_svg([Bar(f"stage {n}", value) for n, value in enumerate(values)], title="t", chart_id="c", width=680)
    assert 680 - LABEL_WIDTH - VALUE_WIDTH == 360
    assert bar_widths(svg) == widths


def test_labels_are_escaped_and_values_described() -> None:
    svg = bar_chart_svg([Bar("<script>alert(1)</script>", 4), Bar("A & B", 2)], title="Funnel <x>", chart_id="f")
    assert "<script>" not in svg
    root = parsed(svg)  # well-formed XML even with markup in the labels
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert texts == ["<script>alert(1)</script>", "4", "A & B", "2"]
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "f-title f-desc"
    assert root.find(f"{SVG}title").text == "Funnel <x>"
    assert root.find(f"{SVG}desc").text == "<script>alert(1)</script>: 4; A & B: 2"


def test_height_grows_with_the_number_of_bars() -> None:
    heights = [int(parsed(bar_chart_svg([Bar("x", 1)] * n, title="t", chart_id="c")).get("height")) for n in (1, 2, 5)]
    assert heights[0] < heights[1] < heights[2]
    assert re.fullmatch(r"\d+", str(heights[2]))


@pytest.mark.parametrize(
    ("bars", "width", "message"),
    [
        ([Bar("x", -1)], 640, "never negative"),
        ([Bar("x", 1)], LABEL_WIDTH + VALUE_WIDTH, "more than"),
    ],
)
def test_refuses_what_it_cannot_draw(bars, width, message) -> None:
    with pytest.raises(ValueError, match=message):
        bar_chart_svg(bars, title="t", chart_id="c", width=width)
