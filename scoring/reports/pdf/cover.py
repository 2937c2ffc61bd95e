"""The cover page: what the report covers, under which profile, and the criteria's weights."""

from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table

from scoring.reports.pdf.styles import PRODUCT
from scoring.reports.pdf.text import _text, _wrap


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
