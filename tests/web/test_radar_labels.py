"""The radar's axis labels stay inside the drawing (app/web/charts.py): a label that, centred on its spoke's end, would
run past the chart's edge is set flush against that edge, so no font or phone cuts it off."""

from __future__ import annotations

import re

import pytest

from app.web.charts import radar

LABEL = re.compile(r'<text x="(?P<x>-?[\d.]+)"[^>]*dy="[^"]*" style="(?P<style>[^"]*)">(?P<text>[^<]*)</text>')
PLOT_X = re.compile(r'<g transform="translate\((?P<x>[\d.]+), [\d.]+\)" class="plot">')


def _labels(axes: list[str]) -> dict[str, tuple[float, str]]:
    """Each axis label's x in the whole drawing (420 wide) and its text-anchor ("" where centred)."""
    svg = str(radar(axes, {"rep": [10.0] * len(axes)}, max_value=20))
    plot_x = float(PLOT_X.search(svg)["x"])
    found = {}
    for label in LABEL.finditer(svg):
        anchor = re.search(r"text-anchor: (\w+)", label["style"])
        found[label["text"]] = (float(label["x"]) + plot_x, anchor[1] if anchor else "")
    return found


@pytest.mark.parametrize(
    "axes",
    [
        ["Power", "Problem", "Vision", "Value", "Control"],
        ["Problem", "Power", "Vision", "Value", "Control"],
        ["Implication depth", "Discovery", "SPIN use", "Pitch timing", "Listening", "Objections", "Advance"],
    ],
)
def test_a_long_side_label_is_set_flush_inside_the_edge(axes: list[str]) -> None:
    labels = _labels(axes)
    assert set(labels) == set(axes)
    for text, (x, anchor) in labels.items():
        assert 0 < x < 420, text
        if anchor == "end":
            assert x <= 416, text  # flush against the right edge, 4 units clear
        elif anchor == "start":
            assert x >= 4, text
    assert any(anchor for _, anchor in labels.values()), "a long side label was moved"


def test_short_chinese_labels_stay_centred_on_their_spokes() -> None:
    assert all(anchor == "" for _, anchor in _labels(["权力", "问题", "愿景", "价值", "控制"]).values())
