"""Writes of the scoring app: freezing the ranking of a moment as a snapshot."""

from django.db import transaction

from portfolio.models import Project
from scoring import selectors
from scoring.models import Snapshot, SnapshotEntry


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
