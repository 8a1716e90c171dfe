"""Server-side SVG charts with pygal: readable in Chinese, no scripts, safe to inline in a page."""

import html
import math
import re

import pygal
from markupsafe import Markup
from pygal.style import Style

_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)

_COLOURS = ("#2563eb", "#059669", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777")
_STYLE_OPTIONS = {
    "font_family": '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif',
    "background": "transparent",
    "plot_background": "transparent",
    "colors": _COLOURS,
    "label_font_size": 13,
    "major_label_font_size": 13,
    "legend_font_size": 13,
    "title_font_size": 15,
    "value_font_size": 12,
    "tooltip_font_size": 12,
}
_STYLE = Style(**_STYLE_OPTIONS)


def _sized(**font_sizes) -> Style:
    """The house style with other font sizes (for charts drawn small or with many labels)."""
    return Style(**_STYLE_OPTIONS | font_sizes)


def _tint(colour: str, strength: float = 0.7) -> str:
    """`colour` as it shows at `strength` opacity over white."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * strength + 255 * (1 - strength)):02x}" for c in channels)


# Bars with printed values are drawn opaque (in the tint the usual 0.7 opacity gives): a see-through bar shows the
# gridlines behind it, and a value printed mid-bar then sits on one (a "2" on the 1-line of a 0-3 scale).
_SOLID_BARS = {
    "opacity": "1",
    "opacity_hover": "1",
    "colors": tuple(_tint(colour) for colour in _COLOURS),
}


def _bar_style(**font_sizes) -> Style:
    return _sized(**_SOLID_BARS | font_sizes)


def _config(**options) -> dict:
    # js=[]: pygal would otherwise load its tooltip script from the internet (and the CSP forbids it).
    base = {
        "style": _STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": 640,
        "height": 360,
        "print_values": False,
        "legend_at_bottom": True,
        "no_data_text": "",  # pygal's own is English and 64px: a caller that can show an empty chart passes its words
    }
    base.update(options)
    return base


def _render(chart) -> Markup:
    # pygal inlines a config <script> for its optional tooltips; the page's CSP forbids inline scripts.
    # pygal builds the SVG with an XML library, so labels (which may hold user text) arrive escaped.
    return Markup(_SCRIPT.sub("", chart.render(is_unicode=True)))


# A radar's axis label as pygal writes it: turned along its spoke (pygal reads x_label_rotation=0 as "not set").
_RADAR_LABEL = re.compile(
    r'<text x="(?P<x>-?[\d.]+)" y="(?P<y>-?[\d.]+)" class="(?P<cls>[^"]*)" transform="rotate\([^)]*\)">'
    r"(?P<text>[^<]*)</text>"
)
_VIEW_WIDTH = re.compile(r'viewBox="0 0 (?P<width>[\d.]+) [\d.]+"')
_PLOT_OFFSET = re.compile(r'<g transform="translate\((?P<x>-?[\d.]+), -?[\d.]+\)" class="plot">')
_EDGE_GAP = 4.0  # drawing units kept clear between a label and the chart's edge


# A spoke ends under its label: a halo in the page's colour keeps the label clear of the line.
_HALO = "paint-order: stroke; stroke: var(--pico-background-color, #fff); stroke-width: 5px; stroke-linejoin: round"


def _upright_labels(svg: str, font_size: float) -> str:
    """The radar's axis labels set upright, as people read them: the turn dropped, each label centred on its point,
    the side ones centred on it vertically too and the lower ones hung below it, so none crosses the web. The labels'
    mean point is the centre (they sit evenly round it). A label that, centred, would run past the chart's edge (a
    long English side label: "Control" on a phone) is set flush against that edge instead, so it is never cut off."""
    points = [(float(found["x"]), float(found["y"])) for found in _RADAR_LABEL.finditer(svg)]
    if not points:
        return svg
    centre_x = sum(x for x, _ in points) / len(points)
    centre_y = sum(y for _, y in points) / len(points)
    radius = max(abs(x - centre_x) for x, _ in points) or 1.0
    view = _VIEW_WIDTH.search(svg)
    offset = _PLOT_OFFSET.search(svg)
    plot_x = float(offset["x"]) if offset else 0.0
    left_edge = _EDGE_GAP - plot_x  # the chart's edges in the plot's own units
    right_edge = (float(view["width"]) if view else math.inf) - _EDGE_GAP - plot_x

    def upright(found: re.Match[str]) -> str:
        x, y = float(found["x"]), float(found["y"])
        beside = abs(x - centre_x) >= 0.3 * radius  # left or right of the web, not above or below it
        shift = "0.9em" if y > centre_y + 1 else "0.35em" if beside else "0"
        half = _ems(html.unescape(found["text"])) * font_size / 2  # about half its drawn width
        anchor = ""
        if x + half > right_edge:
            x, anchor = right_edge, "text-anchor: end; "
        elif x - half < left_edge:
            x, anchor = left_edge, "text-anchor: start; "
        return (
            f'<text x="{x:g}" y="{found["y"]}" class="{found["cls"]}" dy="{shift}" style="{anchor}{_HALO}">'
            f"{found['text']}</text>"
        )

    return _RADAR_LABEL.sub(upright, svg)


_RADAR_LABEL_SIZE = 18


def radar(axes: list[str], series: dict[str, list[float]], *, title: str = "", max_value: float = 100) -> Markup:
    """One polygon per series over the same axes (e.g. 5K dimensions per rep).

    Drawn in a 420-unit square: a card about 20rem wide shows it at roughly its own size, so the 18-unit axis labels
    stay readable (no ~9 px text), and the inner value labels are hidden so nothing collides with the centre. The
    axis labels are set upright (see _upright_labels)."""
    chart = pygal.Radar(
        **_config(
            title=title,
            range=(0, max_value),
            fill=True,
            show_legend=len(series) > 1,
            width=420,
            height=420,
            margin=24,
            show_y_labels=False,
            show_y_guides=True,
            style=_sized(
                label_font_size=_RADAR_LABEL_SIZE,
                major_label_font_size=_RADAR_LABEL_SIZE,
                title_font_size=20,
                legend_font_size=16,
            ),
        )
    )
    chart.x_labels = axes
    for name, values in series.items():
        chart.add(name, values)
    return Markup(_upright_labels(_render(chart), _RADAR_LABEL_SIZE))


def bars(
    labels: list[str],
    series: dict[str, list[float]],
    *,
    title: str = "",
    max_value: float | None = None,
    horizontal: bool = False,
    counts: bool = False,
    compact: bool = False,
) -> Markup:
    """`counts`: the values are whole numbers (questions asked), so the axis is marked in whole numbers too.
    `compact`: drawn in a 420 x 280 box with larger type, for a card a phone shows ~330 px wide (labels ~12 px
    there, not the ~7 px of the 640-unit drawing)."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    options: dict = {"title": title, "show_legend": len(series) > 1, "print_values": True, "style": _bar_style()}
    if compact:
        options |= {
            "width": 420,
            "height": 280,
            "truncate_label": -1,
            "style": _bar_style(label_font_size=15, major_label_font_size=15, value_font_size=16, legend_font_size=15),
            "value_formatter": lambda value: f"{value:g}" if value else "",  # no "0" drawn over the axis
        }
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


