"""The ranking: the projects a user may see, in priority order under a scoring profile.

Next to each score the page shows how far the raters disagree (spread) and how much the
rank owes to the exact weights (rank stability), so that a close call is discussed rather
than read off a number. Managers freeze the ranking they see as a snapshot from here.
"""

from collections import Counter
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio import access
from portfolio.charts import figure_json
from portfolio.models import Project
from portfolio.views.partials import render_page
from scoring import engine, selectors
from scoring.charts import matrix_figure
from scoring.models import Dimension, Quadrant, ScoringProfile

TEMPLATE = "scoring/ranking.html"

# Points on the 0-100 scale. A dimension's spread is over the raters' weighted means, which
# damp single disagreements, so it flags at a lower bar than one criterion's spread does.
DISCUSS_DIMENSION_SPREAD = 20.0


class SnapshotForm(forms.Form):
    """Name the ranking to freeze; the profile is the one the page shows."""

    name = forms.CharField(
        label=_("Snapshot name"),
        max_length=100,
        help_text=_("For example “2027 Q1 planning”."),
    )
    profile = forms.CharField(widget=forms.HiddenInput, required=False)


@dataclass
class RankingRow:
    project: Project
    score: engine.ProjectScore
    stability: engine.Stability | None

    @property
    def quadrant_label(self):
        return Quadrant(self.score.quadrant).label if self.score.quadrant else ""

    @property
    def discuss(self):
        """The raters disagree enough on a dimension to talk it over before deciding."""
        spreads = (self.score.impact_spread, self.score.feasibility_spread)
        return any(spread is not None and spread >= DISCUSS_DIMENSION_SPREAD for spread in spreads)

    @property
    def missing(self):
        """The dimensions that still lack ratings, which keep the project unranked."""
        score = self.score
        values = {Dimension.IMPACT: score.impact, Dimension.FEASIBILITY: score.feasibility}
        return [dimension.label for dimension, value in values.items() if value is None]


def ranking(request):
    profile = selectors.profile_named(request.GET.get("profile"))
    context = ranking_context(request, profile)
    return render_page(request, TEMPLATE, context, partial="table")


def ranking_context(request, profile, *, snapshot_form=None):
    """What the ranking page shows under `profile`; also for re-showing a snapshot form."""
    scored = selectors.score_projects(
        access.visible_projects(request.user), profile, keep_ratings=True
    )
    stability = selectors.rank_stability_for(scored)
    rows = [
        RankingRow(project, score, stability.get(score.key)) for project, score in scored.rows()
    ]
    ranked = [row for row in rows if row.score.rank is not None]
    counts = Counter(row.score.quadrant for row in ranked)
    is_manager = access.is_manager(request.user)
    if is_manager and snapshot_form is None:
        snapshot_form = SnapshotForm(initial={"profile": profile.name})
    return {
        "profile": profile,
        "profiles": list(ScoringProfile.objects.all()),
        "rules": scored.rules,
        "ranked": ranked,
        "needs_ratings": [row for row in rows if row.score.rank is None],
        "quadrant_counts": [(value, label, counts[value]) for value, label in Quadrant.choices],
        "matrix": figure_json(matrix_figure([(r.project, r.score) for r in ranked], profile)),
        "snapshot_form": snapshot_form if is_manager else None,
    }
