"""The portfolio interchange format: one JSON document with the rubric and every project.

`export_document` builds it from the database; `parse` reads a file; `validate` lists
every problem of a document with its place (``projects[3].ratings[1].score: 7 is not in
1–5``); `preview` says what an import would create and update; `import_document` applies
a valid document in a single transaction, so that a file with any error changes nothing.
docs/portfolio-format.md describes the format; the commands and the import page are
thin edges around these functions.

The package splits along the format's seams: `schema` (the fields and the values each
may hold), `validation` (a whole document, across projects and against the database),
`exporting` and `importing`. `spreadsheet` reads proposals and ratings from a CSV or XLSX
file into a document, and names each problem by its sheet, row and column.
"""

from scoring.interchange.exporting import dumps, export_document
from scoring.interchange.importing import Summary, import_document, preview
from scoring.interchange.schema import FORMAT, VERSION
from scoring.interchange.validation import InvalidDocument, Problem, parse, validate

__all__ = [
    "FORMAT",
    "VERSION",
    "InvalidDocument",
    "Problem",
    "Summary",
    "dumps",
    "export_document",
    "import_document",
    "parse",
    "preview",
    "validate",
]
