"""Proposals and ratings from a spreadsheet (CSV or XLSX), imported as a portfolio document.

Managers keep proposals in spreadsheets. Rather than a second importer, a spreadsheet is
turned into the interchange document a JSON file holds and goes through the same
`preview` and `import_document`, so every rule lives in one place. Only the places differ:
each place in the document is traced back to the cell the user typed, so that
``projects[3].effort_weeks`` reads "Projects row 5, column effort_weeks".

The layout (docs/portfolio-format.md, "Spreadsheets"): row 1 names the columns, each row
below is a proposal or a rating; an XLSX workbook holds the proposals in the sheet
"Projects" (or its first sheet) and may hold ratings in the sheet "Ratings"; a CSV file
holds one table, proposals or, when its header has the rating columns, ratings.
"""

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import PurePath

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from portfolio.lifecycle import Stage
from portfolio.models import Project, Status
from portfolio.questions import Archetype
from scoring.interchange.importing import import_document, preview
from scoring.interchange.schema import FORMAT, VERSION, show
from scoring.interchange.validation import InvalidDocument, Problem, validate
from scoring.models import Criterion

PROJECTS = "Projects"
RATINGS = "Ratings"
PROJECT_COLUMNS = (
    "key",
    "title",
    "team",
    "archetype",
    "stage",
    "status",
    "summary",
    "effort_weeks",
    "expected_value",
    "success_likelihood",
)
RATING_COLUMNS = ("key", "rater", "criterion", "score", "note")
REQUIRED = {
    PROJECTS: ("key", "title", "team", "archetype"),
    RATINGS: ("key", "rater", "criterion", "score"),
}
COLUMNS = {PROJECTS: PROJECT_COLUMNS, RATINGS: RATING_COLUMNS}
NUMBER_COLUMNS = {"effort_weeks", "expected_value", "success_likelihood"}
INTEGER_COLUMNS = {"score"}
CHOICE_COLUMNS = {"archetype": Archetype, "stage": Stage, "status": Status}
# A number as people type it in a CSV cell: 8, -1.5, .5, 2e3 (no thousands separators).
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
# A place of the document a spreadsheet fills: a project row or a rating row, and a column.
PLACE = re.compile(r"(projects\[\d+\](?:\.ratings\[\d+\])?)(?:\.(\w+))?")
XLSX_SIGNATURE = b"PK\x03\x04"
KINDS = ("json", "csv", "xlsx")


@dataclass(frozen=True)
class CellProblem:
    """A problem of a spreadsheet, at its sheet, row (as numbered on screen) and column.

    It reads like a `Problem` (`place`, `message`, str) so that every page and command
    shows either; the parts are kept apart for the preview's Row and Column.
    """

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    @property
    def place(self):
        return describe(self.sheet, self.row, self.column)

    def __str__(self):
        return f"{self.place}: {self.message}" if self.place else self.message


def describe(sheet, row, column):
    """ "Projects row 5, column effort_weeks", or as much of it as is known."""
    parts = {"sheet": sheet, "row": row, "column": column}
    if sheet and row and column:
        return _("%(sheet)s row %(row)d, column %(column)s") % parts
    if sheet and row:
        return _("%(sheet)s row %(row)d") % parts
    if sheet and column:
        return _("%(sheet)s, column %(column)s") % parts
    return sheet or ""


def kind_of(name, data):
    """ "json", "csv" or "xlsx": by the file's extension, else by its first bytes."""
    extension = PurePath(name or "").suffix.lower().lstrip(".")
    if extension in KINDS:
        return extension
    if data.startswith(XLSX_SIGNATURE):
        return "xlsx"
    if data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
        return "json"
    message = _("The file is neither JSON, CSV nor XLSX (name it .json, .csv or .xlsx).")
    raise InvalidDocument([Problem("", message)])


@dataclass
class _Table:
    """One sheet's rows below the header, (row number, {column: value given}), and the
    problems of single cells found while reading them."""

    sheet: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)


