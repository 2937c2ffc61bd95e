"""Export time and peak memory of CSV, XLSX and PDF reports as the portfolio grows (by hand).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/reports.py \
        [--sizes 100 1000 10000] [--raters 5] [--brief-sizes 100 1000]

For each size it seeds a synthetic portfolio (`seed_bench --replace`), then runs each
export in a fresh process (so that one export's memory does not hide another's) and prints:
  - data s: loading and scoring the report's data (`scoring.reports.data.report_data`);
  - write s: writing the file (`scoring.reports.files.write_report`);
  - write MB: how much the writer raised the process's peak resident memory above what
    Django and the loaded data had reached: what the writer itself holds, which should stay
    nearly flat for CSV and XLSX as N grows;
  - RSS MB: the process's peak resident memory, Django, data and writer together;
  - file size.
PDF is written without the page per project at every size, and with it at --brief-sizes.
Use a database of its own: seeding replaces the bench-* projects.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common  # noqa: F401 - sets Django up
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from scoring.reports.data import report_data
from scoring.reports.files import write_report


def one(export_format, briefs):
    """Run one export in this process and print its figures as JSON."""
    user = get_user_model()(username="bench-report", is_superuser=True)
    start = time.perf_counter()
    data = report_data(user, {})
    rows = len(data.rows)
    loaded = time.perf_counter()
    before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"report.{export_format}"
        write_report(data, export_format, path, briefs=briefs)
        written = time.perf_counter()
        size = path.stat().st_size
    print(
        json.dumps(
            {
                "rows": rows,
                "data": loaded - start,
                "write": written - loaded,
                "write_mb": peak_rss_mb() - before,
                "rss_mb": peak_rss_mb(),
                "bytes": size,
            }
        )
    )


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(export_format, briefs):
    command = [sys.executable, __file__, "--one", export_format]
    if briefs:
        command.append("--briefs")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--brief-sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--raters", type=int, default=5)
    parser.add_argument("--one", choices=["csv", "xlsx", "pdf"], help=argparse.SUPPRESS)
    parser.add_argument("--briefs", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.briefs)
        return
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(
        f"{'projects':>9} {'export':<11} {'data s':>7} {'write s':>8} {'write MB':>9} "
        f"{'RSS MB':>7} {'file':>12}"
    )
    for size in args.sizes:
        call_command("seed_bench", projects=size, raters=args.raters, replace=True, verbosity=0)
        exports = [("csv", False), ("xlsx", False), ("pdf", False)]
        if size in args.brief_sizes:
            exports.append(("pdf", True))
        for export_format, briefs in exports:
            figures = measure(export_format, briefs)
            name = f"{export_format}+briefs" if briefs else export_format
            print(
                f"{size:>9} {name:<11} {figures['data']:>7.2f} {figures['write']:>8.2f} "
                f"{figures['write_mb']:>9.1f} {figures['rss_mb']:>7.0f} {figures['bytes']:>12,}"
            )


if __name__ == "__main__":
    main()
