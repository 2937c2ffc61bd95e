"""The whole portfolio as an interchange document, in an order that never varies.

Everything is sorted in Python on stored values, not by the database, whose collation
could order keys otherwise; ties keep the order in which rows were entered. Numbers are
written as stored, except that a whole number loses its ".0" (weight 3, not 3.0):
reading it back stores the same float, so export → import → export is exact.
"""

import json
from collections import defaultdict
from datetime import UTC, datetime

from django.db.models import Value
from django.db.models.functions import NullIf
from django.utils import timezone

from portfolio.models import Answer, Baseline, Metric, Project, Rating, StageTransition
from scoring.interchange.schema import FORMAT, GUIDANCE_LEVELS, VERSION
from scoring.models import Criterion, Dimension

# The lists a project carries: name in the file → (model, the file's names of the columns
# they are read from, the names the list is sorted by).
RELATED = {
    "ratings": (
        Rating,
        {
            "rater": "rater__username",
            "criterion": "criterion__key",
            "score": "score",
            "note": "note",
        },
        ("rater", "criterion"),
    ),
    "metrics": (
        Metric,
        {
            "name": "name",
            "role": "role",
            "direction": "direction",
            "threshold": "threshold",
            "current": "current",
            "unit": "unit",
        },
        ("name",),
    ),
    "baselines": (
        Baseline,
        {
            "kind": "kind",
            "metric": "metric__name",
            "value": "value",
            "source": "source",
            "note": "note",
        },
        (),
    ),
    "answers": (
        Answer,
        {"question": "question", "value": "value", "note": "note"},
        ("question",),
    ),
    "stage_history": (
        StageTransition,
        {
            "from": NullIf("from_stage", Value("")),
            "to": "to_stage",
            "reason": "reason",
            "by": "by__username",
            "at": "at",
        },
        ("at",),
    ),
}


def export_document(*, now=None):
    """The rubric and every project with its ratings and details; a fixed number of queries."""
    criteria = sorted(
        Criterion.objects.all(),
        key=lambda c: (c.dimension != Dimension.IMPACT, c.position, c.key),
    )
    projects = sorted(Project.objects.select_related("team", "owner"), key=lambda p: p.key)
    related = {
        name: _related_rows(model, columns, sort_by)
        for name, (model, columns, sort_by) in RELATED.items()
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": _timestamp((now or timezone.now()).replace(microsecond=0)),
        "rubric": [_criterion(criterion) for criterion in criteria],
        "projects": [
            _project(project) | {name: rows.get(project.pk, []) for name, rows in related.items()}
            for project in projects
        ],
    }


def dumps(document):
    """The document as the text of a file."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _criterion(criterion):
    levels = {level: getattr(criterion, f"guidance_{level}") for level in GUIDANCE_LEVELS}
    return {
        "key": criterion.key,
        "dimension": criterion.dimension,
        "name": criterion.name,
        "weight": _number(criterion.weight),
        "higher_is_better": criterion.higher_is_better,
        # The core format's one guidance string, for people and other tools.
        "guidance": " · ".join(f"{level} = {text}" for level, text in levels.items() if text),
        **{f"guidance_{level}": text for level, text in levels.items()},
        "description": criterion.description,
        "position": criterion.position,
    }


def _project(project):
    return {
        "key": project.key,
        "title": project.title,
        "team": project.team.name,
        "archetype": project.archetype,
        "stage": project.stage,
        "status": project.status,
        "summary": project.summary,
        "effort_weeks": _number(project.effort_weeks),
        "expected_value": _number(project.expected_value),
        "success_likelihood": _number(project.success_likelihood),
        "owner": project.owner.username if project.owner else None,
        "blind_rating": project.blind_rating,
        "ratings_revealed": project.ratings_revealed,
    }


def _related_rows(model, columns, sort_by):
    """{project pk: [row, …]} for one kind of row, in one query."""
    names = list(columns)
    rows = model.objects.order_by("pk").values_list("project_id", *columns.values())
    # Sort on stored values (a datetime, not its text); the sort is stable, so ties keep
    # the order entered.
    positions = [names.index(name) + 1 for name in sort_by]
    grouped = defaultdict(list)
    for project_id, *values in sorted(rows, key=lambda row: [row[0], *(row[i] for i in positions)]):
        grouped[project_id].append(
            {name: _plain(value) for name, value in zip(names, values, strict=True)}
        )
    return grouped


def _plain(value):
    if isinstance(value, datetime):
        return _timestamp(value)
    return _number(value)


def _number(value):
    """Floats as stored, but a whole number without ".0"; anything else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _timestamp(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
