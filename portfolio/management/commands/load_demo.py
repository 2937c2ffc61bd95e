"""Load the demo portfolio. Idempotent: running it twice changes nothing the second time.

Demo users exist only because this command made them; migrations and settings never
create users. Demo projects are made through the services, as their team's lead would
make them, so their stage histories and audit trails are real; a project that already
exists is left as it is, with whatever was changed in it since.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from portfolio import services
from portfolio.management.commands._demo_projects import PROJECTS
from portfolio.management.commands._demo_ratings import BLIND, ratings_for
from portfolio.models import MANAGERS_GROUP, Membership, Project, Team
from scoring.models import Criterion

DEMO_PASSWORD = "quadrant-demo"  # noqa: S105 - printed to the user on purpose

TEAMS = {
    "Developer Tools": "Makes our engineers faster: IDE assistants, code review, build tooling.",
    "Clinical AI": "Decision support for radiology and pathology, with our hospital partners.",
    "Customer Experience": "Support, onboarding and retention across the consumer product.",
}

# username, first name, last name, {team: role}
USERS = [
    ("manager", "Morgan", "Reyes", {}),
    ("lead", "Lee", "Kim", {"Developer Tools": "lead"}),
    ("ana", "Ana", "Silva", {"Developer Tools": "member"}),
    ("ben", "Ben", "Okafor", {"Clinical AI": "lead"}),
    ("chloe", "Chloé", "Martin", {"Customer Experience": "lead", "Clinical AI": "member"}),
    ("dev", "Dev", "Patel", {"Customer Experience": "member"}),
]


class Command(BaseCommand):
    help = "Load the demo teams, users and ML project proposals (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options):
        teams = {
            name: Team.objects.update_or_create(name=name, defaults={"description": text})[0]
            for name, text in TEAMS.items()
        }
        users = self._load_users(teams)
        created = self._load_projects(teams, users)
        self.stdout.write(self.style.SUCCESS(f"Demo portfolio loaded ({created} new projects)."))
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000 as 'manager' (whole portfolio) or 'lead' "
            f"(team lead of Developer Tools), password '{DEMO_PASSWORD}'."
        )

    def _load_users(self, teams):
        user_model = get_user_model()
        managers = Group.objects.get(name=MANAGERS_GROUP)
        users = {}
        for username, first_name, last_name, roles in USERS:
            user, created = user_model.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@example.com",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            for team_name, role in roles.items():
                Membership.objects.update_or_create(
                    team=teams[team_name], user=user, defaults={"role": role}
                )
            users[username] = user
        users["manager"].groups.add(managers)
        return users

    def _load_projects(self, teams, users):
        leads = {
            team: users[username]
            for username, *_, roles in USERS
            for team, role in roles.items()
            if role == Membership.Role.LEAD
        }
        existing = set(Project.objects.values_list("key", flat=True))
        new = [spec for spec in PROJECTS if spec["key"] not in existing]
        for spec in new:
            self._create_project(spec, teams[spec["team"]], users, leads[spec["team"]])
        return len(new)

    def _create_project(self, spec, team, users, lead):
        """One proposal with its history, metrics, baselines and answers, as its lead made them."""
        fields = {
            name: spec[name]
            for name in [
                "key",
                "title",
                "summary",
                "archetype",
                "status",
                "effort_weeks",
                "expected_value",
                "success_likelihood",
            ]
        }
        project = services.create_project(
            user=lead, team=team, owner=users[spec["owner"]], **fields
        )
        for stage, reason in spec["path"]:
            services.move_stage(project=project, user=lead, to_stage=stage, reason=reason)
        metrics = {}
        for name, role, direction, threshold, current, unit in spec["metrics"]:
            metrics[name] = services.save_metric(
                project=project,
                user=lead,
                name=name,
                role=role,
                direction=direction,
                threshold=threshold,
                current=current,
                unit=unit,
            )
        for kind, metric, value, source, note in spec["baselines"]:
            services.save_baseline(
                project=project,
                user=lead,
                kind=kind,
                metric=metrics.get(metric),
                value=value,
                source=source,
                note=note,
            )
        for question, value, note in spec["answers"]:
            services.answer_question(
                project=project, user=lead, question=question, value=value, note=note
            )
        if spec["key"] in BLIND:
            project.blind_rating = True
            project.save(update_fields=["blind_rating"])
        criteria = {criterion.key: criterion for criterion in Criterion.objects.all()}
        for rater, criterion, score, note in ratings_for(spec["key"]):
            services.rate_project(
                project=project,
                rater=users[rater],
                criterion=criteria[criterion],
                score=score,
                note=note,
            )
