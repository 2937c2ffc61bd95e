"""Writes of the scoring app: the default profile, and snapshots of the ranking."""

from django.db import transaction

from portfolio.models import Project
from scoring import selectors
from scoring.models import ScoringProfile, Snapshot, SnapshotEntry


@transaction.atomic
def take_snapshot(*, name, profile, user):
    """Freeze today's ranking of the whole portfolio under `profile`, e.g. for a planning round.

    The snapshot copies what it needs (profile name, thresholds, each project's key, title
    and team) so that it still reads the same after the profile, a team or a project has
    changed or gone. The scores come from the same selector as every page.
    """
    scored = selectors.score_projects(Project.objects.all(), profile)
    snapshot = Snapshot(
        name=name,
        profile_name=profile.name,
        impact_threshold=scored.rules.impact_threshold,
        feasibility_threshold=scored.rules.feasibility_threshold,
        created_by=user,
    )
    snapshot.full_clean()
    snapshot.save()
    SnapshotEntry.objects.bulk_create(
        SnapshotEntry(
            snapshot=snapshot,
            project=project,
            project_key=project.key,
            title=project.title,
            team_name=project.team.name,
            impact=score.impact,
            feasibility=score.feasibility,
            priority=score.priority,
            quadrant=score.quadrant or "",
            rank=score.rank,
        )
        for project, score in scored.rows()
    )
    return snapshot


def make_default(profile):
    """Make `profile` the one default profile, in one transaction.

    Every profile row is locked first, so two managers choosing different defaults at
    once are served one after the other instead of both unsetting the same old default.
    """
    with transaction.atomic():
        list(ScoringProfile.objects.select_for_update().order_by("pk").values_list("pk"))
        ScoringProfile.objects.filter(is_default=True).exclude(pk=profile.pk).update(
            is_default=False
        )
        ScoringProfile.objects.filter(pk=profile.pk).update(is_default=True)
    profile.is_default = True
