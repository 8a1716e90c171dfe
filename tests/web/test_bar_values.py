"""A value printed on a bar stays clear of the gridlines (UI walk: the scorecard's SPIN "2" sat on the 1-line):
bars with printed values are drawn opaque, in the tint the see-through bars used to show, so no gridline shows
through them."""

import re

from app.web import charts


def _bar_opacity(svg: str) -> set[str]:
    return set(re.findall(r"\.reactive\{fill-opacity:([\d.]+)", svg))


def test_bars_with_printed_values_hide_the_gridlines_behind_them():
    drawn = [
        charts.bars(["S", "P", "I", "N"], {"": [3, 3, 2, 2]}, counts=True, compact=True),
        charts.bars(["a", "b"], {"": [2, 1]}, counts=True),
        charts.bars(["问题", "价值"], {"": [10, 5]}, max_value=20, horizontal=True, compact=True),
        charts.rates([("#1 区域物流运输管理", 50)]),
        charts.stages([("10% 发现", 2)]),
    ]
    for svg in map(str, drawn):
        assert _bar_opacity(svg) == {"1"}, _bar_opacity(svg)
        assert "fill:#6692f1" in svg  # the house blue as it showed at 0.7 opacity


def test_lines_keep_their_see_through_fill():
    svg = str(charts.small_lines(["12-01", "12-02"], [40, 60], title="x"))
    assert _bar_opacity(svg) != {"1"}


def test_a_zero_rate_is_printed_beside_the_axis_not_over_its_label():
    """UI walk: a drill nobody passed showed "…ERP selection0%", the value centred on the axis, half over the label."""
    svg = str(charts.rates([("#1 维生素原料厂 ERP 选型", 50), ("#2 Supermarket chain member marketing", 0)]))
    values = dict(
        (text, anchor) for anchor, text in re.findall(r'<text text-anchor="(\w+)"[^>]*class="value">([^<]*)<', svg)
    )
    assert values == {"0%": "start", "50%": "middle"}
