"""The ranking as a spreadsheet: CSV for any tool, an XLSX workbook for people.

Both write the same ranking columns from the same `ReportData`, so the two files agree
with each other and with the dashboard. Every text cell is neutralised: a cell that a
spreadsheet app would read as a formula (it starts with =, +, -, @, a tab or a carriage
return) gets a leading apostrophe, so a project titled ``=HYPERLINK(...)`` stays text.
Numbers stay numbers. The XLSX is written row by row in XlsxWriter's constant-memory
mode, with its own string-to-formula conversion turned off too.
"""

import codecs
import csv
import io

import xlsxwriter
from django.utils.translation import gettext as _

from scoring.charts import QUADRANT_SHADES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value that no spreadsheet app will run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _rounded(value, digits=1):
    return None if value is None else round(value, digits)


def ranking_columns(data):
    """(header, kind, value of a row) for each column of the ranking.

    Kinds pick the XLSX number format: text, int, score (one decimal) or share (percent).
    """
    columns = [
        (_("Rank"), "int", lambda row: row.score.rank),
        (_("Key"), "text", lambda row: row.project.key),
        (_("Title"), "text", lambda row: row.project.title),
        (_("Team"), "text", lambda row: row.project.team.name),
        (_("Archetype"), "text", lambda row: row.project.get_archetype_display()),
        (_("Stage"), "text", lambda row: row.project.get_stage_display()),
        (_("Status"), "text", lambda row: row.project.get_status_display()),
        (_("Impact"), "score", lambda row: _rounded(row.score.impact, 2)),
        (_("Feasibility"), "score", lambda row: _rounded(row.score.feasibility, 2)),
        (_("Priority"), "score", lambda row: _rounded(row.score.priority, 2)),
        (_("Quadrant"), "quadrant", lambda row: str(row.quadrant_label)),
        (_("Impact spread"), "score", lambda row: _rounded(row.score.impact_spread, 2)),
        (_("Feasibility spread"), "score", lambda row: _rounded(row.score.feasibility_spread, 2)),
        (_("Best rank (5th percentile)"), "int", lambda row: _stability(row, "best_rank")),
        (_("Worst rank (95th percentile)"), "int", lambda row: _stability(row, "worst_rank")),
        (
            _("Share of draws in the top %(k)d") % {"k": data.rules.top_k},
            "share",
            lambda row: _stability(row, "top_k_share"),
        ),
        (_("Effort (weeks)"), "score", lambda row: row.project.effort_weeks),
        (_("Expected value"), "score", lambda row: row.project.expected_value),
        (_("Success likelihood"), "share", lambda row: row.project.success_likelihood),
        (_("Missing ratings"), "text", lambda row: ", ".join(map(str, row.missing))),
    ]
    if data.overview.snapshot is not None:
        columns.append((_("Places moved since the snapshot"), "int", lambda row: row.movement))
    return columns


def _stability(row, name):
    return None if row.stability is None else getattr(row.stability, name)


def _report_progress(progress, done, total, stage):
    if progress is not None and (done == total or done % 500 == 0):
        progress(done / total if total else 1.0, stage)


def write_csv(data, out, *, progress=None):
    """The ranking as UTF-8 CSV with a byte-order mark, for spreadsheet apps; `out` is binary."""
    out.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        columns = ranking_columns(data)
        writer.writerow([header for header, _kind, _value in columns])
        rows, stage = data.rows, _("Ranking")
        for done, row in enumerate(rows, 1):
            writer.writerow(["" if v is None else neutralise(v) for v in _values(columns, row)])
            _report_progress(progress, done, len(rows), stage)
    finally:
        text.detach()  # leave `out` open for its owner
    if progress is not None:
        progress(1.0, _("Done"))


def _values(columns, row):
    return [value(row) for _header, _kind, value in columns]


