"""Plotly figures of a project's baselines, built here and drawn in the browser by plotly.js.

Plotly renders a subset of HTML in its text (titles, tick labels, hover text, annotations),
so every user string is escaped before it goes into a figure. `figure_json` is the one way
a figure leaves Python; the scoring charts use it too.
"""

import orjson
import plotly.graph_objects as go
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portfolio.models import Baseline

# Declared order: external, internal, then the human ladder from random people up to a
# mixture of experts — rising in quality and falling in ease of getting.
KIND_ORDER = {kind: index for index, kind in enumerate(Baseline.Kind.values)}

EXTERNAL = {Baseline.Kind.PUBLISHED, Baseline.Kind.REQUIREMENT}
INTERNAL = {Baseline.Kind.RULE_BASED, Baseline.Kind.SIMPLE_ML}
COLOURS = {"external": "#2563eb", "internal": "#d97706", "human": "#15803d"}
TARGET_COLOUR = "#b91c1c"
CURRENT_COLOUR = "#1f2937"

BAR_HEIGHT = 34
FRAME_HEIGHT = 130
LABEL_ROW_HEIGHT = 16


def figure_json(figure):
    """The figure as the JSON string plotly.js draws (`data` and `layout`)."""
    return orjson.dumps(figure.to_plotly_json(), option=orjson.OPT_SERIALIZE_NUMPY).decode()


def baseline_figure(metric, baselines):
    """One horizontal bar per baseline, with the metric's target and current value as lines.

    Bars run from the external baselines through the internal ones to the human ladder in
    ladder order, so the harder-to-get (and usually more useful) baselines come last.
    """
    baselines = sorted(baselines, key=lambda baseline: (KIND_ORDER[baseline.kind], baseline.pk))
    unit = metric.unit if metric else ""
    positions = list(range(len(baselines)))
    bars = go.Bar(
        orientation="h",
        x=[baseline.value for baseline in baselines],
        y=positions,
        marker_color=[COLOURS[_family(baseline.kind)] for baseline in baselines],
        text=[escape(_with_unit(baseline.value, unit)) for baseline in baselines],
        textposition="auto",
        hovertext=[_hover_text(baseline, unit) for baseline in baselines],
        hoverinfo="text",
    )
    lines = []
    if metric is not None:
        target = _("Target %(direction)s %(value)s") % {
            "direction": metric.direction_symbol,
            "value": _with_unit(metric.threshold, unit),
        }
        lines.append((metric.threshold, target, TARGET_COLOUR, "dash"))
        if metric.current is not None:
            now = _("Now %(value)s") % {"value": _with_unit(metric.current, unit)}
            lines.append((metric.current, now, CURRENT_COLOUR, "dot"))
    # One layout dict, validated once: plotly's update_* and add_vline helpers cost
    # milliseconds each, and this is built on every render of the page.
    layout = {
        "title": {
            "text": escape(metric.name) if metric else _("Baselines without a metric"),
            "x": 0,
            "xanchor": "left",
            "font": {"size": 15},
        },
        "yaxis": {
            "tickmode": "array",
            "tickvals": positions,
            "ticktext": [escape(baseline.get_kind_display()) for baseline in baselines],
            "autorange": "reversed",
            "automargin": True,
        },
        "xaxis": {
            "title": {"text": escape(unit)},
            "gridcolor": "#e5e7eb",
            "zeroline": True,
            "zerolinecolor": "#9aa3af",
            "automargin": True,
        },
        "shapes": [_line(x, colour, dash) for x, _label, colour, dash in lines],
        "annotations": [
            _line_label(x, label, colour, row)
            for row, (x, label, colour, _dash) in enumerate(lines)
        ],
        "height": FRAME_HEIGHT + BAR_HEIGHT * len(baselines),
        "margin": {"l": 10, "r": 40, "t": 80, "b": 40},
        "showlegend": False,
        "template": "none",
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "size": 12, "color": "#1f2937"},
    }
    return go.Figure(data=[bars], layout=layout)


def baseline_charts(metrics, baselines):
    """A (metric, figure JSON) pair for each metric that has baselines, in metric order.

    Baselines of different metrics are not comparable, so each metric gets its own chart;
    baselines without a metric have nothing to be measured against and stay in the table.
    """
    by_metric = {}
    for baseline in baselines:
        if baseline.metric_id is not None:
            by_metric.setdefault(baseline.metric_id, []).append(baseline)
    return [
        (metric, figure_json(baseline_figure(metric, by_metric[metric.pk])))
        for metric in metrics
        if metric.pk in by_metric
    ]


def _family(kind):
    if kind in EXTERNAL:
        return "external"
    if kind in INTERNAL:
        return "internal"
    return "human"


def _with_unit(value, unit):
    return f"{value:g} {unit}".strip()


def _hover_text(baseline, unit):
    lines = [
        f"<b>{escape(baseline.get_kind_display())}</b>",
        escape(_with_unit(baseline.value, unit)),
    ]
    # Truncate before escaping, so an entity is never cut in half.
    lines += [
        escape(Truncator(text).chars(80)) for text in (baseline.source, baseline.note) if text
    ]
    return "<br>".join(lines)


def _line(x, colour, dash):
    """A vertical line at `x` across the whole plot."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": 2, "dash": dash},
    }


def _line_label(x, label, colour, row):
    """The label above the plot, one row per line, so close values do not overlap."""
    return {
        "x": x,
        "xref": "x",
        "y": 1,
        "yref": "paper",
        "yanchor": "bottom",
        "yshift": 2 + LABEL_ROW_HEIGHT * row,
        "text": escape(label),
        "showarrow": False,
        "font": {"color": colour},
    }
