"""Applying a valid interchange document: all of it in one transaction, or nothing.

The whole document is checked first (`validation`), then written in bulk through the
ORM, not through the one-at-a-time services: a portfolio of ten thousand projects must
load in seconds. What the services would have recorded is kept where it matters: each
imported project gets an "imported" audit entry and a new version, so that an edit
started before the import meets a conflict instead of overwriting it.

A stored project the file repeats exactly is left alone (no new version, no audit entry,
no rating rewritten): importing the same file twice changes nothing the second time. A
project entry that gives any of the replaceable lists counts as changed, because those
lists are written afresh.
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
# The lists an entry replaces wholesale when it gives them.
REPLACED_LISTS = ("metrics", "baselines", "answers", "stage_history")


@dataclass
class Summary:
    """What an import creates and updates, for the preview and the report after it."""

    projects_created: list = field(default_factory=list)
    projects_updated: list = field(default_factory=list)
    projects_unchanged: list = field(default_factory=list)
    teams_created: list = field(default_factory=list)
    users_created: list = field(default_factory=list)
    criteria_created: list = field(default_factory=list)
    criteria_updated: list = field(default_factory=list)
    criteria_unchanged: list = field(default_factory=list)
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
    # {project key: the file's ratings that differ from the stored ones}
    changed_ratings: dict


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
    stage history by the file's lists where the file has them. A stored project the file
    would not change is not written at all. `user` is recorded as the author of the audit
    entries (None for a command).
    """
    plan = _plan(document)
    criteria = _save_rubric(plan)
    teams = plan.teams | _create_teams(plan.summary.teams_created)
    users = plan.users | _create_users(plan.summary.users_created)
    imported = _save_projects(plan, teams, users)
    _save_ratings(imported, plan.changed_ratings, users, criteria)
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
    changed_ratings = _changed_ratings(projects, stored, users, criteria)
    unchanged = {
        entry["key"]
        for entry in projects
        if entry["key"] in stored
        and not changed_ratings[entry["key"]]
        and not _project_changes(entry, stored[entry["key"]], teams, users)
    }
    changed_criteria = {
        entry["key"] for entry in rubric if _criterion_changes(entry, criteria.get(entry["key"]))
    }
    summary = Summary(
        projects_created=[key for key in keys if key not in stored],
        projects_updated=[key for key in keys if key in stored and key not in unchanged],
        projects_unchanged=[key for key in keys if key in unchanged],
        teams_created=[name for name in team_names if name not in teams],
        users_created=[name for name in usernames if name not in users],
        criteria_created=[entry["key"] for entry in rubric if entry["key"] not in criteria],
        criteria_updated=[
            entry["key"]
            for entry in rubric
            if entry["key"] in criteria and entry["key"] in changed_criteria
        ],
        criteria_unchanged=[
            entry["key"] for entry in rubric if entry["key"] not in changed_criteria
        ],
        ratings=sum(len(ratings) for ratings in changed_ratings.values()),
    )
    return _Plan(checked, summary, criteria, teams, users, stored, changed_ratings)


def _changed_ratings(projects, stored, users, criteria):
    """{key: the entry's ratings that add or replace one}; unchanged ratings are left out.

    A rating by a user or of a criterion the database does not know yet is new.
    """
    ratings = _stored_ratings([project.pk for project in stored.values()])
    changed = {}
    for entry in projects:
        project, changed[entry["key"]] = stored.get(entry["key"]), []
        for rating in entry.get("ratings", []):
            rater, criterion = users.get(rating["rater"]), criteria.get(rating["criterion"])
            before = None
            if project and rater and criterion:
                before = ratings.get((project.pk, rater.pk, criterion.pk))
            if before != (rating["score"], rating.get("note", "")):
                changed[entry["key"]].append(rating)
    return changed


def _project_changes(entry, project, teams, users):
    """Whether importing `entry` would change the stored `project`."""
    if any(name in entry for name in REPLACED_LISTS):
        return True
    if any(
        getattr(project, column) != entry[column] for column in PROJECT_COLUMNS if column in entry
    ):
        return True
    team = teams.get(entry["team"])
    if team is None or team.pk != project.team_id:
        return True
    if entry.get("owner"):
        # A user the import creates is a new owner.
        owner = users.get(entry["owner"])
        return owner is None or owner.pk != project.owner_id
    return "owner" in entry and project.owner_id is not None


def _criterion_changes(entry, criterion):
    return criterion is None or any(
        getattr(criterion, column) != entry[column]
        for column in CRITERION_COLUMNS
        if column in entry
    )


def _usernames(projects):
    for project in projects:
        if project.get("owner"):
            yield project["owner"]
        yield from (rating["rater"] for rating in project.get("ratings", []))
        yield from (move["by"] for move in project.get("stage_history", []) if move.get("by"))


def _save_rubric(plan):
    """Create or update the file's criteria that differ; returns every criterion by key."""
    criteria = dict(plan.criteria)
    changed = set(plan.summary.criteria_created + plan.summary.criteria_updated)
    for entry in plan.document.get("rubric") or []:
        if entry["key"] not in changed:
            continue
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
    """The projects in file order that the file creates or changes; stored ones that change
    get a new version. Unchanged ones are left out, so nothing more touches them."""
    unchanged = set(plan.summary.projects_unchanged)
    imported = []
    for entry in plan.document["projects"]:
        if entry["key"] in unchanged:
            continue
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


def _save_ratings(imported, changed_ratings, users, criteria):
    """Add the ratings; a stored one of the same project, rater and criterion is replaced.

    Only the ratings the plan found changed are written, so a rating the file repeats
    unchanged keeps its time of last change.
    """
    Rating.objects.bulk_create(
        (
            # Ids rather than objects: a portfolio may hold half a million ratings.
            Rating(
                project_id=item.project.pk,
                rater_id=users[rating["rater"]].pk,
                criterion_id=criteria[rating["criterion"]].pk,
                score=rating["score"],
                note=rating.get("note", ""),
            )
            for item in imported
            for rating in changed_ratings[item.entry["key"]]
        ),
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
