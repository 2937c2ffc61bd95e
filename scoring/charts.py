"""Plotly figures of the engine's output: the impact × feasibility matrix.

The figures only draw what `scoring.engine` computed; nothing here scores. Plotly renders
a subset of HTML in hover text, labels and legends, so every user string (titles, team
names) is escaped before it goes into a figure. `portfolio.charts.figure_json` turns a
figure into the JSON the page hands to plotly.js.
"""

import math

import plotly.graph_objects as go
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import engine
from scoring.models import Quadrant

# Above this many points the browser draws with WebGL, which stays responsive with
# tens of thousands of points where SVG does not.
WEBGL_ABOVE = 2000

SIZE_NAMES = {
    "effort": gettext_lazy("Effort (weeks)"),
    "value": gettext_lazy("Expected value"),
}
SIZE_FIELDS = tuple(SIZE_NAMES)
COLOUR_NAMES = {
    "archetype": gettext_lazy("Archetype"),
    "team": gettext_lazy("Team"),
    "stage": gettext_lazy("Stage"),
    "status": gettext_lazy("Status"),
}
COLOUR_FIELDS = tuple(COLOUR_NAMES)

MIN_SIZE = 8
MAX_SIZE = 36
DEFAULT_SIZE = 12  # a project without an effort (or value) estimate

# Exact duplicates are spread on a small spiral (golden angle), in rank order, so each stays
# visible and clickable; a step of a fraction of a point cannot change what a reader sees.
JITTER_STEP = 0.8
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

PALETTE = (
    "#2563eb", "#d97706", "#15803d", "#9333ea", "#dc2626",
    "#0891b2", "#ca8a04", "#4f46e5", "#be185d", "#65a30d",
)  # fmt: skip
QUADRANT_SHADES = {
    engine.DO_FIRST: "#dcfce7",
    engine.BIG_BET: "#dbeafe",
    engine.FILL_IN: "#fef3c7",
    engine.DEPRIORITIZE: "#f3f4f6",
}
LABEL_LENGTH = 30
KEY_PLACEHOLDER = "project-key-placeholder"


def matrix_figure(
    rows,
    profile,
    *,
    size_by="effort",
    colour_by="archetype",
    show_spread=True,
    top_k=None,
    before=None,
    before_name="",
):
    """The 2×2 matrix: one bubble per ranked project, over the profile's four quadrants.

    `rows` are (project, ProjectScore) pairs in rank order, as `ScoredPortfolio.rows()`
    gives them; unranked projects are skipped here and listed beside the chart by the page.
    Bubbles are grouped into one trace per colour, so the legend names the groups; each
    bubble's `customdata` is its project's URL, for a click to open it. Only the top
    `top_k` (the profile's by default) carry a label, so the chart stays readable.

    `before` maps a project's pk to its (impact, feasibility) at an earlier time, e.g. a
    snapshot named `before_name`: an arrow then runs from there to where it is now.
    """
    if size_by not in SIZE_FIELDS:
        raise ValueError(f"Unknown bubble size {size_by!r}.")
    if colour_by not in COLOUR_FIELDS:
        raise ValueError(f"Unknown bubble colour {colour_by!r}.")
    top_k = profile.top_k if top_k is None else top_k
    rows = [(project, score) for project, score in rows if score.rank is not None]
    large = len(rows) > WEBGL_ABOVE
    positions = _spread_duplicates(rows)
    sizes = _sizes([_size_value(project, size_by) for project, _score in rows])
    url_prefix, url_suffix = reverse("project", kwargs={"key": KEY_PLACEHOLDER}).split(
        KEY_PLACEHOLDER
    )
    group_label, hover_text = _group_labeller(colour_by), _hover_writer()
    groups = {}
    for index, (project, _score) in enumerate(rows):
        groups.setdefault(group_label(project), []).append(index)
    traces = []
    for number, (label, indexes) in enumerate(sorted(groups.items())):
        trace = {
            "type": "scattergl" if large else "scatter",
            "name": escape(label),
            "mode": "markers+text",
            "x": [positions[i][0] for i in indexes],
            "y": [positions[i][1] for i in indexes],
            "text": [_label(*rows[i], top_k) for i in indexes],
            "textposition": "top center",
            "hovertext": [hover_text(*rows[i]) for i in indexes],
            "hoverinfo": "text",
            "customdata": [url_prefix + rows[i][0].key + url_suffix for i in indexes],
            "marker": {
                "size": [sizes[i] for i in indexes],
                "color": PALETTE[number % len(PALETTE)],
                "opacity": 0.75,
                "line": {"width": 1, "color": "#ffffff"},
            },
        }
        if show_spread:
            trace["error_x"] = _error_bars([rows[i][1].feasibility_spread for i in indexes])
            trace["error_y"] = _error_bars([rows[i][1].impact_spread for i in indexes])
        traces.append(trace)
    if before:
        traces.insert(0, _arrows(rows, positions, before, before_name))
    return go.Figure(data=traces, layout=_layout(profile, colour_by))


