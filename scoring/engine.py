"""Turn ratings into scores, quadrants and ranks: the one place the product does it.

Every page, command, export, snapshot and chart asks this module, so the formulas shown on
the "How scores work" page live here once. The engine is pure Python without Django: plain
data in (criteria, project references, rating tuples, the rules of a scoring profile), plain
frozen dataclasses out. That keeps it testable without a database, lets a selector feed it
straight from ``values_list()``, and makes a score a function of its inputs alone.

Scores are absolute: a project's score depends only on its own ratings and the weights,
never on which other projects exist. Only ranks compare projects with one another.

Exactness: threshold comparisons and rank tie-breaks use values rounded to 9 decimal places
(see ``_rounded``), so the order of floating-point operations can never change a quadrant or
a rank. Reported values are unrounded.
"""

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from scoring.stability import draw_ranks, summarise_ranks

IMPACT = "impact"
FEASIBILITY = "feasibility"
DIMENSIONS = (IMPACT, FEASIBILITY)

DO_FIRST = "do_first"
BIG_BET = "big_bet"
FILL_IN = "fill_in"
DEPRIORITIZE = "deprioritize"
QUADRANTS = (DO_FIRST, BIG_BET, FILL_IN, DEPRIORITIZE)

MEAN = "mean"
MEDIAN = "median"

SCALE = range(1, 6)  # a rating is 1, 2, 3, 4 or 5


@dataclass(frozen=True, slots=True)
class Criterion:
    """One question raters answer, e.g. data availability; it feeds one dimension."""

    key: str
    dimension: str
    weight: float
    higher_is_better: bool = True

    def __post_init__(self):
        if self.dimension not in DIMENSIONS:
            raise ValueError(f"Criterion {self.key!r}: unknown dimension {self.dimension!r}.")
        _check_weight(self.key, self.weight)


class Rating(NamedTuple):
    """One rater's answer; a tuple, so rows of ``values_list()`` serve as they are."""

    project: Hashable
    rater: Hashable
    criterion: str
    score: int


@dataclass(frozen=True, slots=True)
class ProjectRef:
    """What the engine needs to know of a project besides its ratings: how to name it."""

    key: Hashable
    title: str
    order: int  # creation order, the last tie-break


@dataclass(frozen=True, slots=True)
class Rules:
    """What a scoring profile decides; ``weights`` overrides the criteria's own weights."""

    impact_threshold: float = 50.0
    feasibility_threshold: float = 50.0
    aggregation: str = MEAN
    top_k: int = 5
    weights: Mapping[str, float] | None = None

    def __post_init__(self):
        if self.aggregation not in (MEAN, MEDIAN):
            raise ValueError(f"Unknown aggregation {self.aggregation!r}.")
        for key, weight in (self.weights or {}).items():
            _check_weight(key, weight)


DEFAULT_RULES = Rules()


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one criterion adds to a score, to answer "why is this a big bet?"."""

    criterion: str
    dimension: str
    weight: float  # the effective weight
    value: float | None  # 0..100, None if unrated
    points: float | None  # the points of a dimension sum to its score
    raters: int
    spread: float | None  # population std dev of the raters' normalised values


@dataclass(frozen=True, slots=True)
class ProjectScore:
    """A project's place on the matrix and in the ranking, with what explains it."""

    key: Hashable
    title: str
    impact: float | None
    feasibility: float | None
    priority: float | None
    quadrant: str | None
    rank: int | None
    impact_spread: float | None
    feasibility_spread: float | None
    contributions: tuple[Contribution, ...]  # one per criterion, in the criteria's order
    raters: frozenset


def normalise(score: int, higher_is_better: bool) -> float:
    """Put every rating on one 0-100 scale on which more is always better for the project.

    Some criteria, such as the accuracy requirement, are rated "higher is worse"; flipping
    them here lets every later formula treat all criteria alike.
    """
    if score not in SCALE:
        raise ValueError(f"A rating must be an integer from 1 to 5, not {score!r}.")
    if higher_is_better:
        return (score - 1) / 4 * 100
    return (5 - score) / 4 * 100


def quadrant_of(impact: float, feasibility: float, rules: Rules = DEFAULT_RULES) -> str:
    """Name the cell of the 2x2 matrix, the product's headline answer for a project.

    A score equal to the threshold counts as high, compared at 9 decimals so that a score
    that is 50 on paper but 49.99999999999 in floating point still counts as high.
    """
    high_impact = meets_threshold(impact, rules.impact_threshold)
    high_feasibility = meets_threshold(feasibility, rules.feasibility_threshold)
    if high_impact:
        return DO_FIRST if high_feasibility else BIG_BET
    return FILL_IN if high_feasibility else DEPRIORITIZE