def lines(
    x_labels: list[str],
    series: dict[str, list[float | None]],
    *,
    title: str = "",
    max_value: float = 100,
    narrow: bool = False,
) -> Markup:
    """Scores over time; None leaves a gap. `narrow`: drawn for a phone (360 units wide, as a 390 px screen shows
    it, so its labels keep their size instead of shrinking to a third; a few dates labelled, not all)."""
    size = (
        {
            "width": 360,
            "height": 320,
            "x_labels_major_every": max(1, math.ceil(len(x_labels) / 4)),
            "show_minor_x_labels": len(x_labels) <= 4,
            "style": _sized(label_font_size=13, major_label_font_size=13, legend_font_size=14),
        }
        if narrow
        else {}
    )
    chart = pygal.Line(
        **_config(
            title=title,
            range=(0, max_value),
            show_legend=True,
            x_label_rotation=30,
            allow_interruptions=True,
            dots_size=4,
            **size,
        )
    )
    chart.x_labels = x_labels
    for name, values in series.items():
        chart.add(name, values)
    return _render(chart)


def _horizontal_bars(rows: list[tuple[str, float]], *, series: str, font_size: int, **options) -> Markup:
    """One horizontal bar per (label, value) row, top down in the rows' order, each label whole (and inside the
    chart, Chinese too) and the value printed on its bar."""
    chart = pygal.HorizontalBar(
        **_config(
            show_legend=False,
            print_values=True,
            truncate_label=-1,
            height=60 + 40 * len(rows),
            margin_left=_label_margin([label for label, _ in rows], font_size),
            style=_bar_style(label_font_size=font_size, value_font_size=font_size),
            **options,
        )
    )
    shown = list(reversed(rows))  # pygal draws the first bar at the bottom: the first row goes on top
    chart.x_labels = [label for label, _ in shown]
    chart.add(series, [value for _, value in shown])
    return Markup(_zero_values_beside_the_axis(_render(chart)))


_BAR_START = re.compile(
    r'<rect x="(?P<x>-?[\d.]+)" y="[^"]*" rx="0" ry="0"(?: width="[^"]*")? height="[^"]*" class="rect '
)
_CENTRED_VALUE = re.compile(r'<text text-anchor="middle" x="(?P<x>-?[\d.]+)"(?P<rest> y="[^"]*" class="value)')


