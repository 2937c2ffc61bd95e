"""Print the scored portfolio in rank order, as JSON for tools or as a table for people.

Scores come from `scoring.selectors.score_projects`, the one path to the engine; this
command only formats them.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from portfolio.models import Project
from scoring import selectors
from scoring.models import Quadrant, ScoringProfile

COLUMNS = ["rank", "key", "title", "team", "impact", "feasibility", "priority", "quadrant"]
NUMBERS = {"rank", "impact", "feasibility", "priority"}


class Command(BaseCommand):
    help = "Rank the portfolio under a scoring profile (the default one unless named)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument("--profile", metavar="NAME", default="", help="A profile's name.")

    def handle(self, *args, **options):
        try:
            profile = selectors.profile_named(options["profile"])
        except Http404:
            names = ", ".join(ScoringProfile.objects.values_list("name", flat=True))
            raise CommandError(
                f"No scoring profile named {options['profile']!r}. Available: {names}."
            ) from None
        ranking = ranking_of(selectors.score_projects(Project.objects.all(), profile))
        if options["format"] == "json":
            self.stdout.write(json.dumps(ranking, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(table(ranking))


def ranking_of(scored):
    """The ranking output of docs/portfolio-format.md: unrounded numbers, unscored last."""
    return {
        "profile": scored.profile.name,
        "thresholds": {
            "impact": scored.rules.impact_threshold,
            "feasibility": scored.rules.feasibility_threshold,
        },
        "projects": [
            {
                "key": project.key,
                "title": project.title,
                "team": project.team.name,
                "impact": score.impact,
                "feasibility": score.feasibility,
                "priority": score.priority,
                "quadrant": score.quadrant,
                "rank": score.rank,
                "impact_spread": score.impact_spread,
                "feasibility_spread": score.feasibility_spread,
            }
            for project, score in scored.rows()
        ],
    }


def table(ranking):
    """Aligned columns: numbers to one decimal on the right, a dash where there is none."""
    thresholds = ranking["thresholds"]
    header = (
        f"Profile: {ranking['profile']} (thresholds: impact {thresholds['impact']:g}, "
        f"feasibility {thresholds['feasibility']:g})"
    )
    rows = [[column.capitalize() for column in COLUMNS]]
    rows += [
        [_cell(column, project[column]) for column in COLUMNS] for project in ranking["projects"]
    ]
    widths = [max(len(row[index]) for row in rows) for index in range(len(COLUMNS))]
    lines = [
        "  ".join(
            cell.rjust(width) if column in NUMBERS else cell.ljust(width)
            for column, cell, width in zip(COLUMNS, row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join([header, "", *lines])


def _cell(column, value):
    if value is None:
        return "—"
    if column == "quadrant":
        return str(Quadrant(value).label)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
