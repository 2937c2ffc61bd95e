"""Applying a valid interchange document: all of it in one transaction, or nothing.

The whole document is checked first (`validation`), then written in bulk through the
ORM, not through the one-at-a-time services: a portfolio of ten thousand projects must
load in seconds. What the services would have recorded is kept where it matters: each
imported project gets an "imported" audit entry and a new version, so that an edit
started before the import meets a conflict instead of overwriting it.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from portfolio.models import (
    Answer,
    AuditEntry,
    Baseline,
    Metric,
    Project,
    Rating,
    StageTransition,
    Team,
)
from scoring.interchange.schema import GUIDANCE_LEVELS
from scoring.interchange.validation import checked_document
from scoring.models import Criterion

CRITERION_COLUMNS = [
    "dimension",
    "name",
    "description",
    "weight",
    "higher_is_better",
    "position",
    *(f"guidance_{level}" for level in GUIDANCE_LEVELS),
]
PROJECT_COLUMNS = [
    "title",
    "summary",
    "archetype",
    "stage",
    "status",
    "effort_weeks",
    "expected_value",
    "success_likelihood",
    "blind_rating",
    "ratings_revealed",
]


@dataclass
class Summary:
    """What an import creates and updates, for the preview and the report after it."""

    projects_created: list = field(default_factory=list)
    projects_updated: list = field(default_factory=list)
    teams_created: list = field(default_factory=list)
    users_created: list = field(default_factory=list)
    criteria_created: list = field(default_factory=list)
    criteria_updated: list = field(default_factory=list)
    ratings: int = 0


@dataclass
class _Plan:
    """The checked document with the stored objects it refers to, by natural key."""

    document: dict
    summary: Summary
    criteria: dict
    teams: dict
    users: dict
    projects: dict


@dataclass
class _Imported:
    entry: dict
    project: Project
    created: bool
    old_stage: str | None


def preview(document):
    """What importing `document` would do; raises InvalidDocument if it has any problem."""
    return _plan(document).summary


@transaction.atomic
def import_document(document, *, user=None):
    """Import a whole document or nothing; returns its Summary, raises InvalidDocument.

    A project whose key exists is updated with the fields the file gives; its ratings of
    the same rater and criterion are replaced, and its metrics, baselines, answers and
    stage history by the file's lists where the file has them. `user` is recorded as the
    author of the audit entries (None for a command).
    """
    plan = _plan(document)
    criteria = _save_rubric(plan)
    teams = plan.teams | _create_teams(plan.summary.teams_created)
    users = plan.users | _create_users(plan.summary.users_created)
    imported = _save_projects(plan, teams, users)
    _save_ratings(imported, users, criteria)
    _replace_details(imported)
    StageTransition.objects.bulk_create(_transitions(imported, users, user))
    AuditEntry.objects.bulk_create(
        AuditEntry(
            project=item.project,
            user=user,
            version=item.project.version,
            field="imported",
            new=_("created") if item.created else _("updated"),
        )
        for item in imported
    )
    return plan.summary


def _plan(document):
    checked = checked_document(document)
    projects = checked["projects"]
    rubric = checked.get("rubric") or []
    criteria = {criterion.key: criterion for criterion in Criterion.objects.all()}
    team_names = list(dict.fromkeys(project["team"] for project in projects))
    teams = Team.objects.in_bulk(team_names, field_name="name")
    usernames = list(dict.fromkeys(_usernames(projects)))
    users = get_user_model().objects.in_bulk(usernames, field_name="username")
    keys = [project["key"] for project in projects]
    stored = Project.objects.in_bulk(keys, field_name="key")
    summary = Summary(
        projects_created=[key for key in keys if key not in stored],
        projects_updated=[key for key in keys if key in stored],
        teams_created=[name for name in team_names if name not in teams],
        users_created=[name for name in usernames if name not in users],
        criteria_created=[entry["key"] for entry in rubric if entry["key"] not in criteria],
        criteria_updated=[entry["key"] for entry in rubric if entry["key"] in criteria],
        ratings=sum(len(project.get("ratings", [])) for project in projects),
    )
    return _Plan(checked, summary, criteria, teams, users, stored)


def _usernames(projects):
    for project in projects:
        if project.get("owner"):
            yield project["owner"]
        yield from (rating["rater"] for rating in project.get("ratings", []))
        yield from (move["by"] for move in project.get("stage_history", []) if move.get("by"))


def _save_rubric(plan):
    """Create or update the file's criteria; returns every criterion by key."""
    criteria = dict(plan.criteria)
    for entry in plan.document.get("rubric") or []:
        criterion = criteria.get(entry["key"]) or Criterion(key=entry["key"])
        for column in CRITERION_COLUMNS:
            if column in entry:
                setattr(criterion, column, entry[column])
        criterion.save()
        criteria[criterion.key] = criterion
    return criteria


