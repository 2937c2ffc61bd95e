"""The prioritization report as a PDF to hand out, written with ReportLab.

No browser and no network: the matrix is drawn as vector graphics straight from the
engine's scores, mirroring the look of `scoring.charts.matrix_figure`. A `Paragraph` parses
a subset of HTML, so every user string goes into one escaped; table cells that hold plain
strings are drawn as they are. Korean needs a TrueType font that has its glyphs, which
ReportLab embeds (subset) in the file.

Large portfolios stay fast: the ranked table is one `LongTable` of plain strings (titles
wrapped by hand, no `Paragraph` per cell), and progress is reported while ReportLab lays
the pages out, which is where the time goes.
"""

import functools
import logging
import os
from collections import Counter
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from scoring import engine
from scoring.charts import LABEL_LENGTH, PALETTE, QUADRANT_SHADES
from scoring.models import Quadrant
from scoring.selectors import DISCUSS_SPREAD

logger = logging.getLogger(__name__)

# (regular, bold) TrueType files; the first pair found wins. Nanum (Debian's fonts-nanum,
# installed by the Dockerfile and .ci/run) has the Korean glyphs; DejaVu has none, but
# covers every other script the product's languages use.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
        "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
)
FONT_NAME = "QuadrantSans"

PRODUCT = "Quadrant"  # the product's name, as the site header writes it
MARGIN = 1.5 * cm
TABLE_SIZE = 7.5  # points, the ranked table's font size
PROGRESS_EVERY = 50  # briefs between two progress reports
PROGRESS_ROWS = 500  # rows of the ranked table between two progress reports
GATHERING = 0.3  # share of the progress bar for reading the data; the rest is layout
LAID_OUT = 0.99  # the last page laid out; 1.0 is the file written
BRIEF_WEIGHT = 20  # a brief costs about as much layout as this many table rows

GRID = colors.HexColor("#d1d5db")
HEADER_SHADE = colors.HexColor("#f3f4f6")
MUTED = colors.HexColor("#6b7280")
INK = colors.HexColor("#1f2937")


@functools.cache
def report_fonts():
    """(regular, bold) font names, registering the first TrueType pair found, once."""
    for regular, bold in FONT_CANDIDATES:
        if os.path.exists(regular) and os.path.exists(bold):
            pdfmetrics.registerFont(TTFont(FONT_NAME, regular))
            pdfmetrics.registerFont(TTFont(f"{FONT_NAME}-Bold", bold))
            pdfmetrics.registerFontFamily(
                FONT_NAME,
                normal=FONT_NAME,
                bold=f"{FONT_NAME}-Bold",
                italic=FONT_NAME,
                boldItalic=f"{FONT_NAME}-Bold",
            )
            return FONT_NAME, f"{FONT_NAME}-Bold"
    logger.warning("No TrueType font found for PDF reports; Korean text will not render.")
    return "Helvetica", "Helvetica-Bold"


class _Progress:
    """Forwards progress to the caller's callback, only ever forwards."""

    def __init__(self, callback):
        self.callback, self.last = callback, -1.0

    def __call__(self, fraction, stage):
        fraction = min(max(fraction, 0.0), 1.0)
        if self.callback is not None and fraction > self.last:
            self.last = fraction
            self.callback(fraction, stage)


class _ProgressMark(Flowable):
    """An invisible flowable that reports progress when ReportLab places it on a page."""

    def __init__(self, progress, fraction, stage):
        super().__init__()
        self.progress, self.fraction, self.stage = progress, fraction, stage

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.progress(self.fraction, self.stage)


class _Styles:
    def __init__(self):
        regular, bold = report_fonts()
        self.regular, self.bold = regular, bold
        base = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, textColor=INK)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=8, leading=10)
        self.muted = ParagraphStyle("muted", base, fontSize=8.5, leading=11, textColor=MUTED)
        self.title = ParagraphStyle("title", base, fontName=bold, fontSize=24, leading=30)
        self.h1 = ParagraphStyle("h1", base, fontName=bold, fontSize=16, leading=20, spaceAfter=6)
        self.h2 = ParagraphStyle(
            "h2", base, fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        )

    def table(self, size=8.5, header=True, align_numbers_from=None):
        commands = [
            ("FONTNAME", (0, 0), (-1, -1), self.regular),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size + 2),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if header:
            commands += [
                ("FONTNAME", (0, 0), (-1, 0), self.bold),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_SHADE),
            ]
        if align_numbers_from is not None:
            commands.append(("ALIGN", (align_numbers_from, 0), (-1, -1), "RIGHT"))
        return TableStyle(commands)