def write_xlsx(data, out, *, progress=None):
    """The workbook: Ranking, Criteria (values per project), Ratings, Rubric; `out` a path."""
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    formats = _formats(workbook)
    steps = [
        (_("Ranking"), _ranking_sheet),
        (_("Criteria"), _criteria_sheet),
        (_("Ratings"), _ratings_sheet),
        (_("Rubric"), _rubric_sheet),
    ]
    for number, (name, write_sheet) in enumerate(steps):
        if progress is not None:
            progress(number / len(steps), name)
        write_sheet(workbook.add_worksheet(name), data, formats)
    workbook.close()
    if progress is not None:
        progress(1.0, _("Done"))


def _formats(workbook):
    formats = {
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#1F2937", "font_color": "#FFFFFF", "text_wrap": True}
        ),
        "text": None,
        "int": workbook.add_format({"num_format": "0"}),
        "score": workbook.add_format({"num_format": "0.0"}),
        "share": workbook.add_format({"num_format": "0%"}),
    }
    for quadrant, colour in QUADRANT_SHADES.items():  # the matrix's shades
        formats[f"quadrant-{quadrant}"] = workbook.add_format({"bg_color": colour})
    return formats


def _table(sheet, formats, headers, rows, *, widths=None):
    """Write a header and rows; freeze the header and put an autofilter on the columns.

    `rows` yields (values, kinds) pairs: a kind per value, or a format name.
    """
    sheet.freeze_panes(1, 0)
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, formats["header"])
        sheet.set_column(column, column, (widths or {}).get(column, 14))
    count = 0
    for count, (values, kinds) in enumerate(rows, 1):
        for column, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(count, column, neutralise(value), formats.get(kind))
            else:
                sheet.write_number(count, column, value, formats.get(kind))
    sheet.autofilter(0, 0, max(count, 1), len(headers) - 1)


def _ranking_sheet(sheet, data, formats):
    columns = ranking_columns(data)
    kinds = [kind for _header, kind, _value in columns]

    def rows():
        for row in data.rows:
            row_kinds = [
                f"quadrant-{row.score.quadrant}" if kind == "quadrant" else kind for kind in kinds
            ]
            yield _values(columns, row), row_kinds

    _table(sheet, formats, [header for header, _k, _v in columns], rows(), widths={2: 40})


def _criteria_sheet(sheet, data, formats):
    """Each project's value (0-100, the raters' mean or median) per criterion."""
    criteria = data.criteria
    headers = [_("Rank"), _("Key"), _("Title")] + [used.criterion.name for used in criteria]
    kinds = ["int", "text", "text"] + ["score"] * len(criteria)

    def rows():
        for row in data.rows:
            values = [contribution.value for contribution in row.score.contributions]
            if row.project.pk in data.blind:  # the raters' means would give them away
                values = [None] * len(values)
            yield [row.score.rank, row.project.key, row.project.title, *values], kinds

    _table(sheet, formats, headers, rows(), widths={2: 40})


def _ratings_sheet(sheet, data, formats):
    headers = [_("Key"), _("Title"), _("Rater"), _("Criterion"), _("Score"), _("Note")]
    kinds = ["text", "text", "text", "text", "int", "text"]
    rows = ((list(rating), kinds) for rating in data.ratings())
    _table(sheet, formats, headers, rows, widths={1: 40, 5: 60})


def _rubric_sheet(sheet, data, formats):
    headers = [
        _("Dimension"),
        _("Key"),
        _("Criterion"),
        _("Weight used"),
        _("Higher is better"),
        _("Profile"),
    ]
    kinds = ["text", "text", "text", "score", "text", "text"]
    rows = (
        (
            [
                str(used.criterion.get_dimension_display()),
                used.criterion.key,
                used.criterion.name,
                used.weight,
                _("yes") if used.criterion.higher_is_better else _("no"),
                data.profile.name,
            ],
            kinds,
        )
        for used in data.criteria
    )
    _table(sheet, formats, headers, rows, widths={2: 40})
