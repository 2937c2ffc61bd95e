"""Reads that feed the engine: load criteria, profile and ratings, then ask the engine.

Every page, command, export and chart gets its scores through `score_projects`, so one
code path computes them. Queries are fixed in number (criteria, profile weights,
projects, ratings), whatever the size of the portfolio.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
import psycopg
from django.db import connections
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from portfolio import access
from portfolio.models import Project, Rating
from scoring import engine
from scoring.models import Criterion, Dimension, ScoringProfile, Snapshot, quadrant_label


def default_profile():
    return ScoringProfile.objects.get(is_default=True)


def profile_named(name):
    """The profile with that name, the default one when no name is given; 404 if unknown."""
    if not name:
        return default_profile()
    try:
        return ScoringProfile.objects.get(name=name)
    except ScoringProfile.DoesNotExist:
        raise Http404(f"No scoring profile named {name!r}.") from None


@dataclass
class ScoredPortfolio:
    """The engine's answer with the objects it was computed from, for pages to show."""

    profile: ScoringProfile
    rules: engine.Rules
    criteria: list[Criterion]
    scores: list[engine.ProjectScore]
    queryset: QuerySet
    # The engine's inputs, kept for a second question on the same data (rank stability).
    engine_criteria: list[engine.Criterion] = field(default_factory=list)
    refs: list[engine.ProjectRef] = field(default_factory=list)
    ratings: engine.RatingColumns | None = None  # only with keep_ratings=True

    @cached_property
    def projects(self):
        """The scored projects by pk, loaded (in one query) only by pages that show them."""
        return self.queryset.select_related("team", "owner").in_bulk()

    def rows(self):
        """(project, score) pairs in rank order, unranked projects last."""
        return [(self.projects[score.key], score) for score in self.scores]

    @property
    def ranked(self):
        return [score for score in self.scores if score.rank is not None]

    @property
    def unscored(self):
        return [self.projects[score.key] for score in self.scores if score.rank is None]


def rules_for(profile, criteria):
    """The engine's criteria and rules under `profile` (its own weights override)."""
    overrides = {weight.criterion_id: weight.weight for weight in profile.weights.all()}
    engine_criteria = [
        criterion.as_engine_criterion(overrides.get(criterion.pk)) for criterion in criteria
    ]
    return engine_criteria, profile.rules()


def score_projects(projects, profile, *, keep_ratings=False):
    """Score and rank `projects` (a queryset) under `profile`.

    Four queries whatever the size of the portfolio: criteria, profile weights, the
    projects' titles and their ratings. `keep_ratings` keeps the ratings for
    `rank_stability_for`.
    """
    criteria = list(Criterion.objects.all())
    engine_criteria, rules = rules_for(profile, criteria)
    refs = [
        engine.ProjectRef(key=pk, title=title, order=pk)
        for pk, title in projects.order_by("pk").values_list("pk", "title")
    ]
    ratings = _rating_rows(projects, criteria, refs)
    return ScoredPortfolio(
        profile=profile,
        rules=rules,
        criteria=criteria,
        scores=engine.score_portfolio(engine_criteria, refs, ratings, rules),
        queryset=projects,
        engine_criteria=engine_criteria,
        refs=refs,
        ratings=ratings if keep_ratings else None,
    )


def _rating_rows(projects, criteria, refs):
    """Every rating of `projects`, as columns laid out on `criteria` and `refs` for the engine.

    The ORM writes the query. A portfolio of 10,000 projects has 450,000 ratings, and
    making each a Python row would cost several times the query itself, so they go straight
    into numpy: packed by PostgreSQL (see `_packed_ratings`), read from the cursor elsewhere.
    Ratings of projects or criteria missing from `refs` or `criteria` (created meanwhile)
    get the position -1, which the engine ignores.
    """
    queryset = (
        Rating.objects.filter(project__in=projects)
        .order_by()
        .values_list("project_id", "rater_id", "criterion_id", "score")
    )
    sql, params = queryset.query.sql_with_params()
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        project, rater, criterion, score = _packed_ratings(connection, sql, params)
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, 4)
        project, rater, criterion, score = rows.T
    return engine.RatingColumns(
        project=_positions([ref.key for ref in refs], project),
        rater=rater,
        criterion=_positions([c.pk for c in criteria], criterion),
        score=score,
    )


# All the rows of a query of ratings as one binary value, 26 bytes a rating.
_PACK = (
    "SELECT string_agg(int8send(project) || int8send(rater::int8) || int8send(criterion)"
    " || int2send(score::int2), ''::bytea) FROM ({}) AS ratings (project, rater, criterion, score)"
)
# One rating as _PACK writes it with int8send and int2send: big-endian, no padding.
_PACKED_RATING = np.dtype(
    [("project", ">i8"), ("rater", ">i8"), ("criterion", ">i8"), ("score", ">i2")]
)


