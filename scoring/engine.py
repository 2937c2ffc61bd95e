"""Turn ratings into scores, quadrants and ranks: the one place the product does it.

Every page, command, export, snapshot and chart asks this module, so the formulas shown on
the "How scores work" page are computed in one place. The engine knows nothing of Django:
plain data in (criteria, project references, rating tuples or numpy columns, the rules of
a scoring profile), plain frozen dataclasses out. That keeps it testable without a
database, lets a selector feed it straight from the database, and makes a score a function
of its inputs alone.

This module is the engine's public face: what each question answers and what it promises
(order, ties, ranks, rank stability, movement between rankings). Callers import everything
from here. Two private modules hold the rest: ``scoring.vocabulary`` the constants and
dataclasses, re-exported here, and ``scoring.arrays`` the arithmetic, where each formula is
written once, on numpy arrays over all projects at once, so that ranking 10,000 projects
costs about as much as one SQL query; scoring one project is the same computation over a
portfolio of one.

Scores are absolute: a project's score depends only on its own ratings and the weights,
never on which other projects exist. Only ranks compare projects with one another.

Exactness: threshold comparisons and rank tie-breaks use values rounded to 9 decimal places
(see ``scoring.stability.rounded``), so the order of floating-point operations can never
change a quadrant or a rank. Reported values are unrounded.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from scoring.arrays import (
    _columns,
    _evaluate,
    _meets,
    _plan,
    _project_scores,
    _quadrants,
    _tabulate,
)
from scoring.stability import draw_ranks, rounded, summarise_ranks
from scoring.vocabulary import (
    BIG_BET,
    DEFAULT_RULES,
    DEPRIORITIZE,
    DIMENSIONS,
    DO_FIRST,
    FEASIBILITY,
    FILL_IN,
    IMPACT,
    MEAN,
    MEDIAN,
    QUADRANTS,
    SCALE,
    Contribution,
    Criterion,
    ProjectRef,
    ProjectScore,
    Rating,
    RatingColumns,
    Rules,
    normalise,
)

__all__ = [
    "BIG_BET",
    "DEFAULT_RULES",
    "DEPRIORITIZE",
    "DIMENSIONS",
    "DO_FIRST",
    "FEASIBILITY",
    "FILL_IN",
    "IMPACT",
    "MEAN",
    "MEDIAN",
    "QUADRANTS",
    "SCALE",
    "Contribution",
    "Criterion",
    "Movement",
    "ProjectRef",
    "ProjectScore",
    "Rating",
    "RatingColumns",
    "Rules",
    "Stability",
    "compare_rankings",
    "meets_threshold",
    "normalise",
    "quadrant_of",
    "rank_stability",
    "score_portfolio",
    "score_project",
]


def quadrant_of(impact: float, feasibility: float, rules: Rules = DEFAULT_RULES) -> str:
    """Name the cell of the 2x2 matrix, the product's headline answer for a project.

    A score equal to the threshold counts as high, compared at 9 decimals so that a score
    that is 50 on paper but 49.99999999999 in floating point still counts as high.
    """
    return str(_quadrants(np.array([impact], dtype=float), np.array([feasibility]), rules)[0])


def meets_threshold(value: float, threshold: float) -> bool:
    """Whether a dimension score counts as high: equal counts, compared at 9 decimals."""
    return bool(_meets(np.array([value], dtype=float), threshold)[0])


def score_project(
    criteria: Sequence[Criterion],
    ratings: Iterable[Rating | tuple],
    rules: Rules = DEFAULT_RULES,
    *,
    key: Hashable = None,
    title: str = "",
) -> ProjectScore:
    """Score one project without its portfolio, e.g. to preview a rating form.

    Because scores are absolute this equals the project's entry in ``score_portfolio``
    except for the rank, which needs the other projects and so is None. Every rating is
    taken as this project's: their ``project`` field is not consulted. It is the very
    computation of ``score_portfolio``, over a portfolio of one.
    """
    plan = _plan(criteria, rules)
    columns, rater_keys = _columns(plan, {key: 0}, ((key, r, c, s) for _, r, c, s in ratings))
    sheet = _tabulate(plan, 1, columns, rater_keys)
    found = _evaluate(plan, rules, sheet)
    (score,) = _project_scores(plan, rules, [ProjectRef(key, title, 0)], sheet, found, [0], [None])
    return score


def score_portfolio(
    criteria: Sequence[Criterion],
    projects: Iterable[ProjectRef],
    ratings: Iterable[Rating | tuple] | RatingColumns,
    rules: Rules = DEFAULT_RULES,
) -> list[ProjectScore]:
    """Score and rank a whole portfolio in one pass over its ratings.

    Pages list projects in this order: ranked ones by rank (1, 2, 3, ... without gaps),
    then those missing a dimension, by title. Ratings of unknown projects or criteria are
    ignored, so a selector need not filter them; if a rater rated the same criterion twice,
    the later rating counts, as an update would in the database. ``ratings`` may also come
    as ``RatingColumns`` laid out on these criteria and projects.

    A portfolio of 10,000 projects has half a million ratings, so every formula runs on
    numpy arrays over all projects at once; only the answer is built object by object.
    """
    projects = list(projects)
    position_of = {}
    for position, project in enumerate(projects):
        if project.key in position_of:
            raise ValueError(f"Project {project.key!r} is given twice.")
        position_of[project.key] = position
    plan = _plan(criteria, rules)
    if isinstance(ratings, RatingColumns):
        columns, rater_keys = ratings, None
    else:
        columns, rater_keys = _columns(plan, position_of, ratings)
    sheet = _tabulate(plan, len(projects), columns, rater_keys)
    found = _evaluate(plan, rules, sheet)
    # The last tie-break, and the order of the unranked: title, then creation order.
    last_resort = sorted(
        range(len(projects)), key=lambda j: (projects[j].title.casefold(), projects[j].order)
    )
    place = np.empty(len(projects), dtype=np.int64)
    place[last_resort] = np.arange(len(projects))
    ranked = np.flatnonzero(~np.isnan(found.priority))
    keys = (found.priority[ranked], found.impact[ranked], found.feasibility[ranked])
    ranked = ranked[np.lexsort((place[ranked], *(-rounded(k) for k in reversed(keys))))]
    unscored = np.isnan(found.priority).tolist()
    unranked = [j for j in last_resort if unscored[j]]
    ranks = list(range(1, len(ranked) + 1)) + [None] * len(unranked)
    return _project_scores(plan, rules, projects, sheet, found, ranked.tolist() + unranked, ranks)


@dataclass(frozen=True, slots=True)
class Stability:
    """How firmly a project holds its rank when the weights, a judgement call, move.

    The ranks are the 5th and 95th percentiles of the draws' ranks, each a rank that
    occurred (see ``scoring.stability.summarise_ranks``).
    """

    key: Hashable
    best_rank: int
    worst_rank: int
    top_k_share: float  # share of draws with rank <= rules.top_k


def rank_stability(
    criteria: Sequence[Criterion],
    projects: Iterable[ProjectRef],
    ratings: Iterable[Rating | tuple],
    rules: Rules = DEFAULT_RULES,
    *,
    draws: int = 500,
    seed: int = 0,
) -> dict[Hashable, Stability]:
    """Show how much a rank owes to the exact weights, which are only a judgement.

    Each draw multiplies every effective weight by its own uniform factor in [0.5, 1.5] and
    ranks again with the same tie-breaks (see ``scoring.stability``). The same seed gives
    the same answer. Only projects ranked under the base weights are reported, in rank
    order; the factors are positive, so no draw can score or unscore a project.
    """
    if draws < 1:
        raise ValueError("Rank stability needs at least one draw.")
    projects = list(projects)
    ranked = [s for s in score_portfolio(criteria, projects, ratings, rules) if s.rank is not None]
    if not ranked:
        return {}
    # The draws break their last ties by position, so lay the projects out in their
    # last-resort order: title, then creation.
    order_of = {project.key: project.order for project in projects}
    layout = sorted(ranked, key=lambda s: (s.title.casefold(), order_of[s.key]))
    plan = _plan(criteria, rules)
    ranks = draw_ranks(
        [[c.value for c in score.contributions] for score in layout],
        plan.weights,
        list(plan.dimensions.values()),
        draws=draws,
        seed=seed,
    )
    best, worst, share = summarise_ranks(ranks, rules.top_k)
    found = {
        score.key: Stability(score.key, int(best[j]), int(worst[j]), float(share[j]))
        for j, score in enumerate(layout)
    }
    return {score.key: found[score.key] for score in ranked}


@dataclass(frozen=True, slots=True)
class Movement:
    """One project's change between two rankings, e.g. a snapshot and today."""

    key: Hashable
    title: str
    old_rank: int | None
    new_rank: int | None
    change: int | None  # old_rank - new_rank: positive means it moved up
    old_quadrant: str | None
    new_quadrant: str | None
    status: str  # "new", "removed", "moved" or "unchanged"

    @property
    def quadrant_changed(self) -> bool:
        """Whether it changed cells of the matrix; new and removed projects did not."""
        return self.status == "moved" and self.old_quadrant != self.new_quadrant


