"""Write a prioritization report (CSV, XLSX or PDF) from the command line.

The same files as the Reports page: the same data (`scoring.reports.data`) through the
same writers, for the view the options describe. Without --user the report covers the
whole portfolio, as a manager who has not rated would see it (blind ratings stay hidden).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portfolio.models import Team
from scoring.models import Quadrant, ScoringProfile
from scoring.reports.data import report_data
from scoring.reports.files import FORMATS, write_report


class Command(BaseCommand):
    help = "Write the ranked portfolio as a CSV, XLSX or PDF report, as the Reports page does."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--out", required=True, metavar="PATH")
        parser.add_argument("--team", metavar="NAME", help="Only this team's projects.")
        parser.add_argument("--profile", metavar="NAME", help="A scoring profile's name.")
        parser.add_argument("--quadrant", choices=Quadrant.values)
        parser.add_argument("--user", metavar="USERNAME", help="Export what this user sees.")
        parser.add_argument(
            "--no-briefs", action="store_true", help="PDF: leave out the page per project."
        )

    def handle(self, *args, **options):
        query = {}
        if options["team"]:
            team = Team.objects.filter(name=options["team"]).first()
            if team is None:
                names = ", ".join(Team.objects.values_list("name", flat=True))
                raise CommandError(f"No team named {options['team']!r}. Teams: {names}.")
            query["team"] = str(team.pk)
        if options["profile"]:
            if not ScoringProfile.objects.filter(name=options["profile"]).exists():
                names = ", ".join(ScoringProfile.objects.values_list("name", flat=True))
                raise CommandError(
                    f"No scoring profile named {options['profile']!r}. Available: {names}."
                )
            query["profile"] = options["profile"]
        if options["quadrant"]:
            query["quadrant"] = options["quadrant"]
        data = report_data(self._user(options["user"]), query)
        write_report(data, options["format"], options["out"], briefs=not options["no_briefs"])
        self.stdout.write(
            f"Wrote {options['out']}: {len(data.rows)} projects, profile {data.profile.name}."
        )

    def _user(self, username):
        user_model = get_user_model()
        if username is None:
            # Not saved: it only lets the report see the whole portfolio.
            return user_model(username="export_report", is_superuser=True)
        try:
            return user_model.objects.get(username=username)
        except user_model.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