def _packed_ratings(connection, sql, params):
    """The (project, rater, criterion, score) columns of ratings query `sql`, on PostgreSQL.

    The database packs the rows into one value that numpy reads as it is, rather than
    sending 450,000 rows for Python to build one by one. The value is fetched in binary,
    half the size of its text (hex) form, which takes a cursor that binds parameters on the
    server: Django's cursors bind them on the client. So the query is first composed with
    its parameters exactly as Django would send it, and still runs through Django's cursor
    wrapper, which logs and counts it. A value may hold 1 GB: some 40 million ratings.
    """
    query = _PACK.format(connection.ops.compose_sql(sql, params))
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as binary:
        binary.format = psycopg.pq.Format.BINARY
        if connection.queries_logged:
            cursor = connection.make_debug_cursor(binary)
        else:
            cursor = connection.make_cursor(binary)
        cursor.execute(query)
        (packed,) = cursor.fetchone()
    packed = np.frombuffer(packed or b"", dtype=_PACKED_RATING)
    return [packed[name].astype(np.int64) for name in _PACKED_RATING.names]


def _positions(keys, values):
    """The position of each of `values` in `keys`, or -1 for one that is not there."""
    keys = np.asarray(keys, dtype=np.int64)
    if not len(keys):
        return np.full(len(values), -1, dtype=np.int64)
    order = np.argsort(keys)
    found = np.searchsorted(keys[order], values).clip(max=len(keys) - 1)
    return np.where(keys[order][found] == values, order[found], -1)


def rank_stability_for(scored):
    """The engine's rank stability for a portfolio scored with ``keep_ratings=True``.

    It asks the engine about the very inputs of the scores shown next to it, without
    loading the ratings again.
    """
    if scored.ratings is None:
        raise ValueError("Rank stability needs score_projects(..., keep_ratings=True).")
    return engine.rank_stability(scored.engine_criteria, scored.refs, scored.ratings, scored.rules)


DISCUSS_SPREAD = 25.0  # points on the 0–100 scale: raters at least a step apart on average


@dataclass
class CriterionRow:
    criterion: Criterion
    contribution: engine.Contribution
    own: Rating | None
    others: list[Rating]

    @property
    def discuss(self):
        """Raters disagree enough on this criterion to talk it over."""
        spread = self.contribution.spread
        return spread is not None and spread >= DISCUSS_SPREAD


@dataclass
class Scorecard:
    """A project's scores as one user may see them, with their own ratings to edit."""

    profile: ScoringProfile
    score: engine.ProjectScore
    impact_rows: list[CriterionRow]
    feasibility_rows: list[CriterionRow]
    sees_others: bool
    missing_raters: list
    raters_count: int
    criteria: list[Criterion]
    own: dict[int, Rating]

    @property
    def rows(self):
        return self.impact_rows + self.feasibility_rows

    @property
    def dimensions(self):
        return [
            (Dimension.IMPACT.label, self.impact_rows),
            (Dimension.FEASIBILITY.label, self.feasibility_rows),
        ]

    @property
    def quadrant_label(self):
        return quadrant_label(self.score.quadrant)

    @property
    def verdict(self):
        """Why the project sits in its quadrant, in a sentence: "why is this a big bet?"."""
        score = self.score
        if score.quadrant is None:
            return ""
        dimensions = [
            (_("Impact"), score.impact, self.profile.impact_threshold, self.impact_rows),
            (_("feasibility"), score.feasibility, self.profile.feasibility_threshold,
             self.feasibility_rows),
        ]  # fmt: skip
        parts = []
        for name, value, threshold, rows in dimensions:
            rated = [row for row in rows if row.contribution.value is not None]
            high = engine.meets_threshold(value, threshold)
            # The criterion that carries a high score, or holds back a low one.
            decisive = (max if high else min)(rated, key=lambda row: row.contribution.value)
            if high:
                text = _("%(dimension)s %(value).1f ≥ %(threshold)g, carried by %(criterion)s")
            else:
                text = _("%(dimension)s %(value).1f < %(threshold)g, held back by %(criterion)s")
            parts.append(
                text
                % {
                    "dimension": name,
                    "value": value,
                    "threshold": threshold,
                    "criterion": decisive.criterion.name,
                }
            )
        return _("%(quadrant)s: %(reasons)s.") % {
            "quadrant": self.quadrant_label,
            "reasons": _("; ").join(parts),
        }

    @property
    def unrated(self):
        return [row.criterion for row in self.rows if row.contribution.raters == 0]

    @property
    def complete_for_user(self):
        return all(row.own is not None for row in self.rows)


