"""The matrix page: the 2×2 matrix drawn as vector graphics, and the quadrant summary.

No browser and no network: the matrix is drawn straight from the engine's scores with
ReportLab's shapes, mirroring the look (shades, palette, labels) of
`scoring.charts.matrix_figure`, whose colours it borrows.
"""

from xml.sax.saxutils import escape

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from scoring import engine
from scoring.charts import LABEL_LENGTH, PALETTE, QUADRANT_SHADES
from scoring.models import Quadrant
from scoring.reports.pdf.styles import GRID, INK, MUTED


def _matrix_section(data, styles):
    archetypes = _archetype_colours(data.ranked)
    return [
        Paragraph(escape(_("Impact × feasibility matrix")), styles.h1),
        Paragraph(
            escape(
                _(
                    "One circle per ranked project, coloured by archetype; the top %(top_k)d "
                    "are labelled. Dashed lines mark the profile's thresholds."
                )
                % {"top_k": data.rules.top_k}
            ),
            styles.muted,
        ),
        Spacer(1, 0.3 * cm),
        matrix_drawing(data.ranked, data.rules, archetypes, styles),
    ]


def _archetype_colours(rows):
    """Archetype label -> colour, in label order as the dashboard's legend has them."""
    labels = sorted({str(row.project.get_archetype_display()) for row in rows})
    return {label: PALETTE[number % len(PALETTE)] for number, label in enumerate(labels)}


def matrix_drawing(rows, rules, archetypes, styles, size=17 * cm):
    """The 2×2 matrix as vector graphics: quadrants, thresholds, one circle per project."""
    left, bottom, top, legend = 1.3 * cm, 1.1 * cm, 0.3 * cm, 1.6 * cm
    plot = size - left - top
    drawing = Drawing(size, size + legend)
    origin_y = bottom + legend

    def x(value):
        return left + plot * value / 100

    def y(value):
        return origin_y + plot * value / 100

    impact, feasibility = rules.impact_threshold, rules.feasibility_threshold
    cells = [
        (engine.DO_FIRST, feasibility, 100, impact, 100, "end", "top"),
        (engine.BIG_BET, 0, feasibility, impact, 100, "start", "top"),
        (engine.FILL_IN, feasibility, 100, 0, impact, "end", "bottom"),
        (engine.DEPRIORITIZE, 0, feasibility, 0, impact, "start", "bottom"),
    ]
    for quadrant, x0, x1, y0, y1, anchor, corner in cells:
        drawing.add(
            Rect(
                x(x0),
                y(y0),
                x(x1) - x(x0),
                y(y1) - y(y0),
                fillColor=colors.HexColor(QUADRANT_SHADES[quadrant]),
                strokeColor=None,
            )
        )
        label_x = x(x1) - 4 if anchor == "end" else x(x0) + 4
        label_y = y(y1) - 12 if corner == "top" else y(y0) + 4
        drawing.add(
            String(
                label_x,
                label_y,
                str(Quadrant(quadrant).label),
                fontName=styles.bold,
                fontSize=10,
                fillColor=colors.HexColor("#374151"),
                textAnchor=anchor,
            )
        )
    drawing.add(Rect(x(0), y(0), plot, plot, fillColor=None, strokeColor=GRID))
    for tick in range(0, 101, 25):
        drawing.add(Line(x(tick), y(0), x(tick), y(0) - 3, strokeColor=MUTED))
        drawing.add(Line(x(0), y(tick), x(0) - 3, y(tick), strokeColor=MUTED))
        drawing.add(
            String(
                x(tick),
                y(0) - 12,
                str(tick),
                fontName=styles.regular,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
        drawing.add(
            String(
                x(0) - 5,
                y(tick) - 2.5,
                str(tick),
                fontName=styles.regular,
                fontSize=7.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
    for line in (
        Line(x(feasibility), y(0), x(feasibility), y(100)),
        Line(x(0), y(impact), x(100), y(impact)),
    ):
        line.strokeColor, line.strokeWidth = colors.HexColor("#4b5563"), 1.2
        line.strokeDashArray = [4, 3]
        drawing.add(line)
    drawing.add(
        String(
            x(50),
            y(0) - 24,
            _("Feasibility"),
            fontName=styles.bold,
            fontSize=9.5,
            fillColor=INK,
            textAnchor="middle",
        )
    )
    axis = String(
        0, 0, _("Impact"), fontName=styles.bold, fontSize=9.5, fillColor=INK, textAnchor="middle"
    )
    impact_title = Group(axis)
    impact_title.transform = (0, 1, -1, 0, left - 24, y(50))
    drawing.add(impact_title)
    radius = 3.2 if len(rows) <= 500 else 2
    labels = []
    for row in rows:
        score = row.score
        colour = colors.HexColor(archetypes[str(row.project.get_archetype_display())])
        centre = (x(score.feasibility), y(score.impact))
        drawing.add(
            Circle(
                *centre,
                radius,
                fillColor=colour,
                fillOpacity=0.75,
                strokeColor=colors.white,
                strokeWidth=0.5,
            )
        )
        if score.rank <= rules.top_k:
            title = Truncator(row.project.title).chars(LABEL_LENGTH)
            labels.append(
                String(
                    centre[0],
                    centre[1] + radius + 2,
                    title,
                    fontName=styles.regular,
                    fontSize=7,
                    fillColor=INK,
                    textAnchor="middle",
                )
            )
    for label in labels:  # above every circle, so no circle hides a label
        drawing.add(label)
    legend_x = left
    for label, colour in archetypes.items():
        drawing.add(
            Circle(legend_x + 4, 10, 3.5, fillColor=colors.HexColor(colour), strokeColor=None)
        )
        drawing.add(
            String(legend_x + 11, 7, label, fontName=styles.regular, fontSize=8, fillColor=INK)
        )
        legend_x += 18 + pdfmetrics.stringWidth(label, styles.regular, 8)
    return drawing


def _summary(data, styles):
    discuss = sum(1 for row in data.rows if row.discuss)
    rows = [
        [_("Quadrant"), _("Projects")],
        *([str(label), str(count)] for _value, label, count in data.overview.counts()["quadrant"]),
        [_("Needs ratings"), str(len(data.overview.needs_ratings))],
        [_("Raters disagree (to discuss)"), str(discuss)],
    ]
    style = styles.table(size=9, align_numbers_from=1)
    for row_number, (value, _label) in enumerate(Quadrant.choices, start=1):
        shade = colors.HexColor(QUADRANT_SHADES[value])
        style.add("BACKGROUND", (0, row_number), (0, row_number), shade)
    return [
        Spacer(1, 0.4 * cm),
        KeepTogether(
            [
                Paragraph(escape(_("Quadrant summary")), styles.h2),
                Table(rows, colWidths=[7 * cm, 3 * cm], style=style, hAlign="LEFT"),
            ]
        ),
    ]