def _zero_values_beside_the_axis(svg: str) -> str:
    """A zero bar's printed value ("0%") set just right of the axis instead of centred on it, where its left half
    ran into the row's label ("…ERP selection0%")."""
    starts = [float(found["x"]) for found in _BAR_START.finditer(svg)]
    if not starts:
        return svg
    axis = min(starts)

    def beside(found: re.Match[str]) -> str:
        if abs(float(found["x"]) - axis) > 0.5:
            return found[0]
        return f'<text text-anchor="start" dx="4" x="{found["x"]}"{found["rest"]}'

    return _CENTRED_VALUE.sub(beside, svg)


def stages(stages: list[tuple[str, float]], *, title: str = "") -> Markup:
    """Deals per pipeline stage: one horizontal bar per stage with its full name, the count printed on it.

    Not a cumulative funnel: a deal counts once, at the stage it is at (a won deal only at 结案)."""
    top = max(1, math.ceil(max((value for _, value in stages), default=0)))
    return _horizontal_bars(
        stages,
        series=title or "",
        font_size=15,
        title=title,
        range=(0, top),
        y_labels=list(range(0, top + 1, math.ceil(top / 5))),
        width=480,
        value_formatter=lambda value: f"{value:g}" if value else "",
    )


def rates(rows: list[tuple[str, float]], *, title: str = "", series: str = "") -> Markup:
    """Percentages (0-100) per row, one horizontal bar each with its full label on the left and "NN%" on it:
    drill titles that share their first words ("#3 Regional logistics…", "#4 Regional logistics…") stay
    distinguishable, where a column chart's axis would cut them all to the same dozen characters."""
    return _horizontal_bars(
        rows,
        series=series,
        font_size=14,
        title=title,
        range=(0, 100),
        y_labels=[0, 25, 50, 75, 100],
        width=640,
        value_formatter=lambda value: f"{value:.0f}%",
    )


def _ems(text: str) -> float:
    """A text's width in ems: a CJK character is about one em wide, Latin about 0.6 em."""
    return sum(1.0 if ord(char) > 0x2E80 else 0.6 for char in text)


def _label_margin(labels: list[str], font_size: int, margin: int = 20) -> int:
    """The left margin that fits the longest axis label: pygal sizes it for 0.6 em a character, so Chinese
    labels (one em each) would run off the chart's left edge."""
    shortfall = max((_ems(label) - 0.6 * len(label) for label in labels), default=0.0)
    return margin + math.ceil(shortfall * font_size)


def _legend_columns(names: list[str], width: int, font_size: int, most: int = 5) -> int:
    """How many legend columns fit the longest name, so "Implication question" does not run over the next
    swatch."""
    longest = max((_ems(name) for name in names), default=0.0)
    column = longest * font_size + 2.5 * font_size  # the swatch and a gap
    return max(1, min(len(names), most, int(width // column)))


def stacked_shares(labels: list[str], series: dict[str, list[float]], *, title: str = "") -> Markup:
    """100 % stacked horizontal bars, one per label (e.g. each rep's SPIN mix): readable at 15 and more rows,
    because each row gets its own line and the shares are printed only where the segment is wide enough."""
    chart = pygal.HorizontalStackedBar(
        **_config(
            title=title,
            show_legend=True,
            print_values=True,
            range=(0, 100),
            truncate_label=-1,
            height=110 + 34 * len(labels),
            width=720,
            legend_at_bottom=True,
            legend_at_bottom_columns=_legend_columns(list(series), 720, 13),
            truncate_legend=-1,  # "Situation que…" said nothing; the names are short enough in both languages
            value_formatter=lambda value: f"{value:.0f}%" if value >= 8 else "",
            y_labels=[0, 25, 50, 75, 100],
            style=_bar_style(label_font_size=14, value_font_size=12),
        )
    )
    chart.x_labels = labels
    for name, values in series.items():
        chart.add(name, values)
    return _render(chart)


def small_lines(
    x_labels: list[str], values: list[float | None], *, title: str = "", max_value: float = 100, no_data: str = ""
) -> Markup:
    """One small line chart (for small multiples: one per skill instead of seven overlapping lines); `no_data` is
    said, small, in the plot when no point has a value (a skill that applied to none of the calls)."""
    chart = pygal.Line(
        **_config(
            title=title,
            range=(0, max_value),
            show_legend=False,
            allow_interruptions=True,
            dots_size=3,
            width=360,
            height=200,
            # many points: label every few (first, then evenly spaced) instead of none, so the dates stay readable
            x_labels_major_every=max(1, math.ceil(len(x_labels) / 5)),
            show_minor_x_labels=len(x_labels) <= 8,
            x_label_rotation=30,
            print_values=False,
            y_labels=[0, 50, 100],
            no_data_text=no_data,
            style=_sized(label_font_size=13, major_label_font_size=13, title_font_size=16, no_data_font_size=14),
        )
    )
    chart.x_labels = x_labels
    chart.add(title, values)
    return _render(chart)
