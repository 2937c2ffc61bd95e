"""Load a synthetic portfolio for benchmarks: N projects, each rated by R raters.

Every rater rates every criterion of the rubric, so 10,000 projects × 5 raters × 9
criteria make 450,000 ratings; they are written with bulk_create in batches so that this
takes seconds, not hours. Ratings scatter around a hidden "true" value per project and
criterion, so raters disagree a little, as real ones do. Bench projects are recognised
by their keys (bench-00001, …).
"""

import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portfolio.lifecycle import Stage
from portfolio.models import Project, Rating, Status, Team
from portfolio.questions import Archetype
from scoring.models import Criterion

PREFIX = "bench-"
TEAMS = ["Bench Vision", "Bench Search", "Bench Growth", "Bench Support", "Bench Platform"]
PROJECTS_PER_BATCH = 1000
RATINGS_PER_BATCH = 5000


class Command(BaseCommand):
    help = "Load a synthetic portfolio (bench-00001, …) rated on the current rubric."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, required=True, metavar="N")
        parser.add_argument("--raters", type=int, required=True, metavar="R")
        parser.add_argument("--seed", type=int, default=0, metavar="S")
        parser.add_argument(
            "--replace", action="store_true", help="Delete the bench projects loaded before."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        started = time.perf_counter()
        count, raters_count = options["projects"], options["raters"]
        if count < 1 or raters_count < 1:
            raise CommandError("--projects and --raters must be at least 1.")
        bench = Project.objects.filter(key__startswith=PREFIX)
        if bench.exists():
            if not options["replace"]:
                raise CommandError(
                    "Bench projects exist already; add --replace to delete them first."
                )
            Rating.objects.filter(project__in=bench).delete()
            bench.delete()
        criteria = list(Criterion.objects.all())
        if not criteria:
            raise CommandError("The rubric has no criteria to rate.")
        rng = random.Random(options["seed"])  # noqa: S311 - repeatable, not secret
        teams = [Team.objects.get_or_create(name=name)[0] for name in TEAMS]
        raters = _raters(raters_count)
        ratings = 0
        for first in range(1, count + 1, PROJECTS_PER_BATCH):
            numbers = range(first, min(first + PROJECTS_PER_BATCH, count + 1))
            projects = Project.objects.bulk_create(
                _project(number, rng.choice(teams), rng) for number in numbers
            )
            ratings += len(
                Rating.objects.bulk_create(
                    _ratings(projects, raters, criteria, rng), batch_size=RATINGS_PER_BATCH
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {count} projects on {len(teams)} teams, {len(raters)} raters, "
                f"{ratings} ratings in {time.perf_counter() - started:.1f}s."
            )
        )


def _raters(count):
    """bench-rater-1, …: inactive users with no usable password; reused if they exist."""
    user_model = get_user_model()
    usernames = [f"{PREFIX}rater-{number}" for number in range(1, count + 1)]
    existing = user_model.objects.in_bulk(usernames, field_name="username")
    user_model.objects.bulk_create(
        user_model(username=name, is_active=False, password=make_password(None))
        for name in usernames
        if name not in existing
    )
    found = user_model.objects.in_bulk(usernames, field_name="username")
    return [found[name] for name in usernames]


def _project(number, team, rng):
    return Project(
        key=f"{PREFIX}{number:05d}",
        title=f"Bench project {number:05d}",
        summary="A synthetic project for benchmarks.",
        team=team,
        archetype=rng.choice(Archetype.values),
        stage=rng.choice(Stage.values),
        status=rng.choice([Status.PROPOSED, Status.PROPOSED, Status.ACTIVE, Status.ON_HOLD]),
        effort_weeks=rng.randint(1, 52),
        expected_value=rng.randrange(0, 2_000_000, 10_000),
        success_likelihood=rng.randint(5, 95) / 100,
    )


def _ratings(projects, raters, criteria, rng):
    # Ids rather than objects: half a million model instances are built here.
    for project in projects:
        for criterion in criteria:
            true_value = rng.randint(1, 5)
            for rater in raters:
                yield Rating(
                    project_id=project.pk,
                    rater_id=rater.pk,
                    criterion_id=criterion.pk,
                    score=min(5, max(1, true_value + rng.choice((-1, 0, 0, 1)))),
                )