def meets_threshold(value: float, threshold: float) -> bool:
    """Whether a dimension score counts as high: equal counts, compared at 9 decimals."""
    return _rounded(value) >= _rounded(threshold)


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
    taken as this project's: their ``project`` field is not consulted.
    """
    plan = _plan(criteria, rules)
    rows = {}
    _collect({key: rows}, plan, ((key, rater, c, s) for _, rater, c, s in ratings))
    return _score(plan, rules, key, title, rows)


def score_portfolio(
    criteria: Sequence[Criterion],
    projects: Iterable[ProjectRef],
    ratings: Iterable[Rating | tuple],
    rules: Rules = DEFAULT_RULES,
) -> list[ProjectScore]:
    """Score and rank a whole portfolio in one pass over its ratings.

    Pages list projects in this order: ranked ones by rank (1, 2, 3, ... without gaps),
    then those missing a dimension, by title. Ratings of unknown projects or criteria are
    ignored, so a selector need not filter them; if a rater rated the same criterion twice,
    the later rating counts, as an update would in the database.
    """
    projects = list(projects)
    plan = _plan(criteria, rules)
    rows_of = {}
    for project in projects:
        if project.key in rows_of:
            raise ValueError(f"Project {project.key!r} is given twice.")
        rows_of[project.key] = {}
    _collect(rows_of, plan, ratings)

    ranked, unranked = [], []
    for project in projects:
        score = _score(plan, rules, project.key, project.title, rows_of[project.key])
        (unranked if score.priority is None else ranked).append((score, project.order))
    ranked.sort(key=lambda pair: _rank_key(*pair))
    unranked.sort(key=lambda pair: (pair[0].title.casefold(), pair[1]))
    return [replace(score, rank=rank) for rank, (score, _) in enumerate(ranked, 1)] + [
        score for score, _ in unranked
    ]


class _Dimension:
    """A dimension's criteria under the rules, and the rating patterns already scored."""

    def __init__(self, positions: tuple[int, ...], weights: tuple[float, ...]):
        self.positions = positions
        self.weights = tuple(weights[i] for i in positions)
        # The values of this dimension's criteria from a row of all criteria, as a tuple.
        if len(positions) >= 2:
            self.pick: Callable = itemgetter(*positions)
        else:
            self.pick = lambda row: tuple(row[i] for i in positions)
        self._rater_scores = {}

    def score(self, values: Sequence[float | None]) -> tuple[float | None, float]:
        """Step 3, the weighted mean over rated criteria of positive weight, and its weight."""
        weighted = total = 0.0
        for weight, value in zip(self.weights, values, strict=True):
            if value is not None and weight > 0:
                weighted += weight * value
                total += weight
        return (weighted / total if total else None), total

    def rater_score(self, row: list[float | None]) -> float | None:
        # A rater's own score depends only on their few values, and portfolios repeat the
        # same patterns thousands of times: remember them.
        values = self.pick(row)
        if values not in self._rater_scores:
            self._rater_scores[values] = self.score(values)[0]
        return self._rater_scores[values]


class _Plan(NamedTuple):
    """What the rules make of the criteria, worked out once per call rather than per rating."""

    criteria: tuple[Criterion, ...]
    weights: tuple[float, ...]
    # criterion key -> (its position, the normalised value of each score)
    slots: dict[str, tuple[int, dict[int, float]]]
    dimensions: dict[str, _Dimension]
    contributions: dict[tuple, Contribution]  # those made so far, to share equal ones


def _plan(criteria: Sequence[Criterion], rules: Rules) -> _Plan:
    criteria = tuple(criteria)
    overrides = rules.weights or {}
    weights = tuple(float(overrides.get(c.key, c.weight)) for c in criteria)
    slots = {}
    for position, c in enumerate(criteria):
        if c.key in slots:
            raise ValueError(f"Criterion {c.key!r} is given twice.")
        slots[c.key] = (position, {s: normalise(s, c.higher_is_better) for s in SCALE})
    dimensions = {
        name: _Dimension(tuple(i for i, c in enumerate(criteria) if c.dimension == name), weights)
        for name in DIMENSIONS
    }
    return _Plan(criteria, weights, slots, dimensions, contributions={})


