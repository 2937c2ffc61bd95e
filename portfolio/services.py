"""Writes to the portfolio. Each service is one transaction and leaves an audit trail.

Edits are checked against the version the user started from (optimistic concurrency):
a save made from an outdated version raises `ConflictError` with the changes the user
has not seen, instead of silently overwriting them.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portfolio.lifecycle import Stage, is_loop_back
from portfolio.models import (
    Answer,
    AuditEntry,
    Baseline,
    Metric,
    Project,
    Rating,
    StageTransition,
)
from portfolio.questions import QUESTION_TEXT

AUDITED_FIELDS = [
    "title",
    "summary",
    "team",
    "owner",
    "archetype",
    "status",
    "effort_weeks",
    "expected_value",
    "success_likelihood",
]


class ConflictError(Exception):
    """Someone else saved the project after the user loaded it."""

    def __init__(self, project, changes):
        super().__init__("The project was changed by someone else.")
        self.project = project
        self.changes = changes


def display_value(instance, field, value):
    """A value as people read it: choice labels, names of related objects, blanks as —."""
    if value is None or value == "":
        return "—"
    model_field = instance._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _lock(project):
    return Project.objects.select_for_update().get(pk=project.pk)


def _bump(project, user, changes):
    """Save a new version of the project and record what changed in it."""
    project.version += 1
    project.save()
    AuditEntry.objects.bulk_create(
        AuditEntry(project=project, user=user, version=project.version, field=f, old=o, new=n)
        for f, o, n in changes
    )


class KeyTaken(Exception):
    """Two people chose the same new key at once; the one who saved second gets this."""

    def __init__(self, key):
        super().__init__(key)
        self.message = _(
            "Someone has just created a project with the key “%(key)s”. Choose another key."
        ) % {"key": key}


def _check_version(project, version):
    if version is not None and project.version != version:
        unseen = project.audit_entries.filter(version__gt=version).select_related("user")
        raise ConflictError(project, list(unseen.order_by("at", "pk")))


@transaction.atomic
def create_project(*, user, **fields):
    """Create a proposal; raises KeyTaken if its key was taken since the form checked it."""
    project = Project(**fields)
    try:
        with transaction.atomic():  # a savepoint: the transaction survives a refused insert
            project.save(force_insert=True)
    except IntegrityError:
        if Project.objects.filter(key=fields.get("key")).exists():
            raise KeyTaken(fields["key"]) from None
        raise
    StageTransition.objects.create(project=project, to_stage=project.stage, by=user)
    AuditEntry.objects.create(
        project=project, user=user, version=project.version, field="created", new=project.title
    )
    return project


@transaction.atomic
def update_project(*, project, user, version, **fields):
    """Apply the changed fields; raises ConflictError if `version` is outdated."""
    project = _lock(project)
    _check_version(project, version)
    changes = []
    for field, value in fields.items():
        old = getattr(project, field)
        if old != value:
            changes.append(
                (
                    field,
                    display_value(project, field, old),
                    display_value(project, field, value),
                )
            )
            setattr(project, field, value)
    if changes:
        project.full_clean()
        _bump(project, user, changes)
    return project


@transaction.atomic
def move_stage(*, project, user, to_stage, reason="", version=None):
    """Move the project to another lifecycle stage. A move back needs a reason."""
    project = _lock(project)
    _check_version(project, version)
    reason = reason.strip()
    if to_stage == project.stage:
        raise ValidationError({"to_stage": _("The project is already in this stage.")})
    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Choose a stage of the lifecycle.")})
    if is_loop_back(project.stage, to_stage) and not reason:
        raise ValidationError(
            {"reason": _("Moving back to an earlier stage needs a reason: what did you learn?")}
        )
    transition = StageTransition.objects.create(
        project=project, from_stage=project.stage, to_stage=to_stage, reason=reason, by=user
    )
    old = display_value(project, "stage", project.stage)
    project.stage = to_stage
    _bump(project, user, [("stage", old, display_value(project, "stage", to_stage))])
    return transition


@transaction.atomic
def answer_question(*, project, user, question, value, note=""):
    answer, created = Answer.objects.get_or_create(project=project, question=question)
    old = "—" if created else f"{answer.get_value_display()} {answer.note}".strip()
    answer.value, answer.note = value, note
    answer.full_clean()
    answer.save()
    new = f"{answer.get_value_display()} {answer.note}".strip()
    _audit(project, user, str(QUESTION_TEXT.get(question, question)), old, new)
    return answer


def _describe(instance):
    return str(instance) if instance is not None else "—"


def _save_row(*, project, user, instance, model, label, describe, fields):
    """Create or update one of the project's rows (metric, baseline), audited."""
    old = describe(instance)
    instance = instance or model(project=project)
    for field, value in fields.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    _audit(project, user, label, old, describe(instance))
    return instance


def _delete_row(*, instance, user, label, describe):
    _audit(instance.project, user, label, describe(instance), "—")
    instance.delete()


@transaction.atomic
def save_metric(*, project, user, metric=None, **fields):
    """Create a metric, or update `metric`; the form has checked the one-optimizing rule."""
    return _save_row(
        project=project,
        user=user,
        instance=metric,
        model=Metric,
        label=_("metric"),
        describe=_describe_metric,
        fields=fields,
    )


@transaction.atomic
def delete_metric(*, metric, user):
    _delete_row(instance=metric, user=user, label=_("metric"), describe=_describe_metric)


@transaction.atomic
def save_baseline(*, project, user, baseline=None, **fields):
    return _save_row(
        project=project,
        user=user,
        instance=baseline,
        model=Baseline,
        label=_("baseline"),
        describe=_describe,
        fields=fields,
    )


@transaction.atomic
def delete_baseline(*, baseline, user):
    _delete_row(instance=baseline, user=user, label=_("baseline"), describe=_describe)


def _describe_metric(metric):
    if metric is None:
        return "—"
    current = "—" if metric.current is None else f"{metric.current:g}"
    return (
        f"{metric.name} ({metric.get_role_display()}) {metric.direction_symbol} "
        f"{metric.threshold:g}{metric.unit}, {_('now')} {current}"
    )


def _audit(project, user, field, old, new):
    if old != new:
        AuditEntry.objects.create(
            project=project, user=user, version=project.version, field=field, old=old, new=new
        )


@transaction.atomic
def rate_project(*, project, rater, criterion, score, note=""):
    """Record the rater's score for one criterion, replacing an earlier one (audited)."""
    rating = (
        Rating.objects.select_for_update()
        .filter(project=project, rater=rater, criterion=criterion)
        .first()
    )
    old = "—" if rating is None else f"{rating.score} {rating.note}".strip()
    rating = rating or Rating(project=project, rater=rater, criterion=criterion)
    rating.score, rating.note = score, note
    rating.full_clean()
    rating.save()
    # A stable field name, so that a blind round can hide other raters' entries.
    _audit(project, rater, f"rating:{criterion.key}", old, f"{score} {note}".strip())
    return rating


@transaction.atomic
def reveal_ratings(*, project, user):
    """End a blind rating round: everyone sees everyone's ratings from now on."""
    if not project.ratings_revealed:
        project.ratings_revealed = True
        project.save(update_fields=["ratings_revealed", "updated_at"])
        _audit(project, user, _("ratings revealed"), _("no"), _("yes"))
