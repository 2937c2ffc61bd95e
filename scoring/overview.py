"""The portfolio as the dashboard and the reports show it: scored once, then filtered.

The whole portfolio a user may see is scored once, so ranks and rank stability stay those
of the portfolio whatever the filters; the filters then pick rows. A snapshot, if one is
chosen, gives each row its earlier standing. The number of queries does not depend on the
size of the portfolio. The dashboard draws an overview; an export writes the same one.
"""

from collections import Counter
from dataclasses import dataclass

from portfolio import access
from portfolio import selectors as portfolio_selectors
from portfolio.lifecycle import Stage
from portfolio.models import Project
from scoring import engine, selectors
from scoring.models import (
    Dimension,
    Quadrant,
    ScoringProfile,
    Snapshot,
    SnapshotEntry,
    quadrant_label,
)

# Points on the 0-100 scale. A dimension's spread is over the raters' weighted means, which
# damp single disagreements, so it flags at a lower bar than one criterion's spread does.
DISCUSS_DIMENSION_SPREAD = 20.0

# The filters that narrow the projects themselves (the quadrant narrows their scores).
PROJECT_FILTERS = ("team", "archetype", "stage", "status", "search")


@dataclass
class Row:
    """One project of the overview: its scores, rank stability and earlier standing."""

    project: Project
    score: engine.ProjectScore
    stability: engine.Stability | None
    before: SnapshotEntry | None = None  # the project in the snapshot compared with

    @property
    def quadrant_label(self):
        return quadrant_label(self.score.quadrant)

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


@dataclass
class Overview:
    profile: ScoringProfile
    scored: selectors.ScoredPortfolio
    rows: list[Row]  # ranked ones by rank, then the unranked ones by title
    snapshot: Snapshot | None = None

    @property
    def rules(self):
        return self.scored.rules

    @property
    def ranked(self):
        return [row for row in self.rows if row.score.rank is not None]

    @property
    def needs_ratings(self):
        return [row for row in self.rows if row.score.rank is None]

    def counts(self):
        """(value, label, count) per quadrant (ranked rows), per team and per stage.

        Values are what the dashboard's form takes, so each count can link to its view.
        """
        quadrants = Counter(row.score.quadrant for row in self.ranked)
        teams = Counter((row.project.team_id, row.project.team.name) for row in self.rows)
        stages = Counter(row.project.stage for row in self.rows)
        by_name = sorted(teams.items(), key=lambda item: item[0][1].casefold())
        return {
            "quadrant": [(value, label, quadrants[value]) for value, label in Quadrant.choices],
            "team": [(pk, name, count) for (pk, name), count in by_name],
            "stage": [
                (value, label, stages[value]) for value, label in Stage.choices if stages[value]
            ],
        }


def overview(user, view):
    """The overview `user` may see for `view`, as `scoring.forms.DashboardForm.view` gives it."""
    profile = view["profile"] or selectors.default_profile()
    scored = selectors.score_projects(access.visible_projects(user), profile, keep_ratings=True)
    stability = selectors.rank_stability_for(scored)
    rows = [Row(project, score, stability.get(score.key)) for project, score in scored.rows()]
    filters = view["filters"]
    if any(filters[name] for name in PROJECT_FILTERS):
        wanted = set(portfolio_selectors.project_list(user, **filters).values_list("pk", flat=True))
        rows = [row for row in rows if row.project.pk in wanted]
    if view["quadrant"]:
        rows = [row for row in rows if row.score.quadrant == view["quadrant"]]
    snapshot = view["snapshot"]
    if snapshot is not None:
        before = {
            entry.project_id: entry
            for entry in selectors.snapshot_entries(snapshot, user)
            if entry.project_id is not None
        }
        for row in rows:
            row.before = before.get(row.project.pk)
    return Overview(profile, scored, rows, snapshot)
