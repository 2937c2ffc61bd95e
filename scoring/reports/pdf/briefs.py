"""The project briefs: a page per project on why it scores as it does and what is known of it.

Each brief shows the project's standing, each criterion's contribution to its scores,
its archetype's key questions, its metrics, baselines and stage history.
"""

from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer, Table

from scoring.reports.pdf.text import _number, _stability, _text, _wrap
from scoring.selectors import DISCUSS_SPREAD


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
    title = _("Why these scores: each criterion's contribution")
    if brief.blind:
        hidden = _(
            "Blind rating: each criterion's value is the raters' mean, so the values stay "
            "hidden until you have rated every criterion of this project."
        )
        return [Paragraph(escape(title), styles.h2), Paragraph(escape(hidden), styles.body)]
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
    widths = (6.5, 2.4, 1.5, 1.6, 1.6, 1.5, 2.9)
    return _titled_table(title, rows, widths, styles, align_numbers_from=2)


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
    return _titled_table(_("Archetype key questions"), rows, (7.5, 2.3, 8.2), styles)


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
    return _titled_table(_("Metrics"), rows, (6, 2.6, 3.4, 3.4, 2.6), styles)


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
    return _titled_table(_("Baselines"), rows, (3.6, 3.2, 2.2, 4.5, 4.5), styles)


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
    return _titled_table(_("Stage history"), rows, (6, 3, 2.2, 6.8), styles)


def _titled_table(title, rows, widths, styles, **style):
    """A section of a brief: its heading, then a table (header row first) `widths` cm wide."""
    return [
        Paragraph(escape(title), styles.h2),
        Table(
            rows,
            colWidths=[width * cm for width in widths],
            style=styles.table(size=8, **style),
            hAlign="LEFT",
            repeatRows=1,
        ),
    ]