@dataclass
class Spreadsheet:
    """The proposals and ratings of a spreadsheet, with the problems found in its rows."""

    projects: _Table
    ratings: _Table
    problems: list

    def preview(self):
        """What importing it would do; InvalidDocument, with cells, if it has any problem."""
        return self._apply(preview)

    def import_document(self, *, user=None):
        """Import it all or nothing, as a portfolio document; returns the Summary."""
        return self._apply(lambda document: import_document(document, user=user))

    def _apply(self, action):
        document, places, problems = self._document()
        if problems:
            # The rows' own problems, and every one the format finds, all at once.
            found = validate(document)
        else:
            try:
                return action(document)
            except InvalidDocument as invalid:
                found = invalid.problems
        problems += [_locate(problem, places) for problem in found]
        raise InvalidDocument(sorted(problems, key=_position))

    def _document(self):
        """The interchange document, {project or rating place: (sheet, row)}, problems."""
        projects, places, index_of = [], {}, {}
        problems = list(self.problems)
        for row, values in self.projects.rows:
            place = f"projects[{len(projects)}]"
            places[place] = (PROJECTS, row)
            index_of.setdefault(values.get("key"), len(projects))
            projects.append(dict(values))
        stored = _stored_projects(
            {values.get("key") for _row, values in self.ratings.rows} - set(index_of)
        )
        for row, values in self.ratings.rows:
            rating = dict(values)
            key = rating.pop("key", None)
            if key is None:
                problems.append(CellProblem(RATINGS, row, "key", _("is required")))
                continue
            if key not in index_of and key in stored:
                # A rating of a stored project the sheet does not list: the project as
                # stored, so that only the rating changes.
                places[f"projects[{len(projects)}]"] = (RATINGS, row)
                index_of[key] = len(projects)
                projects.append(stored[key])
            if key not in index_of:
                message = _("%(key)s is neither a project of the file nor a stored project")
                shown = {"key": show(key)}
                problems.append(CellProblem(RATINGS, row, "key", message % shown))
                continue
            project_place = f"projects[{index_of[key]}]"
            ratings = projects[index_of[key]].setdefault("ratings", [])
            places[f"{project_place}.ratings[{len(ratings)}]"] = (RATINGS, row)
            ratings.append(rating)
        document = {"format": FORMAT, "version": VERSION, "projects": projects}
        return document, places, problems


def _stored_projects(keys):
    """{key: the stored project as a document entry} for the given keys."""
    keys = [key for key in keys if isinstance(key, str)]
    if not keys:
        return {}
    rows = Project.objects.filter(key__in=keys).values_list(
        "key", "title", "team__name", "archetype"
    )
    return {
        key: {"key": key, "title": title, "team": team, "archetype": archetype}
        for key, title, team, archetype in rows
    }


def _locate(problem, places):
    """The problem of a document place, at its cell; places in the message too."""

    def cell(match):
        sheet, row = places.get(match[1], (None, None))
        return sheet, row, match[2]

    def in_message(match):
        return describe(*cell(match)) if match[1] in places else match[0]

    match = PLACE.fullmatch(problem.place)
    sheet, row, column = cell(match) if match else (None, None, None)
    return CellProblem(sheet, row, column, PLACE.sub(in_message, problem.message))


def _position(problem):
    sheet_order = {PROJECTS: 1, RATINGS: 2}
    columns = COLUMNS.get(problem.sheet, ())
    column = columns.index(problem.column) if problem.column in columns else len(columns)
    return sheet_order.get(problem.sheet, 0), problem.row or 0, column


# --- Reading -------------------------------------------------------------------------


def read(kind, data):
    """The spreadsheet in `data` ("csv" or "xlsx" bytes).

    Raises InvalidDocument when the file cannot be read or a header is wrong: its rows
    would mean nothing. Problems of single rows wait for the preview, with all the others.
    """
    records = _csv_records(data) if kind == "csv" else _xlsx_records(data)
    # An empty sheet is no table: a workbook may keep an unused Ratings sheet.
    records = {sheet: rows for sheet, rows in records.items() if _has_values(rows)}
    if not records:
        raise InvalidDocument([Problem("", _("The file is empty."))])
    problems = []
    tables = {sheet: _table(sheet, rows, problems) for sheet, rows in records.items()}
    if problems:
        raise InvalidDocument(problems)
    projects = tables.get(PROJECTS) or _Table(PROJECTS)
    ratings = tables.get(RATINGS) or _Table(RATINGS)
    if not projects.rows and not ratings.rows:
        raise InvalidDocument([Problem("", _("The file has no rows below its header."))])
    row_problems = [problem for table in tables.values() for problem in table.problems]
    return Spreadsheet(projects, ratings, row_problems)


def _csv_records(data):
    """{sheet: rows}: a CSV file is one table, of ratings when its header names a rater."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidDocument([Problem("", _("The file is not UTF-8 text."))]) from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheet apps in some languages save CSV with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        message = _("The file is not valid CSV: %(error)s") % {"error": error}
        raise InvalidDocument([Problem("", message)]) from None
    header = {_column_name(cell) for cell in rows[0]} if rows else set()
    return {RATINGS if "rater" in header else PROJECTS: rows}


def _xlsx_records(data):
    """{sheet: rows} of the sheets Projects (or the first one) and Ratings."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = {name.strip().lower(): name for name in workbook.sheetnames}
            ratings = sheets.get(RATINGS.lower())
            projects = sheets.get(PROJECTS.lower())
            if projects is None and workbook.sheetnames[0] != ratings:
                projects = workbook.sheetnames[0]
            return {
                sheet: list(workbook[name].iter_rows(values_only=True)) if name else None
                for sheet, name in [(PROJECTS, projects), (RATINGS, ratings)]
            }
        finally:
            workbook.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        message = _("The file cannot be opened as an XLSX workbook.")
        raise InvalidDocument([Problem("", message)]) from None


