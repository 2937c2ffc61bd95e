"""The prioritization report as a PDF to hand out, written with ReportLab.

`write_pdf` is the whole interface: it lays out the sections, each a module of this
package (`cover`, `matrix`, `table`, `briefs`), on portrait and landscape page templates,
and reports progress while ReportLab lays the pages out, which is where the time goes.
`styles` holds the fonts and styles every section draws with, `text` how values are
printed. ReportLab loads only when a PDF is written (see `scoring.reports.files`). Names
with a leading underscore are shared between the modules of this package, and nothing
outside it.
"""

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from scoring.reports.pdf.briefs import _brief
from scoring.reports.pdf.cover import _cover
from scoring.reports.pdf.matrix import _matrix_section, _summary
from scoring.reports.pdf.styles import FONT_CANDIDATES, MUTED, PRODUCT, _Styles
from scoring.reports.pdf.table import _ranked_table, _reporting_table

__all__ = ["FONT_CANDIDATES", "write_pdf"]

MARGIN = 1.5 * cm
PROGRESS_EVERY = 50  # briefs between two progress reports
GATHERING = 0.3  # share of the progress bar for reading the data; the rest is layout
LAID_OUT = 0.99  # the last page laid out; 1.0 is the file written
BRIEF_WEIGHT = 20  # a brief costs about as much layout as this many table rows


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