def write_pdf(data, out, *, briefs=True, progress=None) -> None:
    """Write the report of `data` (a `scoring.reports.data.ReportData`) as a PDF to `out`.

    `progress(fraction, stage)`, if given, hears of each section and of every
    `PROGRESS_EVERY` briefs, with fractions that only grow and end at 1.0.
    """
    progress = _Progress(progress)
    styles = _Styles()
    progress(0.0, _("Cover"))
    story = [*_cover(data, styles), PageBreak()]
    story += [*_matrix_section(data, styles), *_summary(data, styles)]
    projects = len(data.rows)
    units = max(projects + (BRIEF_WEIGHT * projects if briefs else 0), 1)

    def laid_out(done):
        return GATHERING + (LAID_OUT - GATHERING) * done / units

    def table_drawn(rows):
        progress(laid_out(rows), _("Ranked table"))

    progress(0.05, _("Ranked table"))
    story += [NextPageTemplate("landscape"), PageBreak()]
    story.append(_ProgressMark(progress, laid_out(0), _("Ranked table")))
    story += _ranked_table(data, styles, _reporting_table(table_drawn))
    if briefs:
        story.append(_ProgressMark(progress, laid_out(projects), _("Project briefs")))
        story.append(NextPageTemplate("portrait"))
        for number, brief in enumerate(data.briefs()):
            story += [PageBreak(), *_brief(brief, styles)]
            if number % PROGRESS_EVERY == PROGRESS_EVERY - 1:
                progress(0.05 + (GATHERING - 0.05) * (number + 1) / projects, _("Project briefs"))
                done = projects + BRIEF_WEIGHT * (number + 1)
                story.append(_ProgressMark(progress, laid_out(done), _("Project briefs")))
    progress(GATHERING, _("Laying out the pages"))
    _document(out, styles).build(story)
    progress(1.0, _("Done"))


