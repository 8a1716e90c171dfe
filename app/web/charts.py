"""Server-side SVG charts with pygal: readable in Chinese, no scripts, safe to inline in a page."""

import math
import re

import pygal
from markupsafe import Markup
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)

_STYLE_OPTIONS = {
    "font_family": '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif',
    "background": "transparent",
    "plot_background": "transparent",
    "colors": ("#2563eb", "#059669", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777"),
    "label_font_size": 13,
    "major_label_font_size": 13,
    "legend_font_size": 13,
    "title_font_size": 15,
    "value_font_size": 12,
    "tooltip_font_size": 12,
}
_STYLE = Style(**_STYLE_OPTIONS)
_RADAR_STYLE = Style(**_STYLE_OPTIONS | {"label_font_size": 16, "major_label_font_size": 16})


def _config(**options) -> dict:
    # js=[]: pygal would otherwise load its tooltip script from the internet (and the CSP forbids it).
    base = {"style": _STYLE, "js": [], "disable_xml_declaration": True, "explicit_size": False,
            "width": 640, "height": 360, "print_values": False, "legend_at_bottom": True}
    base.update(options)
    return base


def _render(chart) -> Markup:
    # pygal inlines a config <script> for its optional tooltips; the page's CSP forbids inline scripts.
    # pygal builds the SVG with an XML library, so labels (which may hold user text) arrive escaped.
    return Markup(_SCRIPT.sub("", chart.render(is_unicode=True)))


def radar(axes: list[str], series: dict[str, list[float]], *, title: str = "", max_value: float = 100) -> Markup:
    """One polygon per series over the same axes (e.g. 5K dimensions per rep)."""
    # Axis names are read at a glance: larger than pygal's default, with room so they do not touch the centre.
    chart = pygal.Radar(**_config(title=title, range=(0, max_value), fill=True, show_legend=len(series) > 1,
                                  height=420, margin=28, style=_RADAR_STYLE, y_labels=[0, 10, 20] if max_value == 20
                                  else None))
    chart.x_labels = axes
    for name, values in series.items():
        chart.add(name, values)
    return _render(chart)


def bars(labels: list[str], series: dict[str, list[float]], *, title: str = "", max_value: float | None = None,
         horizontal: bool = False, counts: bool = False) -> Markup:
    """`counts`: the values are whole numbers (questions asked), so the axis is marked in whole numbers too."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    options = {"title": title, "show_legend": len(series) > 1, "print_values": True}
    if max_value is not None:
        options["range"] = (0, max_value)
    if counts:
        top = max(1, math.ceil(max((value for values in series.values() for value in values), default=0)))
        options["range"] = (0, top)
        options["y_labels"] = list(range(0, top + 1, math.ceil(top / 5)))
    chart = kind(**_config(**options))
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return _render(chart)


def stage_bars(stages: list[tuple[str, float]], *, title: str = "") -> Markup:
    """Deals per pipeline stage, one horizontal bar each, in stage order; labels are never cut."""
    top = max(1, math.ceil(max((value for _, value in stages), default=0)))
    # margin_left: pygal measures labels in Latin widths; Chinese ones are wider and would be cut at the edge.
    chart = pygal.HorizontalBar(**_config(title=title, show_legend=False, print_values=True, range=(0, top),
                                          truncate_label=-1, margin_left=36, height=max(200, 48 * len(stages) + 80),
                                          y_labels=list(range(0, top + 1, math.ceil(top / 5)))))
    chart.x_labels = [name for name, _ in reversed(stages)]  # pygal draws the first label at the bottom
    chart.add(title or " ", [value for _, value in reversed(stages)])
    return _render(chart)


def shares(row_labels: list[str], series: dict[str, list[float]], *, title: str = "") -> Markup:
    """100 % stacked horizontal bars, one row per item (e.g. each rep's SPIN mix); the values are percentages.
    Shares under 8 % are not printed, so labels never run together; rows grow with the number of items."""
    chart = pygal.HorizontalStackedBar(**_config(
        title=title, show_legend=True, print_values=True, range=(0, 100), truncate_label=-1, margin_left=36,
        height=max(220, 34 * len(row_labels) + 120),
        formatter=lambda value: f"{value:.0f}%" if value is not None and value >= 8 else ""))
    chart.x_labels = list(reversed(row_labels))
    for name, values in series.items():
        chart.add(name, list(reversed(values)))
    return _render(chart)


def small_line(x_labels: list[str], values: list[float | None], *, max_value: float = 100) -> Markup:
    """One series in a small chart, for a grid of small multiples (one per skill); None leaves a gap."""
    chart = pygal.Line(**_config(range=(0, max_value), show_legend=False, width=360, height=200, dots_size=3,
                                 allow_interruptions=True, show_x_labels=len(x_labels) <= 6, x_label_rotation=30,
                                 y_labels=[0, 50, 100], print_values=False))
    chart.x_labels = x_labels
    chart.add(" ", values)
    return _render(chart)


def lines(x_labels: list[str], series: dict[str, list[float | None]], *, title: str = "",
          max_value: float = 100) -> Markup:
    """Scores over time; None leaves a gap."""
    chart = pygal.Line(**_config(title=title, range=(0, max_value), show_legend=True, x_label_rotation=30,
                                 allow_interruptions=True, dots_size=4))
    chart.x_labels = x_labels
    for name, values in series.items():
        chart.add(name, values)
    return _render(chart)


def funnel(stages: list[tuple[str, float]], *, title: str = "") -> Markup:
    """A sales funnel: one band per stage, widest first."""
    # The funnel's y-axis has no meaning (bands are centred); the values are printed on the bands.
    chart = pygal.Funnel(**_config(title=title, show_legend=True, print_values=True, legend_at_bottom=False,
                                   show_y_labels=False, show_y_guides=False))
    for name, value in stages:
        chart.add(name, [value])
    return _render(chart)
