"""Writing a report file: whole, or not at all.

The file is written under a temporary name beside its place and renamed into place only
once complete (a rename within a directory is atomic), so a reader never meets a
half-written report, whether the writer failed or its process was killed.
"""

import os
from pathlib import Path

from scoring.models import ReportJob
from scoring.reports import tabular

PART_SUFFIX = ".part"
FORMATS = tuple(ReportJob.Format.values)


def write_report(data, export_format, path, *, briefs=True, progress=None):
    """Write `data` (a ReportData) as CSV, XLSX or PDF to `path`."""
    if export_format not in FORMATS:
        raise ValueError(f"Unknown report format {export_format!r}.")
    path = Path(path)
    partial = path.with_name(path.name + PART_SUFFIX)
    try:
        if export_format == "xlsx":
            tabular.write_xlsx(data, str(partial), progress=progress)
        else:
            with partial.open("wb") as out:
                if export_format == "csv":
                    tabular.write_csv(data, out, progress=progress)
                else:
                    from scoring.reports.pdf import write_pdf  # ReportLab loads only for PDFs

                    write_pdf(data, out, briefs=briefs, progress=progress)
                out.flush()
                os.fsync(out.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
