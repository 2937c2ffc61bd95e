"""Load the demo portfolio. Idempotent: running it twice changes nothing the second time.

Demo users exist only because this command made them; migrations and settings never
create users.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from portfolio.models import MANAGERS_GROUP, Membership, Team

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
        self._load_users(teams)
        self.stdout.write(self.style.SUCCESS("Demo portfolio loaded."))
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
