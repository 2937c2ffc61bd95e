"""The dashboard: the portfolio in priority order, as a quarterly planning meeting reads it.

Counts per quadrant, team and stage, the impact × feasibility matrix, the ranked table and
the projects that still need ratings, all under one set of filters and one scoring
profile. The filters form is a GET form: htmx swaps the results in one request and pushes
the URL, so a view can be shared, the back button restores the previous one, and the same
URL renders the whole page without JavaScript.

Next to each score the page shows how far the raters disagree (spread) and how much the
rank owes to the exact weights (rank stability), so that a close call is discussed rather
than read off a number. Managers freeze the ranking as a snapshot from here, and pick a
snapshot to see what moved since.
"""

from collections import Counter
from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portfolio import access
from portfolio import selectors as portfolio_selectors
from portfolio.charts import figure_json
from portfolio.lifecycle import Stage
from portfolio.models import Project
from portfolio.views.partials import render_page
from scoring import engine, selectors
from scoring.charts import matrix_figure
from scoring.forms import DashboardForm
from scoring.models import Dimension, Quadrant, SnapshotEntry

TEMPLATE = "scoring/dashboard.html"
TABLE_PAGE_SIZE = 50

# Points on the 0-100 scale. A dimension's spread is over the raters' weighted means, which
# damp single disagreements, so it flags at a lower bar than one criterion's spread does.
DISCUSS_DIMENSION_SPREAD = 20.0

# The filters that narrow the projects themselves (the quadrant narrows their scores).
PROJECT_FILTERS = ("team", "archetype", "stage", "status", "search")


class SnapshotForm(forms.Form):
    """Name the ranking to freeze; the profile is the one the page shows."""

    name = forms.CharField(
        label=_("Snapshot name"),
        max_length=100,
        help_text=_("For example “2027 Q1 planning”."),
    )
    profile = forms.CharField(widget=forms.HiddenInput, required=False)


@dataclass
class DashboardRow:
    project: Project
    score: engine.ProjectScore
    stability: engine.Stability | None
    before: SnapshotEntry | None = None  # the project in the snapshot compared with

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

    @property
    def movement(self):
        """Places gained since the snapshot (negative: lost); None if either is unranked."""
        if self.before is None or self.before.rank is None or self.score.rank is None:
            return None
        return self.before.rank - self.score.rank

    @property
    def quadrant_changed(self):
        return self.before is not None and (self.before.quadrant or None) != self.score.quadrant


def dashboard(request):
    form = DashboardForm(request.GET, user=request.user)
    return render_page(request, TEMPLATE, dashboard_context(request, form), partial="results")


def dashboard_context(request, form, *, snapshot_form=None):
    """What the dashboard shows for `form`'s view; also to re-show a refused snapshot form.

    The whole visible portfolio is scored once, so ranks and rank stability stay those of
    the portfolio whatever the filters; the filters then pick rows. The number of queries
    does not depend on the size of the portfolio.
    """
    user = request.user
    view = form.view()
    profile = view["profile"] or selectors.default_profile()
    scored = selectors.score_projects(access.visible_projects(user), profile, keep_ratings=True)
    stability = selectors.rank_stability_for(scored)
    rows = [
        DashboardRow(project, score, stability.get(score.key)) for project, score in scored.rows()
    ]
    filters = view["filters"]
    if any(filters[name] for name in PROJECT_FILTERS):
        wanted = set(portfolio_selectors.project_list(user, **filters).values_list("pk", flat=True))
        rows = [row for row in rows if row.project.pk in wanted]
    if view["quadrant"]:
        rows = [row for row in rows if row.score.quadrant == view["quadrant"]]
    snapshot = view["snapshot"]
    before = {}
    if snapshot is not None:
        before = {
            entry.project_id: entry
            for entry in selectors.snapshot_entries(snapshot, user)
            if entry.project_id is not None
        }
        for row in rows:
            row.before = before.get(row.project.pk)

    ranked = [row for row in rows if row.score.rank is not None]
    matrix = matrix_figure(
        [(row.project, row.score) for row in ranked],
        profile,
        size_by=view["size_by"],
        colour_by=view["colour_by"],
        show_spread=view["show_spread"],
        before={pk: (entry.impact, entry.feasibility) for pk, entry in before.items()},
        before_name=gettext("Since “%(name)s”") % {"name": snapshot.name} if snapshot else "",
    )
    if access.is_manager(user) and snapshot_form is None:
        snapshot_form = SnapshotForm(initial={"profile": profile.name})
    return {
        "form": form,
        "profile": profile,
        "rules": scored.rules,
        "snapshot": snapshot,
        "ranked": ranked,
        "page": Paginator(ranked, TABLE_PAGE_SIZE).get_page(request.GET.get("page")),
        "needs_ratings": [row for row in rows if row.score.rank is None],
        "counts": _counts(rows, ranked),
        "total": len(rows),
        "matrix": figure_json(matrix) if ranked else None,
        "snapshot_form": snapshot_form if access.is_manager(user) else None,
    }


def _counts(rows, ranked):
    """(value, label, count) per quadrant, per team and per stage, for the counts panel.

    Values are what the filter form takes, so each count links to its filtered view.
    """
    quadrants = Counter(row.score.quadrant for row in ranked)
    teams = Counter((row.project.team_id, row.project.team.name) for row in rows)
    stages = Counter(row.project.stage for row in rows)
    return {
        "quadrant": [(value, label, quadrants[value]) for value, label in Quadrant.choices],
        "team": [(pk, name, count) for (pk, name), count in sorted(teams.items(), key=_by_name)],
        "stage": [(value, label, stages[value]) for value, label in Stage.choices if stages[value]],
    }


def _by_name(item):
    (_pk, name), _count = item
    return name.casefold()
