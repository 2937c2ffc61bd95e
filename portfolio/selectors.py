"""Reads for pages: querysets shaped for what each page shows.

Every selector starts from `access`, so a page can show only what its user may see, and
plans its queries (`select_related`, `annotate`) so a page's query count does not grow
with the portfolio.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from portfolio import access
from portfolio.lifecycle import Stage
from portfolio.models import Baseline, Metric, Project, Status
from portfolio.questions import CHECKLIST, Archetype, key_questions

# --- The portfolio list ---------------------------------------------------------------


def _in_declared_order(field, choices):
    """Sort a choice field in the order its choices are declared, not alphabetically.

    Stages sort through the lifecycle (planning before data before training), which is
    what a reader of the list expects.
    """
    return Case(
        *(When(**{field: value}, then=Value(index)) for index, value in enumerate(choices.values)),
        default=Value(len(choices.values)),
        output_field=IntegerField(),
    )


# Each sort key of the portfolio list and what it orders by. Only these keys can reach
# `order_by`; a request can never order by a field it names itself.
PROJECT_LIST_ORDERINGS = {
    "title": [Lower("title")],
    "team": [Lower("team__name")],
    "archetype": [_in_declared_order("archetype", Archetype)],
    "stage": [_in_declared_order("stage", Stage)],
    "status": [_in_declared_order("status", Status)],
    "effort": [F("effort_weeks")],
    "likelihood": [F("success_likelihood")],
    "owner": [Lower("owner__first_name"), Lower("owner__last_name"), Lower("owner__username")],
    "updated": [F("updated_at")],
}
PROJECT_LIST_SORT_KEYS = tuple(PROJECT_LIST_ORDERINGS)
PROJECT_LIST_DEFAULT_SORT = "title"


def project_list(
    user, *, team=None, archetype="", stage="", status="", search="", sort=PROJECT_LIST_DEFAULT_SORT
):
    """The projects `user` may see, filtered, searched and sorted for the portfolio list.

    `sort` is a key of PROJECT_LIST_ORDERINGS, with a leading "-" for descending; an
    unknown key sorts by title. Projects without a value (no effort, no owner) come last
    either way, and the primary key breaks ties so pages never repeat or skip a row.
    """
    projects = access.visible_projects(user).select_related("team", "owner")
    if team is not None:
        projects = projects.filter(team=team)
    if archetype:
        projects = projects.filter(archetype=archetype)
    if stage:
        projects = projects.filter(stage=stage)
    if status:
        projects = projects.filter(status=status)
    if search:
        projects = projects.filter(
            Q(title__icontains=search) | Q(key__icontains=search) | Q(summary__icontains=search)
        )

    descending = sort.startswith("-")
    expressions = PROJECT_LIST_ORDERINGS.get(sort.removeprefix("-"))
    if expressions is None:
        descending, expressions = False, PROJECT_LIST_ORDERINGS[PROJECT_LIST_DEFAULT_SORT]
    ordering = [
        expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        for expression in expressions
    ]
    return projects.order_by(*ordering, "pk")


# --- The project page -----------------------------------------------------------------

AUDIT_ENTRIES_SHOWN = 50
BASELINE_KIND_ORDER = {kind: index for index, kind in enumerate(Baseline.Kind.values)}


@dataclass
class ProjectPage:
    """What the project page shows besides the project's own fields."""

    transitions: list
    key_questions: list
    checklist: list
    earlier_answers: list
    metrics: list
    baselines: list
    audit_entries: list

    @property
    def questions(self):
        return [*self.key_questions, *self.checklist]

    @property
    def optimizing_metric(self):
        return next((m for m in self.metrics if m.role == Metric.Role.OPTIMIZING), None)


RATING_AUDIT_PREFIX = "rating:"


def project_page(project, *, criteria, hide_others_ratings_from=None):
    """The lifecycle, answers, metrics, baselines and audit trail of `project`.

    One query per kind of row, however many rows there are. Each question the project
    asks now (its archetype's key questions, then the feasibility checklist) comes as
    (key, text, answer or None); answers to another archetype's questions, given before
    the archetype changed, are kept in `earlier_answers`, so nothing the team wrote is lost.
    `criteria` name the ratings in the audit trail. During a blind rating round the trail
    leaves out the other raters' ratings (`hide_others_ratings_from` must not see them yet).
    """
    answers = {answer.question: answer for answer in project.answers.all()}
    asked = {key for key, _text in project.questions()}
    metrics = sorted(
        project.metrics.all(),
        key=lambda metric: (metric.role != Metric.Role.OPTIMIZING, metric.name.lower()),
    )
    baselines = sorted(
        project.baselines.select_related("metric"),
        key=lambda baseline: (
            baseline.metric is None,
            baseline.metric.name.lower() if baseline.metric else "",
            BASELINE_KIND_ORDER[baseline.kind],
            baseline.pk,
        ),
    )
    audit_entries = project.audit_entries.select_related("user")
    if hide_others_ratings_from is not None:
        audit_entries = audit_entries.exclude(
            Q(field__startswith=RATING_AUDIT_PREFIX) & ~Q(user=hide_others_ratings_from)
        )
    audit_entries = audit_entries[:AUDIT_ENTRIES_SHOWN]
    criterion_names = {criterion.key: criterion.name for criterion in criteria}
    return ProjectPage(
        transitions=list(project.transitions.select_related("by")),
        key_questions=[
            (key, text, answers.get(key)) for key, text in key_questions(project.archetype)
        ],
        checklist=[(key, text, answers.get(key)) for key, text in CHECKLIST],
        earlier_answers=[answer for key, answer in answers.items() if key not in asked],
        metrics=metrics,
        baselines=baselines,
        audit_entries=[describe_audit_entry(entry, criterion_names) for entry in audit_entries],
    )


def describe_audit_entry(entry, criterion_names=None):
    """An audit entry as people read it: who, when, which field, from what to what."""
    user = entry.user
    return {
        "who": (user.get_full_name() or user.username) if user else _("Someone"),
        "at": entry.at,
        "field": _audit_field_label(entry.field, criterion_names or {}),
        "old": entry.old,
        "new": entry.new,
    }


def _audit_field_label(field, criterion_names):
    """Services record a project field by its name, anything else by its label."""
    if field == "created":
        return _("project created")
    if field.startswith(RATING_AUDIT_PREFIX):
        key = field.removeprefix(RATING_AUDIT_PREFIX)
        return _("rating of %(criterion)s") % {"criterion": criterion_names.get(key, key)}
    try:
        return Project._meta.get_field(field).verbose_name
    except FieldDoesNotExist:
        return field
