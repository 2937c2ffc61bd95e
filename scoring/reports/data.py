"""What a report shows, gathered the way the dashboard gathers it.

A report is the dashboard's view (filters, scoring profile, snapshot) of one user: the
same `scoring.overview` rows, so an export always equals the screen it was started from.
Ratings and the per-project briefs are read lazily, a chunk of projects at a time, so
that memory stays flat however large the portfolio.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portfolio import access
from portfolio.models import Baseline, Project, Rating, StageTransition
from portfolio.questions import key_questions
from scoring import engine
from scoring.forms import DashboardForm
from scoring.models import Criterion
from scoring.overview import Overview, Row, overview

BRIEF_CHUNK = 200  # projects whose details are loaded together for the briefs
RATINGS_CHUNK = 1000  # projects whose ratings are read together


@dataclass
class CriterionUsed:
    """A criterion of the rubric with the weight the report's profile gives it."""

    criterion: Criterion
    weight: float


@dataclass
class Brief:
    """One project's page of the report: scores with contributions and its ML details."""

    row: Row
    contributions: list[tuple[Criterion, engine.Contribution]]
    key_questions: list[tuple[str, object]]  # (question text, Answer or None)
    metrics: list  # portfolio.models.Metric
    baselines: list  # portfolio.models.Baseline, with their metric
    transitions: list  # portfolio.models.StageTransition, oldest first
    raters: int  # how many people rated the project
    blind: bool = False  # blind rating: the user may not see the per-criterion values yet


@dataclass
class ReportData:
    user: object
    overview: Overview
    filters: list[tuple[str, str]]  # (label, value) of each filter in effect, for the cover
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def profile(self):
        return self.overview.profile

    @property
    def rules(self):
        return self.overview.rules

    @property
    def rows(self):
        """Ranked projects by rank, then the unranked ones by title."""
        return self.overview.rows

    @property
    def ranked(self):
        return self.overview.ranked

    @property
    def criteria(self):
        """The rubric's criteria (impact first) with the weights this report scored with."""
        scored = self.overview.scored
        return [
            CriterionUsed(criterion, used.weight)
            for criterion, used in zip(scored.criteria, scored.engine_criteria, strict=True)
        ]

    def ratings(self) -> Iterator[tuple]:
        """(project key, project title, rater, criterion key, score, note) of every rating.

        In the report's project order, then by rater and criterion. On a blind project the
        user sees only their own ratings until they have rated every criterion, as on the
        project page. Rows are read as plain values, a chunk of projects at a time.
        """
        criteria = self.overview.scored.criteria
        place = {criterion.pk: (index, criterion.key) for index, criterion in enumerate(criteria)}
        for chunk in _chunks(self.rows, RATINGS_CHUNK):
            projects = [row.project for row in chunk]
            hidden = self.blind
            ratings = (
                Rating.objects.filter(project__in=[project.pk for project in projects])
                .order_by()
                .values_list(
                    "project_id", "rater_id", "rater__username", "criterion_id", "score", "note"
                )
            )
            by_project = {}
            for project_id, rater_id, rater, criterion_id, score, note in ratings:
                if project_id in hidden and rater_id != self.user.pk:
                    continue
                index, key = place[criterion_id]
                by_project.setdefault(project_id, []).append((rater, index, key, score, note))
            for project in projects:
                for rater, _index, key, score, note in sorted(by_project.get(project.pk, [])):
                    yield project.key, project.title, rater, key, score, note

    def briefs(self) -> Iterator[Brief]:
        """One brief per project of the report, in its order, loaded a chunk at a time."""
        criteria = self.overview.scored.criteria
        for chunk in _chunks(self.rows, BRIEF_CHUNK):
            details = Project.objects.filter(pk__in=[row.project.pk for row in chunk])
            details = details.prefetch_related(
                "answers",
                "metrics",
                Prefetch("baselines", queryset=Baseline.objects.select_related("metric")),
                Prefetch(
                    "transitions",
                    queryset=StageTransition.objects.select_related("by").order_by("at", "pk"),
                ),
            ).annotate(raters=Count("ratings__rater", distinct=True))
            details = details.in_bulk()
            for row in chunk:
                project = details[row.project.pk]
                answers = {answer.question: answer for answer in project.answers.all()}
                yield Brief(
                    row=row,
                    contributions=list(zip(criteria, row.score.contributions, strict=True)),
                    key_questions=[
                        (text, answers.get(question))
                        for question, text in key_questions(project.archetype)
                    ],
                    metrics=list(project.metrics.all()),
                    baselines=list(project.baselines.all()),
                    transitions=list(project.transitions.all()),
                    raters=project.raters,
                    blind=project.pk in self.blind,
                )

    @cached_property
    def blind(self):
        """Pks of the projects whose other raters' ratings the user may not see yet.

        Blind rating, as on the project page: until the user has rated every criterion,
        the report leaves out the others' ratings and the per-criterion values, which are
        their means. The scores themselves stay, as on the dashboard.
        """
        blind = [row.project for row in self.rows if row.project.blind_rating]
        blind = [project for project in blind if not project.ratings_revealed]
        if not blind:
            return frozenset()
        criteria_count = len(self.overview.scored.criteria)
        own = dict(
            Project.objects.filter(pk__in=[project.pk for project in blind])
            .annotate(own=Count("ratings", filter=Q(ratings__rater_id=self.user.pk)))
            .values_list("pk", "own")
        )
        return frozenset(
            project.pk
            for project in blind
            if not access.sees_others_ratings(self.user, project, own[project.pk], criteria_count)
        )


def _chunks(rows, size):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class ReportError(Exception):
    """The report cannot be made as asked; the message says why, for the user."""


def report_data(user, query):
    """The report `user` asked for with the dashboard's `query` (e.g. a job's stored one).

    A profile or snapshot the query names that is gone raises ReportError rather than the
    report quietly falling back to another one, as the dashboard would.
    """
    form = DashboardForm(query, user=user)
    view = form.view()
    for name, label in [("profile", _("scoring profile")), ("snapshot", _("snapshot"))]:
        if query.get(name) and view[name] is None:
            raise ReportError(
                _("The %(what)s this export was asked with no longer exists.") % {"what": label}
            )
    return ReportData(user=user, overview=overview(user, view), filters=form.described())