def _table(sheet, rows, problems):
    """The sheet's rows as values by column; header problems are added to `problems`."""
    table = _Table(sheet)
    header = rows[0] if rows else ()
    names = [_column_name(cell) for cell in header]
    if not any(names):
        message = _("row 1 must name the columns, e.g. %(columns)s")
        problems.append(CellProblem(sheet, 1, None, message % {"columns": _listed(sheet)}))
        return table
    positions = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in COLUMNS[sheet]:
            message = _("%(name)s is not a column of this sheet; the columns are %(columns)s")
            shown = {"name": show(str(header[index])), "columns": _listed(sheet)}
            problems.append(CellProblem(sheet, 1, get_column_letter(index + 1), message % shown))
        elif name in positions:
            problems.append(CellProblem(sheet, 1, name, _("the column appears twice")))
        else:
            positions[name] = index
    for name in REQUIRED[sheet]:
        if name not in positions:
            message = _("the required column %(name)s is missing")
            problems.append(CellProblem(sheet, 1, None, message % {"name": show(name)}))
    for number, cells in enumerate(rows[1:], start=2):
        cells = [_cell(value) for value in cells]
        values = {}
        for index, value in enumerate(cells):
            name = names[index] if index < len(names) else None
            if value is None:
                continue
            if name in positions and positions[name] == index:
                values[name] = _converted(name, value)
            elif not name:
                message = _("a value in a column without a name in row 1")
                column = get_column_letter(index + 1)
                table.problems.append(CellProblem(sheet, number, column, message))
        if values:
            table.rows.append((number, values))
    return table


def _has_values(rows):
    return any(_cell(value) is not None for row in rows or () for value in row)


def _column_name(cell):
    """The column a header cell names: "Effort weeks" is effort_weeks."""
    if cell is None:
        return ""
    return re.sub(r"[\s-]+", "_", str(cell).strip().lower())


def _cell(value):
    """A cell's value as the format holds values; None for an empty cell."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime | date | time | timedelta):
        return str(value)
    return value


def _converted(column, value):
    """The value as the format expects it in `column`, when it reads as such.

    Anything else is left as written, so that the format's own check names it:
    "abc" is not a number.
    """
    if column in NUMBER_COLUMNS or column in INTEGER_COLUMNS:
        number = _number(value)
        if column in INTEGER_COLUMNS and isinstance(number, float) and number.is_integer():
            return int(number)
        return number
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        # A key or a title that happens to be a number, such as 2027.
        value = str(value)
    if column in CHOICE_COLUMNS and isinstance(value, str):
        return _choice(CHOICE_COLUMNS[column], value)
    return value


def _number(value):
    if not isinstance(value, str) or not NUMBER.fullmatch(value):
        return value
    number = float(value) if re.search(r"[.eE]", value) else int(value)
    return number if math.isfinite(number) else value


def _choice(choices, value):
    """The stored value of a choice written as its value or its label, in any case."""
    for stored, label in choices.choices:
        if value.lower() in (stored.lower(), str(label).lower()):
            return stored
    return value


def _listed(sheet):
    return ", ".join(COLUMNS[sheet])


# --- Templates -----------------------------------------------------------------------


def template_rows(sheet):
    """The header and one example row of a sheet, for the templates managers download."""
    if sheet == PROJECTS:
        example = [
            "churn-model",
            "Churn prediction",
            "Growth",
            Archetype.IMPROVE.value,
            Stage.PLANNING.value,
            Status.PROPOSED.value,
            "Predict which subscribers will cancel next month.",
            8,
            250000,
            0.6,
        ]
    else:
        # The first criterion of the rubric as it is shown: impact before feasibility.
        criterion = (
            Criterion.objects.order_by("-dimension", "position", "key")
            .values_list("key", flat=True)
            .first()
        )
        example = ["churn-model", "alice", criterion or "", 4, "Retention is our top goal."]
    return [list(COLUMNS[sheet]), example]


def template_csv(sheet):
    """A CSV template of one sheet, as UTF-8 with a BOM so that Excel reads it as such."""
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(template_rows(sheet))
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def template_xlsx():
    """An XLSX template with the sheets Projects and Ratings."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in (PROJECTS, RATINGS):
        worksheet = workbook.create_sheet(sheet)
        for row in template_rows(sheet):
            worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
