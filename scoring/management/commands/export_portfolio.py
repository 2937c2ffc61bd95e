"""Write the whole portfolio, rubric included, as an interchange document.

The format is described in docs/portfolio-format.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from scoring import interchange


class Command(BaseCommand):
    help = "Export the rubric and every project with its ratings as ml-portfolio JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json"], default="json", help="Only json.")
        parser.add_argument("--out", metavar="FILE", help="Write to FILE instead of stdout.")

    def handle(self, *args, **options):
        text = interchange.dumps(interchange.export_document())
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