def _document(out, styles):
    footer = _("Prioritization report · page %(number)d")

    def draw_footer(canvas, document):
        canvas.saveState()
        canvas.setFont(styles.regular, 7.5)
        canvas.setFillColor(MUTED)
        width = document.pagesize[0]
        canvas.drawRightString(width - MARGIN, MARGIN / 2, footer % {"number": document.page})
        canvas.drawString(MARGIN, MARGIN / 2, PRODUCT)
        canvas.restoreState()

    def template(name, pagesize):
        frame = Frame(
            MARGIN,
            MARGIN,
            pagesize[0] - 2 * MARGIN,
            pagesize[1] - 2 * MARGIN,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        return PageTemplate(name, frames=[frame], onPage=draw_footer, pagesize=pagesize)

    return BaseDocTemplate(
        out,
        pagesize=A4,
        pageTemplates=[template("portrait", A4), template("landscape", landscape(A4))],
        title=_("Prioritization report"),
        author=PRODUCT,
        creator=PRODUCT,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
    )


def _text(value):
    """A user's string, escaped for a Paragraph, its line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


def _number(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}"


def _cover(data, styles):
    profile, rules = data.profile, data.rules
    user = data.user.get_full_name() or data.user.get_username()
    generated = formats.date_format(timezone.localtime(data.generated_at), "DATETIME_FORMAT")
    facts = [
        (
            _("Portfolio"),
            _("%(product)s — the projects %(user)s may see") % {"product": PRODUCT, "user": user},
        ),
        (_("Scoring profile"), profile.name),
        (
            _("Thresholds"),
            _("impact %(impact)s, feasibility %(feasibility)s; top K = %(top_k)d")
            % {
                "impact": f"{rules.impact_threshold:g}",
                "feasibility": f"{rules.feasibility_threshold:g}",
                "top_k": rules.top_k,
            },
        ),
        (_("Combine raters by"), profile.get_aggregation_display()),
        (_("Generated"), generated),
    ]
    filters = [f"{label}: {value}" for label, value in data.filters]
    facts.append((_("Filters"), "; ".join(filters) if filters else _("Whole portfolio")))
    rows = [
        [Paragraph(_text(label), styles.muted), Paragraph(_text(value), styles.body)]
        for label, value in facts
    ]
    weights = [
        [_("Criterion"), _("Dimension"), _("Weight")],
        *(
            [
                _wrap(used.criterion.name, 9 * cm, styles.regular, 8.5),
                used.criterion.get_dimension_display(),
                f"{used.weight:g}",
            ]
            for used in data.criteria
        ),
    ]
    return [
        Spacer(1, 3 * cm),
        Paragraph(escape(_("Prioritization report")), styles.title),
        Paragraph(escape(_("Impact × feasibility of the ML project portfolio")), styles.muted),
        Spacer(1, 1 * cm),
        Table(rows, colWidths=[4 * cm, 13 * cm], style=styles.table(header=False), hAlign="LEFT"),
        Spacer(1, 0.8 * cm),
        Paragraph(escape(_("Criteria and their weights")), styles.h2),
        Table(
            weights,
            colWidths=[9.5 * cm, 4 * cm, 2 * cm],
            style=styles.table(align_numbers_from=2),
            hAlign="LEFT",
            repeatRows=1,
        ),
    ]


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
    counts = Counter(row.score.quadrant for row in data.ranked)
    discuss = sum(1 for row in data.rows if row.discuss)
    rows = [
        [_("Quadrant"), _("Projects")],
        *([str(label), str(counts[value])] for value, label in Quadrant.choices),
        [_("Needs ratings"), str(len(data.rows) - len(data.ranked))],
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


def _wrap(text, width, font, size):
    """`text` broken into lines that fit `width`, as a Table draws a plain string.

    Words are kept whole where they fit; a word longer than the line (a long Korean
    compound, a URL) is broken between characters.
    """
    lines = []
    for line in simpleSplit(str(text), font, size, width) or [""]:
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return "\n".join(lines)


def _stability(row):
    if row.stability is None:
        return "—"
    stability = row.stability
    ranks = (
        str(stability.best_rank)
        if stability.best_rank == stability.worst_rank
        else f"{stability.best_rank}–{stability.worst_rank}"
    )
    return f"{ranks} · {stability.top_k_share:.0%}"


def _spread(score):
    return f"±{_number(score.impact_spread)} / ±{_number(score.feasibility_spread)}"


def _reporting_table(on_drawn):
    """A LongTable class whose pieces report how many of its data rows are drawn so far.

    ReportLab splits a long table page by page into new tables of the same class, so a
    class, rather than an instance, is what can hear of each page of a 10,000-row table.
    """
    drawn = 0

    class ReportingTable(LongTable):
        def draw(self):
            nonlocal drawn
            super().draw()
            before = drawn
            drawn += self._nrows - self.repeatRows
            if drawn // PROGRESS_ROWS > before // PROGRESS_ROWS:
                on_drawn(drawn)

    return ReportingTable


def _ranked_table(data, styles, table_class=LongTable):
    """The ranked projects in one table over as many pages as it takes, then the unranked."""
    font, size = styles.regular, TABLE_SIZE
    widths = [0.9, 6.4, 2.6, 2.8, 2.8, 1.4, 1.6, 1.4, 2.0, 2.2, 2.2]
    widths = [width * cm for width in widths]
    wrap = functools.partial(_wrap, font=font, size=size)
    top_k_share = _("in top %(top_k)d") % {"top_k": data.rules.top_k}
    header = [
        _("Rank"),
        _("Title"),
        _("Team"),
        _("Archetype"),
        _("Stage"),
        _("Impact"),
        _("Feasibility"),
        _("Priority"),
        _("Quadrant"),
        _("Spread (I / F)"),
        _("Stability") + "\n" + top_k_share,
    ]
    header = [wrap(text, width - 6) for text, width in zip(header, widths, strict=True)]
    archetypes, stages, quadrants = {}, {}, dict(Quadrant.choices)
    table = [header]
    for row in data.ranked:
        project, score = row.project, row.score
        if project.archetype not in archetypes:
            archetypes[project.archetype] = wrap(project.get_archetype_display(), widths[3] - 6)
        if project.stage not in stages:
            stages[project.stage] = wrap(project.get_stage_display(), widths[4] - 6)
        spread = _spread(score) + ("\n" + _("discuss") if row.discuss else "")
        table.append(
            [
                str(score.rank),
                wrap(project.title, widths[1] - 6),
                wrap(project.team.name, widths[2] - 6),
                archetypes[project.archetype],
                stages[project.stage],
                _number(score.impact),
                _number(score.feasibility),
                _number(score.priority),
                str(quadrants[score.quadrant]),
                spread,
                _stability(row),
            ]
        )
    style = styles.table(size=size)
    style.add("ALIGN", (5, 0), (7, -1), "RIGHT")
    story = [Paragraph(escape(_("Ranked projects")), styles.h1)]
    if len(table) > 1:
        story.append(table_class(table, colWidths=widths, repeatRows=1, style=style, hAlign="LEFT"))
    else:
        story.append(Paragraph(escape(_("No project is ranked yet.")), styles.muted))
    unranked = data.overview.needs_ratings
    if unranked:
        rows = [[_("Title"), _("Team"), _("Archetype"), _("Stage"), _("Missing ratings")]]
        unranked_widths = [w * cm for w in (9.0, 4.0, 4.0, 4.0, 5.0)]
        rows += [
            [
                wrap(row.project.title, unranked_widths[0] - 6),
                wrap(row.project.team.name, unranked_widths[1] - 6),
                str(row.project.get_archetype_display()),
                str(row.project.get_stage_display()),
                ", ".join(str(dimension) for dimension in row.missing),
            ]
            for row in unranked
        ]
        story += [
            Paragraph(escape(_("Needs ratings")), styles.h2),
            LongTable(
                rows,
                colWidths=unranked_widths,
                repeatRows=1,
                style=styles.table(size=size),
                hAlign="LEFT",
            ),
        ]
    return story


def _brief(brief, styles):
    """One project's page: why it scores as it does, and what the team knows of it."""
    row = brief.row
    project, score = row.project, row.score
    facts = " · ".join(
        [
            project.key,
            project.team.name,
            str(project.get_archetype_display()),
            str(project.get_stage_display()),
            str(project.get_status_display()),
        ]
    )
    if score.rank is None:
        standing = _("Needs ratings: %(missing)s") % {
            "missing": ", ".join(str(dimension) for dimension in row.missing)
        }
    else:
        standing = _("Rank %(rank)d · %(quadrant)s · rank under other weights: %(stability)s") % {
            "rank": score.rank,
            "quadrant": row.quadrant_label,
            "stability": _stability(row),
        }
    scores = [
        [_("Impact"), _("Feasibility"), _("Priority"), _("Raters")],
        [
            _with_spread(score.impact, score.impact_spread),
            _with_spread(score.feasibility, score.feasibility_spread),
            _number(score.priority),
            str(brief.raters),
        ],
    ]
    story = [
        Paragraph(_text(project.title), styles.h1),
        Paragraph(_text(facts), styles.muted),
        Spacer(1, 0.2 * cm),
        Paragraph(_text(standing), styles.body),
        Spacer(1, 0.2 * cm),
        Table(scores, colWidths=[3 * cm] * 4, style=styles.table(size=9), hAlign="LEFT"),
    ]
    if row.discuss:
        story.append(
            Paragraph(
                escape(_("Raters disagree on this project: talk it over before deciding.")),
                styles.body,
            )
        )
    story += _contributions(brief, styles)
    story += _key_questions(brief, styles)
    story += _metrics(brief, styles)
    story += _baselines(brief, styles)
    story += _history(brief, styles)
    return story


def _with_spread(value, spread):
    if value is None:
        return "—"
    return f"{value:.1f}" + (f" ± {spread:.1f}" if spread else "")


def _contributions(brief, styles):
    rows = [
        [
            _("Criterion"),
            _("Dimension"),
            _("Weight"),
            _("Value"),
            _("Points"),
            _("Raters"),
            _("Spread"),
        ],
    ]
    for criterion, contribution in brief.contributions:
        name = criterion.name + ("" if criterion.higher_is_better else " " + _("(lower is better)"))
        spread = _number(contribution.spread)
        if contribution.spread is not None and contribution.spread >= DISCUSS_SPREAD:
            spread += " " + _("discuss")
        rows.append(
            [
                _wrap(name, 6.4 * cm - 6, styles.regular, 8),
                str(criterion.get_dimension_display()),
                f"{contribution.weight:g}",
                _number(contribution.value),
                _number(contribution.points),
                str(contribution.raters),
                spread,
            ]
        )
    widths = [w * cm for w in (6.5, 2.4, 1.5, 1.6, 1.6, 1.5, 2.9)]
    return [
        Paragraph(escape(_("Why these scores: each criterion's contribution")), styles.h2),
        Table(
            rows,
            colWidths=widths,
            style=styles.table(size=8, align_numbers_from=2),
            hAlign="LEFT",
            repeatRows=1,
        ),
    ]


def _key_questions(brief, styles):
    if not brief.key_questions:
        return []
    rows = [[_("Question"), _("Answer"), _("Note")]]
    for text, answer in brief.key_questions:
        rows.append(
            [
                Paragraph(_text(text), styles.small),
                _("Not answered") if answer is None else str(answer.get_value_display()),
                Paragraph(_text(answer.note), styles.small) if answer is not None else "",
            ]
        )
    return [
        Paragraph(escape(_("Archetype key questions")), styles.h2),
        Table(
            rows,
            colWidths=[7.5 * cm, 2.3 * cm, 8.2 * cm],
            style=styles.table(size=8),
            hAlign="LEFT",
            repeatRows=1,
        ),
    ]


def _metrics(brief, styles):
    if not brief.metrics:
        return [Paragraph(escape(_("No metrics yet.")), styles.muted)]
    met = {True: _("Met"), False: _("Not met"), None: _("Unmeasured")}
    rows = [[_("Metric"), _("Role"), _("Threshold / target"), _("Current value"), _("Met?")]]
    for metric in brief.metrics:
        current = "—" if metric.current is None else f"{metric.current:g} {metric.unit}"
        rows.append(
            [
                Paragraph(_text(metric.name), styles.small),
                str(metric.get_role_display()),
                f"{metric.direction_symbol} {metric.threshold:g} {metric.unit}",
                current,
                met[metric.is_met],
            ]
        )
    return [
        Paragraph(escape(_("Metrics")), styles.h2),
        Table(
            rows,
            colWidths=[6 * cm, 2.6 * cm, 3.4 * cm, 3.4 * cm, 2.6 * cm],
            style=styles.table(size=8),
            hAlign="LEFT",
            repeatRows=1,
        ),
    ]


def _baselines(brief, styles):
    if not brief.baselines:
        return [Paragraph(escape(_("No baselines yet.")), styles.muted)]
    rows = [[_("Kind"), _("Metric"), _("Value"), _("Source"), _("Note")]]
    for baseline in brief.baselines:
        metric = baseline.metric
        rows.append(
            [
                Paragraph(_text(baseline.get_kind_display()), styles.small),
                Paragraph(_text(metric.name), styles.small) if metric else "—",
                f"{baseline.value:g} {metric.unit if metric else ''}".strip(),
                Paragraph(_text(baseline.source), styles.small),
                Paragraph(_text(baseline.note), styles.small),
            ]
        )
    return [
        Paragraph(escape(_("Baselines")), styles.h2),
        Table(
            rows,
            colWidths=[3.6 * cm, 3.2 * cm, 2.2 * cm, 4.5 * cm, 4.5 * cm],
            style=styles.table(size=8),
            hAlign="LEFT",
            repeatRows=1,
        ),
    ]


def _history(brief, styles):
    if not brief.transitions:
        return []
    rows = [[_("Move"), _("By"), _("When"), _("Reason")]]
    for transition in brief.transitions:
        if transition.from_stage:
            move = f"{transition.get_from_stage_display()} → {transition.get_to_stage_display()}"
        else:
            move = _("Started in %(stage)s") % {"stage": transition.get_to_stage_display()}
        if transition.is_loop_back:
            move = _("Loop-back") + ": " + move
        by = transition.by
        rows.append(
            [
                Paragraph(_text(move), styles.small),
                (by.get_full_name() or by.get_username()) if by else _("Someone"),
                formats.date_format(timezone.localtime(transition.at), "SHORT_DATE_FORMAT"),
                Paragraph(_text(transition.reason), styles.small),
            ]
        )
    return [
        Paragraph(escape(_("Stage history")), styles.h2),
        Table(
            rows,
            colWidths=[6 * cm, 3 * cm, 2.2 * cm, 6.8 * cm],
            style=styles.table(size=8),
            hAlign="LEFT",
            repeatRows=1,
        ),
    ]
