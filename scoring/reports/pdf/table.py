"""The ranked table: every ranked project in one table over as many pages as it takes.

Large portfolios stay fast: the table is one `LongTable` of plain strings (titles wrapped
by hand, no `Paragraph` per cell), and its pieces report progress as ReportLab lays the
pages out, which is where the time goes. The projects that need ratings follow in a table
of their own.
"""

import functools
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import LongTable, Paragraph

from scoring.models import Quadrant
from scoring.reports.pdf.text import _number, _stability, _wrap

TABLE_SIZE = 7.5  # points, the ranked table's font size
PROGRESS_ROWS = 500  # rows of the ranked table between two progress reports


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
