"""Compare side by side: two to six projects' scores, criteria, metrics and ratings.

The projects are scored with the rest of the portfolio the user sees, so ranks here are
the ranks everywhere else; only the columns are limited to the chosen projects. The
selection lives in the URL (`?projects=<key>&projects=<key>`), so a comparison is a link.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from portfolio import access
from portfolio.charts import figure_json
from portfolio.models import Baseline, Project, Rating
from portfolio.questions import key_questions
from portfolio.views.partials import render_page
from scoring import engine, selectors
from scoring.charts import matrix_figure, radar_figure
from scoring.forms import CompareForm
from scoring.models import Criterion, ScoringProfile, quadrant_label

TEMPLATE = "scoring/compare.html"


@dataclass
class Column:
    """One compared project, as the user may see it."""

    project: Project
    score: engine.ProjectScore
    sees_others: bool  # blind rating: False until the user has rated every criterion
    key_questions: list  # (question text, Answer or None) per archetype key question

    @property
    def quadrant_label(self):
        return quadrant_label(self.score.quadrant)


@dataclass
class CriterionRow:
    """One criterion across the columns: per project its value and the ratings shown."""

    criterion: Criterion
    cells: list  # (value or None, ratings) per column, in column order


def compare(request):
    profile = selectors.profile_named(request.GET.get("profile"))
    visible = access.visible_projects(request.user)
    data = request.GET if "projects" in request.GET else None
    form = CompareForm(data, projects=visible)
    if form.has_error("projects", "invalid_choice"):
        # A key the user may not see is as unknown as one that does not exist.
        raise Http404("No such project.")
    context = {
        "form": form,
        "profile": profile,
        "profiles": list(ScoringProfile.objects.all()),
    }
    if form.is_bound and form.is_valid():
        keys = list(dict.fromkeys(request.GET.getlist("projects")))
        context |= comparison(request.user, visible, keys, profile)
    return render_page(request, TEMPLATE, context, partial="comparison")


def comparison(user, visible, keys, profile):
    """The columns and rows of the comparison of the projects with `keys`, in that order."""
    scored = selectors.score_projects(visible, profile)
    score_of = {score.key: score for score in scored.scores}
    projects = {
        project.key: project
        for project in visible.filter(key__in=keys)
        .select_related("team", "owner")
        .prefetch_related(
            "metrics",
            Prefetch("baselines", queryset=Baseline.objects.select_related("metric")),
            "answers",
            Prefetch("ratings", queryset=Rating.objects.select_related("rater")),
        )
    }
    criteria = scored.criteria
    columns, criterion_cells = [], []
    for key in keys:
        project = projects[key]
        ratings = sorted(project.ratings.all(), key=lambda rating: rating.rater.username)
        own_count = sum(1 for rating in ratings if rating.rater_id == user.pk)
        sees_others = access.sees_others_ratings(user, project, own_count, len(criteria))
        shown = [r for r in ratings if sees_others or r.rater_id == user.pk]
        answers = {answer.question: answer for answer in project.answers.all()}
        score = score_of[project.pk]
        columns.append(
            Column(
                project=project,
                score=score,
                sees_others=sees_others,
                key_questions=[
                    (text, answers.get(question))
                    for question, text in key_questions(project.archetype)
                ],
            )
        )
        criterion_cells.append(
            [
                (
                    contribution.value if sees_others else None,
                    [r for r in shown if r.criterion_id == criterion.pk],
                )
                for criterion, contribution in zip(criteria, score.contributions, strict=True)
            ]
        )
    rows = [
        CriterionRow(criterion, [cells[index] for cells in criterion_cells])
        for index, criterion in enumerate(criteria)
    ]
    pairs = [(column.project, column.score) for column in columns]
    # Blind rating: a criterion's value is the raters' mean, which gives the others'
    # ratings away, so only projects whose ratings the user may see get a shape.
    charted = [(column.project, column.score) for column in columns if column.sees_others]
    return {
        "columns": columns,
        "criterion_rows": rows,
        "rules": scored.rules,
        "unranked": [project for project, score in pairs if score.rank is None],
        "hidden_from_radar": [column.project for column in columns if not column.sees_others],
        "radar": figure_json(radar_figure(charted, criteria)) if charted else None,
        "matrix": _matrix(pairs, profile),
    }


def _matrix(pairs, profile):
    """The matrix of the ranked ones among `pairs`, each bubble labelled; None if none is."""
    ranked = sorted(
        [(project, score) for project, score in pairs if score.rank is not None],
        key=lambda pair: pair[1].rank,
    )
    if not ranked:
        return None
    # Label every bubble: there are at most six, whatever their rank in the portfolio.
    return figure_json(matrix_figure(ranked, profile, top_k=ranked[-1][1].rank))