def project_scorecard(project, user, profile):
    """Score one project (absolute: no other project is needed) and lay out its ratings."""
    criteria = list(Criterion.objects.all())
    engine_criteria, rules = rules_for(profile, criteria)
    ratings = list(project.ratings.select_related("rater").order_by("rater__username"))
    key_of = {criterion.pk: criterion.key for criterion in criteria}
    score = engine.score_project(
        engine_criteria,
        [(project.pk, r.rater_id, key_of[r.criterion_id], r.score) for r in ratings],
        rules,
        key=project.pk,
        title=project.title,
    )
    own = {r.criterion_id: r for r in ratings if r.rater_id == user.pk}
    sees_others = access.sees_others_ratings(user, project, len(own), len(criteria))
    rows = {engine.IMPACT: [], engine.FEASIBILITY: []}
    for criterion, contribution in zip(criteria, score.contributions, strict=True):
        others = [r for r in ratings if r.criterion_id == criterion.pk and r.rater_id != user.pk]
        rows[criterion.dimension].append(
            CriterionRow(criterion, contribution, own.get(criterion.pk), others)
        )
    rated_all = {
        rater
        for rater in score.raters
        if sum(1 for r in ratings if r.rater_id == rater) >= len(criteria)
    }
    members = project.team.memberships.select_related("user").order_by("user__username")
    return Scorecard(
        profile=profile,
        score=score,
        impact_rows=rows[engine.IMPACT],
        feasibility_rows=rows[engine.FEASIBILITY],
        sees_others=sees_others,
        missing_raters=[m.user for m in members if m.user_id not in rated_all],
        raters_count=len(score.raters),
        criteria=criteria,
        own=own,
    )


def snapshot_list(user):
    """Snapshots, newest first, each with how many of its projects the user may see now."""
    if access.is_manager(user):
        projects_count = Count("entries")
    else:
        visible = Q(entries__project__in=access.visible_projects(user))
        projects_count = Count("entries", filter=visible)
    return Snapshot.objects.select_related("created_by").annotate(projects_count=projects_count)


def snapshot_entries(snapshot, user, *, manager=None):
    """A snapshot's entries the user may see now; managers also see those of deleted projects."""
    manager = access.is_manager(user) if manager is None else manager
    entries = snapshot.entries.all()
    if not manager:
        entries = entries.filter(project__in=access.visible_projects(user))
    return entries


class Standing(NamedTuple):
    """A project's place in one ranking, as `engine.compare_rankings` reads it."""

    key: str  # the project's key: stable, and kept by a snapshot when the project goes
    title: str
    rank: int | None
    quadrant: str | None
    exists: bool  # the project is still there to link to


@dataclass
class Comparison:
    """How the ranking moved between a snapshot and another one, or now."""

    old: Snapshot
    new: Snapshot | None  # None: the current ranking
    profile: ScoringProfile | None  # what "now" is scored under
    movements: list[engine.Movement]
    existing: set[str]  # keys of the projects still there to link to


def compare_snapshot(old, new, user):
    """Compare snapshot `old` with snapshot `new`, or with today's ranking when `new` is None.

    Today's ranking is scored as a snapshot is taken, over the whole portfolio, under the
    old snapshot's profile (the default one if that profile is gone), so that ranks compare
    like with like. Then both sides keep only the projects the user may see now.
    """
    manager = access.is_manager(user)
    before = [_standing(entry) for entry in snapshot_entries(old, user, manager=manager)]
    profile = None
    if new is None:
        profile = ScoringProfile.objects.filter(name=old.profile_name).first()
        profile = profile or default_profile()
        scored = score_projects(Project.objects.all(), profile)
        visible = access.visible_projects(user).values_list("pk", flat=True)
        visible = None if manager else set(visible)
        after = [
            Standing(project.key, project.title, score.rank, score.quadrant, True)
            for project, score in scored.rows()
            if visible is None or project.pk in visible
        ]
    else:
        after = [_standing(entry) for entry in snapshot_entries(new, user, manager=manager)]
    return Comparison(
        old=old,
        new=new,
        profile=profile,
        movements=engine.compare_rankings(before, after),
        existing={standing.key for standing in before + after if standing.exists},
    )


def _standing(entry):
    exists = entry.project_id is not None
    return Standing(entry.project_key, entry.title, entry.rank, entry.quadrant or None, exists)