def _arrows(rows, positions, before, name):
    """One trace of arrows from each project's earlier position to its bubble, if it moved.

    Drawn as SVG below the bubbles whatever the portfolio's size: only moved projects get
    an arrow, and the arrowhead turns to follow its segment (marker angle "previous").
    """
    x, y, sizes = [], [], []
    for (project, score), (feasibility, impact) in zip(rows, positions, strict=True):
        old = before.get(project.pk)
        if old is None or None in old:
            continue
        old_point = (round(old[1], 1), round(old[0], 1))
        if old_point == (round(score.feasibility, 1), round(score.impact, 1)):
            continue
        x += [old_point[0], feasibility, None]
        y += [old_point[1], impact, None]
        sizes += [0, 9, 0]
    return {
        "type": "scatter",
        "name": escape(name),
        "mode": "lines+markers",
        "x": x,
        "y": y,
        "hoverinfo": "skip",
        "line": {"color": "#6b7280", "width": 1},
        "marker": {"symbol": "arrow", "angleref": "previous", "size": sizes, "color": "#6b7280"},
    }


def _spread_duplicates(rows):
    """Rounded (feasibility, impact) per row; exact duplicates after the first move a little."""
    seen = {}
    positions = []
    for _project, score in rows:
        point = (round(score.feasibility, 1), round(score.impact, 1))
        count = seen.get(point, 0)
        seen[point] = count + 1
        if count:
            radius = JITTER_STEP * math.sqrt(count)
            angle = GOLDEN_ANGLE * count
            point = (
                round(point[0] + radius * math.cos(angle), 2),
                round(point[1] + radius * math.sin(angle), 2),
            )
        positions.append(point)
    return positions


def _size_value(project, size_by):
    return project.effort_weeks if size_by == "effort" else project.expected_value


def _sizes(values):
    """Bubble diameters whose area grows with the value; a missing value gets the default."""
    largest = max((value for value in values if value), default=0)
    return [
        DEFAULT_SIZE
        if value is None or not largest
        else round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(value / largest), 1)
        for value in values
    ]


def _group_labeller(colour_by):
    """A function naming a project's colour group; each choice's label is translated once."""
    if colour_by == "team":
        return lambda project: project.team.name
    labels = {}

    def label(project):
        value = getattr(project, colour_by)
        if value not in labels:
            labels[value] = str(getattr(project, f"get_{colour_by}_display")())
        return labels[value]

    return label


def _label(project, score, top_k):
    if score.rank > top_k:
        return ""
    # Truncate before escaping, so an entity is never cut in half.
    return escape(Truncator(project.title).chars(LABEL_LENGTH))


def _hover_writer():
    """A function writing a bubble's hover card; the words are translated once per figure."""
    impact, feasibility = _("Impact %(value).1f"), _("Feasibility %(value).1f")
    priority, rank = _("Priority %(value).1f"), _("Rank %(rank)d")
    quadrants = {value: escape(str(label)) for value, label in Quadrant.choices}

    def hover_text(project, score):
        return "<br>".join(
            [
                f"<b>{escape(project.title)}</b>",
                escape(project.team.name),
                impact % {"value": score.impact},
                feasibility % {"value": score.feasibility},
                priority % {"value": score.priority},
                rank % {"rank": score.rank},
                quadrants[score.quadrant],
            ]
        )

    return hover_text


