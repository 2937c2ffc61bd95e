"""Import an ml-portfolio JSON file: all of it, or, on any error, nothing."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from scoring import interchange


class Command(BaseCommand):
    help = (
        "Import a portfolio file (docs/portfolio-format.md). The whole file is checked "
        "first; if anything is wrong nothing changes and every error is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file, or - to read standard input.")

    def handle(self, *args, **options):
        try:
            data = self._read(options["file"])
            summary = interchange.import_document(interchange.parse(data))
        except interchange.InvalidDocument as invalid:
            problems = invalid.problems
            heading = f"{len(problems)} error(s) in {options['file']}; nothing was imported:"
            lines = [f"  {problem}" for problem in problems]
            raise CommandError("\n".join([heading, *lines])) from None
        self.stdout.write(self.style.SUCCESS(describe(summary)))

    def _read(self, name):
        if name == "-":
            return sys.stdin.buffer.read()
        try:
            return Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {name}: {error.strerror}.") from None


def describe(summary):
    """One line per kind of change, for people reading the terminal."""
    return "\n".join(
        [
            "Imported.",
            f"Projects: {len(summary.projects_created)} created, "
            f"{len(summary.projects_updated)} updated, "
            f"{len(summary.projects_unchanged)} unchanged.",
            f"Teams created: {len(summary.teams_created)}.",
            f"Users created (inactive, no password): {len(summary.users_created)}.",
            f"Criteria: {len(summary.criteria_created)} created, "
            f"{len(summary.criteria_updated)} updated, "
            f"{len(summary.criteria_unchanged)} unchanged.",
            f"Ratings: {summary.ratings}.",
        ]
    )