def compare_rankings(old: Iterable[Any], new: Iterable[Any]) -> list[Movement]:
    """Tell what happened between two rankings: what is new, gone, or moved up or down.

    Accepts anything with ``key``, ``title``, ``rank`` and ``quadrant`` (scores, or the rows
    of a stored snapshot). A project has "moved" when its rank or its quadrant changed,
    also to or from unranked, and is "unchanged" otherwise. Listed by new rank, then the
    unranked by title, then the removed by their old rank.
    """
    old_by_key = {entry.key: entry for entry in old}
    movements = []
    for entry in new:
        before = old_by_key.pop(entry.key, None)
        if before is None:
            old_rank, old_quadrant, status = None, None, "new"
        else:
            old_rank, old_quadrant = before.rank, before.quadrant
            same = old_rank == entry.rank and old_quadrant == entry.quadrant
            status = "unchanged" if same else "moved"
        change = None if old_rank is None or entry.rank is None else old_rank - entry.rank
        movements.append(
            Movement(
                key=entry.key,
                title=entry.title,
                old_rank=old_rank,
                new_rank=entry.rank,
                change=change,
                old_quadrant=old_quadrant,
                new_quadrant=entry.quadrant,
                status=status,
            )
        )
    movements.sort(key=lambda m: _rank_then_title(m.new_rank, m.title))
    removed = [
        Movement(e.key, e.title, e.rank, None, None, e.quadrant, None, "removed")
        for e in old_by_key.values()
    ]
    removed.sort(key=lambda m: _rank_then_title(m.old_rank, m.title))
    return movements + removed


def _rank_then_title(rank: int | None, title: str) -> tuple:
    return (rank is None, rank or 0, title.casefold())