def _error_bars(spreads):
    return {
        "type": "data",
        "array": [round(spread or 0, 1) for spread in spreads],
        "visible": True,
        "thickness": 1,
        "width": 0,
        "color": "#9aa3af",
    }


def _layout(profile, colour_by):
    impact, feasibility = profile.impact_threshold, profile.feasibility_threshold
    # (quadrant, x0, x1, y0, y1, label corner)
    cells = [
        (engine.DO_FIRST, feasibility, 100, impact, 100, (100, 100, "right", "top")),
        (engine.BIG_BET, 0, feasibility, impact, 100, (0, 100, "left", "top")),
        (engine.FILL_IN, feasibility, 100, 0, impact, (100, 0, "right", "bottom")),
        (engine.DEPRIORITIZE, 0, feasibility, 0, impact, (0, 0, "left", "bottom")),
    ]
    shapes = [
        {
            "type": "rect",
            "layer": "below",
            "x0": x0,
            "x1": x1,
            "y0": y0,
            "y1": y1,
            "fillcolor": QUADRANT_SHADES[quadrant],
            "line": {"width": 0},
        }
        for quadrant, x0, x1, y0, y1, _corner in cells
    ]
    shapes += [
        _threshold_line(x0=feasibility, x1=feasibility, y0=0, y1=100),
        _threshold_line(x0=0, x1=100, y0=impact, y1=impact),
    ]
    annotations = [
        {
            "x": x,
            "y": y,
            "xanchor": xanchor,
            "yanchor": yanchor,
            "text": f"<b>{escape(str(Quadrant(quadrant).label))}</b>",
            "showarrow": False,
            "font": {"size": 13, "color": "#374151"},
        }
        for quadrant, *_box, (x, y, xanchor, yanchor) in cells
    ]
    return {
        "xaxis": {
            "title": {"text": _("Feasibility")},
            "range": [-4, 104],
            "zeroline": False,
            "gridcolor": "rgba(0,0,0,0.05)",
        },
        "yaxis": {
            "title": {"text": _("Impact")},
            "range": [-4, 104],
            "zeroline": False,
            "gridcolor": "rgba(0,0,0,0.05)",
        },
        "shapes": shapes,
        "annotations": annotations,
        "legend": {"title": {"text": escape(str(COLOUR_NAMES[colour_by]))}},
        "height": 560,
        "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "hovermode": "closest",
        "template": "none",
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "size": 12, "color": "#1f2937"},
    }


def _threshold_line(**ends):
    return {"type": "line", **ends, "line": {"color": "#4b5563", "width": 1.5, "dash": "dash"}}


def radar_figure(rows, criteria):
    """A polar chart of each project's criterion values, one closed shape per project.

    `rows` are (project, ProjectScore) pairs; `criteria` are the rubric's criteria in the
    order of each score's `contributions`. A criterion nobody rated is a gap in its
    project's shape rather than a zero, which would read as the worst possible rating.
    """
    names = [escape(criterion.name) for criterion in criteria]
    traces = [
        {
            "type": "scatterpolar",
            "name": escape(Truncator(project.title).chars(LABEL_LENGTH)),
            "theta": _closed(names),
            "r": _closed(
                [
                    None if contribution.value is None else round(contribution.value, 1)
                    for contribution in score.contributions
                ]
            ),
            "fill": "toself",
            "opacity": 0.6,
            "line": {"color": PALETTE[number % len(PALETTE)]},
            "hovertemplate": "%{theta}: %{r:.1f}",
        }
        for number, (project, score) in enumerate(rows)
    ]
    layout = {
        "polar": {
            "radialaxis": {"range": [0, 100], "tickvals": [0, 25, 50, 75, 100]},
            "angularaxis": {"direction": "clockwise"},
        },
        "showlegend": True,
        # Below the chart, so long criterion names keep the room on both sides.
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": -0.08,
            "title": {"text": escape(_("Projects"))},
        },
        "height": 560,
        "margin": {"l": 110, "r": 110, "t": 40, "b": 40},
        "template": "none",
        "paper_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "size": 12, "color": "#1f2937"},
    }
    return go.Figure(data=traces, layout=layout)


def _closed(values):
    """Repeating the first point closes a shape's outline, not only its fill."""
    return values + values[:1]