def _collect(rows_of: dict[Hashable, dict], plan: _Plan, ratings: Iterable[tuple]) -> None:
    """Give each project a row per rater: their normalised value per criterion, or None.

    This loop meets every rating of the portfolio, so it builds nothing per rating.
    """
    slots, width = plan.slots, len(plan.criteria)
    for project, rater, criterion, score in ratings:
        rows = rows_of.get(project)
        slot = slots.get(criterion)
        if rows is None or slot is None:
            continue
        position, scale = slot
        row = rows.get(rater)
        if row is None:
            row = rows[rater] = [None] * width
        try:
            row[position] = scale[score]
        except KeyError:
            raise ValueError(f"A rating must be an integer from 1 to 5, not {score!r}.") from None


def _score(plan: _Plan, rules: Rules, key: Hashable, title: str, rows: dict) -> ProjectScore:
    median = rules.aggregation == MEDIAN
    summaries = []  # per criterion: (value, spread, raters), or None if unrated
    for column in zip(*rows.values(), strict=True) if rows else [()] * len(plan.criteria):
        if None in column:
            column = [value for value in column if value is not None]
        summaries.append(_summary(tuple(sorted(column)), median) if column else None)
    values = [summary and summary[0] for summary in summaries]

    score, spread, total_weight = {}, {}, {}
    for name, dimension in plan.dimensions.items():
        score[name], total_weight[name] = dimension.score(dimension.pick(values))
        spread[name] = None
        if score[name] is not None:
            own = [s for s in map(dimension.rater_score, rows.values()) if s is not None]
            spread[name] = _population_stdev(sorted(own))

    contributions = []
    for position, summary in enumerate(summaries):
        total = total_weight[plan.criteria[position].dimension]
        # Contributions are immutable and repeat across a portfolio: share equal ones.
        found = plan.contributions.get((position, summary, total))
        if found is None:
            found = _contribution(plan, position, summary, total)
            plan.contributions[position, summary, total] = found
        contributions.append(found)

    impact, feasibility = score[IMPACT], score[FEASIBILITY]
    both = impact is not None and feasibility is not None
    return ProjectScore(
        key=key,
        title=title,
        impact=impact,
        feasibility=feasibility,
        priority=math.sqrt(impact * feasibility) if both else None,
        quadrant=quadrant_of(impact, feasibility, rules) if both else None,
        rank=None,
        impact_spread=spread[IMPACT],
        feasibility_spread=spread[FEASIBILITY],
        contributions=tuple(contributions),
        raters=frozenset(rows),
    )


def _contribution(plan: _Plan, position: int, summary: tuple | None, total: float) -> Contribution:
    criterion, weight = plan.criteria[position], plan.weights[position]
    value, spread, raters = summary or (None, None, 0)
    points = weight * value / total if value is not None and total else None
    return Contribution(criterion.key, criterion.dimension, weight, value, points, raters, spread)


@lru_cache(maxsize=4096)
def _summary(ordered: tuple[float, ...], median: bool) -> tuple[float, float, int]:
    """A criterion's value, spread and number of raters, from its sorted normalised values.

    Ratings take only five values, so a portfolio repeats the same few combinations
    thousands of times; sorting first makes the result independent of the raters' order.
    """
    middle = len(ordered) // 2
    if not median:
        value = sum(ordered) / len(ordered)
    elif len(ordered) % 2:
        value = ordered[middle]
    else:
        value = (ordered[middle - 1] + ordered[middle]) / 2
    return value, _population_stdev(ordered), len(ordered)


def _population_stdev(ordered: Sequence[float]) -> float:
    """Population standard deviation, exactly 0 when all values are equal.

    Deviations are taken from the first value so that raters who agree show no spread at
    all, rather than one of rounding error.
    """
    if ordered[0] == ordered[-1]:
        return 0.0
    deviations = [value - ordered[0] for value in ordered]
    mean = sum(deviations) / len(deviations)
    return math.sqrt(sum((d - mean) ** 2 for d in deviations) / len(deviations))


def _rounded(value: float) -> int:
    """The value in units of 1e-9, rounded half to even: what comparisons look at.

    This is the arithmetic of ``numpy.round(value, 9)`` (multiply, round, divide; the
    division is left out because it preserves order), so the vectorised ranking of
    ``rank_stability`` breaks ties exactly as ``score_portfolio`` does.
    """
    return round(value * 1e9)


def _rank_key(score: ProjectScore, order: int) -> tuple:
    """Priority, impact, feasibility descending; then title (case-insensitive); then age."""
    return (
        -_rounded(score.priority),
        -_rounded(score.impact),
        -_rounded(score.feasibility),
        score.title.casefold(),
        order,
    )


def _check_weight(key: str, weight: Any) -> None:
    if not (math.isfinite(weight) and weight >= 0):
        raise ValueError(f"Criterion {key!r}: a weight must be a finite number >= 0.")


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
        [dimension.positions for dimension in plan.dimensions.values()],
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