def _create_teams(names):
    return {team.name: team for team in Team.objects.bulk_create(Team(name=n) for n in names)}


def _create_users(usernames):
    """People we do not know yet: inactive, with no usable password, until invited."""
    user_model = get_user_model()
    new_users = [
        user_model(username=username, is_active=False, password=make_password(None))
        for username in usernames
    ]
    return {user.username: user for user in user_model.objects.bulk_create(new_users)}


def _save_projects(plan, teams, users):
    """The projects in file order; new ones are created, stored ones get a new version."""
    imported = []
    for entry in plan.document["projects"]:
        project = plan.projects.get(entry["key"])
        item = _Imported(entry, project or Project(key=entry["key"]), project is None, None)
        if not item.created:
            item.old_stage = project.stage
            item.project.version += 1
        for column in PROJECT_COLUMNS:
            if column in entry:
                setattr(item.project, column, entry[column])
        item.project.team = teams[entry["team"]]
        if "owner" in entry:
            item.project.owner = users.get(entry["owner"])
        imported.append(item)
    Project.objects.bulk_create(
        [item.project for item in imported if item.created], batch_size=1000
    )
    # One UPDATE each: bulk_update's CASE expressions are far slower for this many columns.
    for item in imported:
        if not item.created:
            item.project.save(
                update_fields=[*PROJECT_COLUMNS, "team", "owner", "version", "updated_at"]
            )
    return imported


def _save_ratings(imported, users, criteria):
    """Add the ratings; a stored one of the same project, rater and criterion is replaced.

    A rating the file repeats unchanged is left alone, so re-importing an export writes
    (almost) nothing and keeps each rating's time of last change.
    """
    stored = _stored_ratings([item.project.pk for item in imported if not item.created])
    changed = []
    for item in imported:
        for rating in item.entry.get("ratings", []):
            # Ids rather than objects: a portfolio may hold half a million ratings.
            ids = (item.project.pk, users[rating["rater"]].pk, criteria[rating["criterion"]].pk)
            score, note = rating["score"], rating.get("note", "")
            if stored.get(ids) != (score, note):
                changed.append(
                    Rating(
                        project_id=ids[0],
                        rater_id=ids[1],
                        criterion_id=ids[2],
                        score=score,
                        note=note,
                    )
                )
    Rating.objects.bulk_create(
        changed,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["project", "rater", "criterion"],
        update_fields=["score", "note", "updated_at"],
    )


def _stored_ratings(project_ids):
    """{(project, rater, criterion) ids: (score, note)} of the given projects."""
    if not project_ids:
        return {}
    rows = Rating.objects.filter(project__in=project_ids).values_list(
        "project_id", "rater_id", "criterion_id", "score", "note"
    )
    return {(p, r, c): (score, note) for p, r, c, score, note in rows.iterator(chunk_size=10000)}


def _replace_details(imported):
    """Metrics, baselines and answers: a list in the file replaces the stored one."""
    for name, model in [("baselines", Baseline), ("metrics", Metric), ("answers", Answer)]:
        stored = [item.project for item in imported if name in item.entry and not item.created]
        model.objects.filter(project__in=stored).delete()
    replaced = [item.project for item in imported if "stage_history" in item.entry]
    StageTransition.objects.filter(project__in=replaced).delete()

    Metric.objects.bulk_create(
        Metric(project=item.project, **metric)
        for item in imported
        for metric in item.entry.get("metrics", [])
    )
    # A baseline names its metric: one from the file, or a stored one the file kept.
    with_baselines = [item.project for item in imported if item.entry.get("baselines")]
    metrics = {
        (metric.project_id, metric.name): metric
        for metric in Metric.objects.filter(project__in=with_baselines)
    }
    Baseline.objects.bulk_create(
        Baseline(
            project=item.project,
            **{name: value for name, value in baseline.items() if name != "metric"},
            metric=metrics.get((item.project.pk, baseline.get("metric"))),
        )
        for item in imported
        for baseline in item.entry.get("baselines", [])
    )
    Answer.objects.bulk_create(
        Answer(project=item.project, **answer)
        for item in imported
        for answer in item.entry.get("answers", [])
    )


def _transitions(imported, users, user):
    """The file's stage history; otherwise the moves the import itself makes."""
    for item in imported:
        project = item.project
        if "stage_history" in item.entry:
            for move in item.entry["stage_history"]:
                yield StageTransition(
                    project=project,
                    from_stage=move.get("from") or "",
                    to_stage=move["to"],
                    reason=move.get("reason", ""),
                    by=users.get(move.get("by")),
                    at=move["at"],
                )
        elif item.created:
            yield StageTransition(project=project, to_stage=project.stage, by=user)
        elif item.old_stage != project.stage:
            yield StageTransition(
                project=project,
                from_stage=item.old_stage,
                to_stage=project.stage,
                reason=_("Imported from a portfolio file."),
                by=user,
            )
