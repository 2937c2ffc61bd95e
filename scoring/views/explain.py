"""The "How scores work" page: the formulas in plain words, and a worked example.

The example's numbers come from the engine at request time, with the current rubric
and the chosen profile, so the page cannot drift from how scores are really computed.
"""

from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portfolio.views.partials import render_page
from scoring import engine, selectors
from scoring.models import Criterion, Dimension, Quadrant, ScoringProfile

TEMPLATE = "scoring/how_scores_work.html"

EXAMPLE_TITLE = _("Support ticket triage")
EXAMPLE_SUMMARY = _(
    "Suggest a category and a priority for each incoming support ticket; an agent confirms "
    "or corrects it (a human in the loop)."
)
RATERS = ("Ana", "Ben")
# Each rater's 1–5 score of the default rubric's criteria, in the order of RATERS.
EXAMPLE_SCORES = {
    "business_value": (4, 5),
    "cheap_prediction": (3, 4),
    "automation": (4, 4),
    "data_flywheel": (2, 3),
    "data_availability": (4, 3),
    "accuracy_requirement": (2, 3),
    "problem_difficulty": (3, 3),
    "prior_work": (4, 5),
    "compute_cost": (2, 2),
}
# Criteria a manager added later get middling scores, so the example covers them too.
OTHER_SCORES = (3, 4)

# What each quadrant means for planning, in the lecture's words.
QUADRANT_ADVICE = {
    Quadrant.DO_FIRST: _("High impact, high feasibility: start here."),
    Quadrant.BIG_BET: _(
        "High impact, low feasibility: worth it only if made more feasible — narrow the "
        "scope, put a human in the loop, lower the accuracy it needs, or get the data first."
    ),
    Quadrant.FILL_IN: _(
        "Low impact, high feasibility: cheap wins for spare capacity; a data flywheel can "
        "raise their impact."
    ),
    Quadrant.DEPRIORITIZE: _("Low impact, low feasibility: park it and revisit later."),
}


def example_ratings(criteria):
    """The example's ratings as engine tuples: two raters, every criterion of the rubric."""
    return [
        engine.Rating("example", rater, criterion.key, score)
        for criterion in criteria
        for rater, score in zip(RATERS, _scores_of(criterion), strict=True)
    ]


@require_GET
def how_scores_work(request):
    profile = selectors.profile_named(request.GET.get("profile", ""))
    criteria = list(Criterion.objects.all())
    engine_criteria, rules = selectors.rules_for(profile, criteria)
    score = engine.score_project(
        engine_criteria, example_ratings(criteria), rules, key="example", title=str(EXAMPLE_TITLE)
    )
    context = {
        "profile": profile,
        "profiles": ScoringProfile.objects.only("pk", "name", "is_default"),
        "raters": RATERS,
        "example_title": EXAMPLE_TITLE,
        "example_summary": EXAMPLE_SUMMARY,
        "dimensions": _dimension_tables(criteria, score),
        "score": score,
        "quadrant": Quadrant(score.quadrant).label if score.quadrant else None,
        "high_impact": score.quadrant in (engine.DO_FIRST, engine.BIG_BET),
        "high_feasibility": score.quadrant in (engine.DO_FIRST, engine.FILL_IN),
        "quadrants": [
            {"value": value, "label": label, "advice": QUADRANT_ADVICE[value]}
            for value, label in Quadrant.choices
        ],
    }
    return render_page(request, TEMPLATE, context, partial="example")


def _dimension_tables(criteria, score):
    """Per dimension: each criterion's ratings, normalised values, value, weight, points."""
    tables = []
    for value, label in Dimension.choices:
        rows = []
        for criterion, contribution in zip(criteria, score.contributions, strict=True):
            if criterion.dimension != value:
                continue
            ratings = [
                (rating, engine.normalise(rating, criterion.higher_is_better))
                for rating in _scores_of(criterion)
            ]
            rows.append({"criterion": criterion, "ratings": ratings, "contribution": contribution})
        counted = [row for row in rows if row["contribution"].points is not None]
        tables.append(
            {
                "value": value,
                "label": label,
                "rows": rows,
                "score": score.impact if value == engine.IMPACT else score.feasibility,
                "spread": (
                    score.impact_spread if value == engine.IMPACT else score.feasibility_spread
                ),
                "total_weight": sum(row["contribution"].weight for row in counted),
            }
        )
    return tables


def _scores_of(criterion):
    return EXAMPLE_SCORES.get(criterion.key, OTHER_SCORES)
