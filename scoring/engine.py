"""Turn ratings into scores, quadrants and ranks: the one place the product does it.

Every page, command, export, snapshot and chart asks this module, so the formulas shown on
the "How scores work" page live here once. The engine knows nothing of Django: plain data
in (criteria, project references, rating tuples or numpy columns, the rules of a scoring
profile), plain frozen dataclasses out. That keeps it testable without a database, lets a
selector feed it straight from the database, and makes a score a function of its inputs
alone. Inside, each formula is written once, on numpy arrays over all projects at once, so
that ranking 10,000 projects costs about as much as one SQL query; scoring one project is
the same computation over a portfolio of one.

Scores are absolute: a project's score depends only on its own ratings and the weights,
never on which other projects exist. Only ranks compare projects with one another.

Exactness: threshold comparisons and rank tie-breaks use values rounded to 9 decimal places
(see ``scoring.stability.rounded``), so the order of floating-point operations can never
change a quadrant or a rank. Reported values are unrounded.
"""

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from scoring.stability import draw_ranks, rounded, summarise_ranks

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
    return str(_quadrants(np.array([impact], dtype=float), np.array([feasibility]), rules)[0])


def meets_threshold(value: float, threshold: float) -> bool:
    """Whether a dimension score counts as high: equal counts, compared at 9 decimals."""
    return bool(_meets(np.array([value], dtype=float), threshold)[0])


class RatingColumns(NamedTuple):
    """Ratings as numpy integer columns, one entry per rating: what a database hands over fastest.

    Projects and criteria are given by their position in the sequences passed to the engine
    with the columns (-1, or any position out of range, stands for an unknown one, whose
    ratings are ignored), so that nothing is looked up per rating in Python. Raters are
    integer keys >= 0, such as primary keys. Entries count in order: a later rating of the
    same criterion by the same rater replaces an earlier one.
    """

    project: np.ndarray
    rater: np.ndarray
    criterion: np.ndarray
    score: np.ndarray


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


class _Plan(NamedTuple):
    """What the rules make of the criteria, worked out once per call rather than per rating."""

    criteria: tuple[Criterion, ...]
    weights: tuple[float, ...]
    slots: dict[str, int]  # criterion key -> its position
    dimensions: dict[str, tuple[int, ...]]  # dimension -> the positions of its criteria
    # Per criterion: the normalised value of each score (1..5; NaN at 0 for "unrated"), its
    # normalised values in ascending order, and where each score falls in that order.
    value_of: np.ndarray
    levels: np.ndarray
    level_of: np.ndarray


def _plan(criteria: Sequence[Criterion], rules: Rules) -> _Plan:
    criteria = tuple(criteria)
    overrides = rules.weights or {}
    weights = tuple(float(overrides.get(c.key, c.weight)) for c in criteria)
    slots = {}
    for position, c in enumerate(criteria):
        if c.key in slots:
            raise ValueError(f"Criterion {c.key!r} is given twice.")
        slots[c.key] = position
    dimensions = {
        name: tuple(i for i, c in enumerate(criteria) if c.dimension == name) for name in DIMENSIONS
    }
    values = np.array(
        [[normalise(s, c.higher_is_better) for s in SCALE] for c in criteria], dtype=float
    ).reshape(len(criteria), len(SCALE))
    order = np.argsort(values, axis=1, kind="stable")
    level_of = np.zeros((len(criteria), len(SCALE) + 1), dtype=np.int64)
    np.put_along_axis(level_of[:, 1:], order, np.arange(len(SCALE)), axis=1)
    levels = np.take_along_axis(values, order, axis=1)
    value_of = np.concatenate([np.full((len(criteria), 1), np.nan), values], axis=1)
    return _Plan(criteria, weights, slots, dimensions, value_of, levels, level_of)


def _columns(
    plan: _Plan, position_of: Mapping[Hashable, int], ratings: Iterable[tuple]
) -> tuple[RatingColumns, list]:
    """Rating tuples as columns, and the rater keys that the columns' rater codes stand for."""
    projects, raters, criteria, scores = [], [], [], []
    code_of = {}
    slots = plan.slots
    for project, rater, criterion, score in ratings:
        position = position_of.get(project)
        slot = slots.get(criterion)
        if position is None or slot is None:
            continue
        if score not in SCALE:
            raise ValueError(f"A rating must be an integer from 1 to 5, not {score!r}.")
        projects.append(position)
        raters.append(code_of.setdefault(rater, len(code_of)))
        criteria.append(slot)
        scores.append(int(score))
    columns = (projects, raters, criteria, scores)
    return RatingColumns(*(np.array(c, dtype=np.int64) for c in columns)), list(code_of)


class _Sheet(NamedTuple):
    """The ratings as one row per (project, rater) that rated it: a score per criterion.

    Rows are grouped by project, in the order of the projects; a score of 0 is "unrated".
    """

    projects: int
    row_project: np.ndarray
    row_rater: np.ndarray  # rater codes
    table: np.ndarray  # shaped (rows, criteria)
    rater_keys: list | None  # what the codes stand for; None: the codes are the keys


def _tabulate(plan: _Plan, projects: int, columns: RatingColumns, rater_keys) -> _Sheet:
    """Lay the ratings out as a sheet, leaving out those of unknown projects or criteria."""
    width = len(plan.criteria)
    project, rater, criterion, score = map(np.asarray, columns)
    for column in (project, rater, criterion, score):
        if column.size and not np.issubdtype(column.dtype, np.integer):
            raise ValueError("Rating columns must hold integers.")
    project, rater, criterion, score = (
        c.astype(np.int64, copy=False) for c in (project, rater, criterion, score)
    )
    known = (project >= 0) & (project < projects) & (criterion >= 0) & (criterion < width)
    if not known.all():
        project, rater, criterion, score = (c[known] for c in (project, rater, criterion, score))
    invalid = (score < 1) | (score > 5)
    if invalid.any():
        bad = score[invalid][0].item()
        raise ValueError(f"A rating must be an integer from 1 to 5, not {bad!r}.")
    if rater.size and rater.min() < 0:
        raise ValueError("Rater codes must be integers >= 0.")
    # One row per (project, rater) pair, found by numpy as one integer per pair.
    span = int(rater.max()) + 1 if rater.size else 1
    pairs, row = np.unique(project * span + rater, return_inverse=True)
    cell = row * width + criterion
    if cell.size and np.bincount(cell).max() > 1:
        # A rater rated the same criterion again: the later rating counts.
        last = cell.size - 1 - np.unique(cell[::-1], return_index=True)[1]
        cell, score = cell[last], score[last]
    table = np.zeros(pairs.size * width, dtype=np.int64)
    table[cell] = score
    return _Sheet(
        projects, pairs // span, pairs % span, table.reshape(pairs.size, width), rater_keys
    )


class _Found(NamedTuple):
    """The scores of every project, as arrays; NaN stands for None."""

    value: np.ndarray  # per (project, criterion): the criterion value
    spread: np.ndarray  # per (project, criterion): the raters' spread on it
    raters: np.ndarray  # per (project, criterion): how many rated it
    impact: np.ndarray
    feasibility: np.ndarray
    priority: np.ndarray
    total_weight: dict[str, np.ndarray]  # per dimension: the weight its score is over
    dimension_spread: dict[str, np.ndarray]


def _evaluate(plan: _Plan, rules: Rules, sheet: _Sheet) -> _Found:
    projects, width = sheet.projects, len(plan.criteria)
    # Step 2: each criterion's normalised values per project in ascending order, as one
    # array cut into cells (project, criterion) of `raters` values each.
    rated = sheet.table > 0
    criterion = np.broadcast_to(np.arange(width), sheet.table.shape)[rated]
    cells = sheet.row_project[:, None] * width + np.arange(width)
    counts = np.bincount(
        cells[rated] * len(SCALE) + plan.level_of[criterion, sheet.table[rated]],
        minlength=projects * width * len(SCALE),
    ).reshape(projects * width, len(SCALE))
    ordered = np.repeat(np.tile(plan.levels, (projects, 1)).ravel(), counts.ravel())
    raters = counts.sum(axis=1)
    value = _centres(ordered, raters, rules.aggregation == MEDIAN).reshape(projects, width)
    spread = _population_stdevs(ordered, raters).reshape(projects, width)

    # Steps 3 and 7: the dimension scores of each project, and of each rater alone.
    row_values = plan.value_of[np.arange(width), sheet.table]
    score, total_weight, dimension_spread = {}, {}, {}
    for name, positions in plan.dimensions.items():
        score[name], total_weight[name] = _weighted_mean(plan, positions, value)
        own = _weighted_mean(plan, positions, row_values)[0]
        mine = ~np.isnan(own)
        groups = sheet.row_project[mine]
        order = np.lexsort((own[mine], groups))
        stdev = _population_stdevs(own[mine][order], np.bincount(groups, minlength=projects))
        dimension_spread[name] = np.where(np.isnan(score[name]), np.nan, stdev)
    impact, feasibility = score[IMPACT], score[FEASIBILITY]
    return _Found(
        value=value,
        spread=spread,
        raters=raters.reshape(projects, width),
        impact=impact,
        feasibility=feasibility,
        priority=np.sqrt(impact * feasibility),
        total_weight=total_weight,
        dimension_spread=dimension_spread,
    )


def _weighted_mean(plan: _Plan, positions: Sequence[int], values: np.ndarray) -> tuple:
    """Step 3 for each row of ``values`` (NaN: unrated): the weighted mean over the rated
    criteria of positive weight at ``positions`` (NaN if none), and the weight it is over.

    Summed criterion by criterion in the criteria's order, as one would by hand.
    """
    weighted = np.zeros(len(values))
    total = np.zeros(len(values))
    for position in positions:
        weight = plan.weights[position]
        if weight > 0:
            column = values[:, position]
            rated = ~np.isnan(column)
            weighted = np.where(rated, weighted + weight * column, weighted)
            total = np.where(rated, total + weight, total)
    mean = np.divide(weighted, total, out=np.full(len(values), np.nan), where=total > 0)
    return mean, total


def _sums(values: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The sum of each group of ``sizes`` consecutive values, added one after the other.

    A fixed order of additions makes each sum that of the group's sorted values alone.
    """
    starts = np.cumsum(sizes) - sizes
    sums = np.zeros(len(sizes))
    active = np.flatnonzero(sizes)
    step = 0
    while active.size:
        sums[active] += values[starts[active] + step]
        step += 1
        active = active[sizes[active] > step]
    return sums


def _centres(ordered: np.ndarray, sizes: np.ndarray, median: bool) -> np.ndarray:
    """The mean, or median, of each group of ``sizes`` sorted values (NaN for none)."""
    centres = np.full(len(sizes), np.nan)
    present = sizes > 0
    if not median:
        centres[present] = _sums(ordered, sizes)[present] / sizes[present]
        return centres
    starts, counts = (np.cumsum(sizes) - sizes)[present], sizes[present]
    middle = starts + counts // 2
    odd = counts % 2 == 1
    upper, lower = ordered[middle], ordered[np.where(odd, middle, middle - 1)]
    centres[present] = np.where(odd, upper, (lower + upper) / 2)
    return centres


def _population_stdevs(ordered: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Population standard deviation of each group of ``sizes`` sorted values (NaN for none).

    Exactly 0 when all values of a group are equal: deviations are taken from the group's
    first value, so raters who agree show no spread at all rather than one of rounding.
    """
    present = sizes > 0
    starts = (np.cumsum(sizes) - sizes)[present]
    first = np.full(len(sizes), np.nan)
    last = np.full(len(sizes), np.nan)
    first[present] = ordered[starts]
    last[present] = ordered[starts + sizes[present] - 1]
    counts = np.maximum(sizes, 1)
    deviations = ordered - np.repeat(first, sizes)
    mean = _sums(deviations, sizes) / counts
    squares = (deviations - np.repeat(mean, sizes)) ** 2
    stdevs = np.sqrt(_sums(squares, sizes) / counts)
    return np.where(present, np.where(first == last, 0.0, stdevs), np.nan)


def _meets(values: np.ndarray, threshold: float) -> np.ndarray:
    return rounded(values) >= rounded(np.float64(threshold))


def _quadrants(impact: np.ndarray, feasibility: np.ndarray, rules: Rules) -> np.ndarray:
    high_impact = _meets(impact, rules.impact_threshold)
    high_feasibility = _meets(feasibility, rules.feasibility_threshold)
    # QUADRANTS lists high-high, high-low, low-high, low-low.
    return np.array(QUADRANTS, dtype=object)[2 * ~high_impact + ~high_feasibility]


def _project_scores(
    plan: _Plan,
    rules: Rules,
    projects: Sequence[ProjectRef],
    sheet: _Sheet,
    found: _Found,
    order: Sequence[int],
    ranks: Sequence[int | None],
) -> list[ProjectScore]:
    """Build the answer, in ``order``, from the arrays: the only per-project Python work."""
    contributions = _contributions(plan, found)
    scored = ~np.isnan(found.priority)
    quadrants = np.full(len(projects), None, dtype=object)
    quadrants[scored] = _quadrants(found.impact[scored], found.feasibility[scored], rules)
    impact, feasibility, priority, impact_spread, feasibility_spread = (
        _optional(found.impact),
        _optional(found.feasibility),
        _optional(found.priority),
        _optional(found.dimension_spread[IMPACT]),
        _optional(found.dimension_spread[FEASIBILITY]),
    )
    quadrants = quadrants.tolist()
    raters = sheet.row_rater.tolist()
    if sheet.rater_keys is not None:
        raters = [sheet.rater_keys[code] for code in raters]
    bounds = np.searchsorted(sheet.row_project, np.arange(len(projects) + 1)).tolist()
    scores = []
    for j, rank in zip(order, ranks, strict=True):
        project = projects[j]
        scores.append(
            ProjectScore(
                key=project.key,
                title=project.title,
                impact=impact[j],
                feasibility=feasibility[j],
                priority=priority[j],
                quadrant=quadrants[j],
                rank=rank,
                impact_spread=impact_spread[j],
                feasibility_spread=feasibility_spread[j],
                contributions=contributions[j],
                raters=frozenset(raters[bounds[j] : bounds[j + 1]]),
            )
        )
    return scores


def _contributions(plan: _Plan, found: _Found) -> list[tuple[Contribution, ...]]:
    """Each project's contributions, in the criteria's order.

    Ratings take five values, so a portfolio of 10,000 projects holds 90,000 cells but a
    few thousand distinct contributions: each is made once and shared, as it is immutable.
    """
    projects, width = found.value.shape
    if width == 0:
        return [()] * projects
    weight = np.array(plan.weights)
    total = np.stack([found.total_weight[c.dimension] for c in plan.criteria], axis=1)
    rated = ~np.isnan(found.value)
    counted = rated & (total != 0)
    points = np.divide(weight * found.value, total, out=np.full(total.shape, np.nan), where=counted)
    # What tells contributions apart: the criterion, value, spread, raters and the
    # dimension's total weight (with the weight, it makes the points), as 40 bytes a cell.
    parts = [np.broadcast_to(np.arange(width), total.shape), found.raters]
    for floats in (found.value, found.spread, total):
        parts.append(np.where(np.isnan(floats), -1.0, floats).view(np.int64))
    keys = np.ascontiguousarray(np.stack([p.ravel() for p in parts], axis=1))
    index = {}
    cell = [
        index.setdefault(key, len(index))
        for key in keys.view(f"V{keys.itemsize * len(parts)}").ravel().tolist()
    ]
    # A cell of each kind: all cells of a kind hold the same, so any one will do.
    sample = np.zeros(len(index), dtype=np.int64)
    sample[cell] = np.arange(len(cell))
    values, spreads, points = (
        _optional(a.ravel()[sample]) for a in (found.value, found.spread, points)
    )
    raters = found.raters.ravel()[sample].tolist()
    made = np.empty(len(index), dtype=object)
    made[:] = [
        Contribution(
            criterion.key,
            criterion.dimension,
            plan.weights[position],
            values[k],
            points[k],
            raters[k],
            spreads[k],
        )
        for k, position in enumerate((sample % width).tolist())
        for criterion in (plan.criteria[position],)
    ]
    return list(map(tuple, made[np.array(cell, dtype=np.int64).reshape(projects, width)].tolist()))


def _optional(array: np.ndarray) -> list[float | None]:
    """Python floats, None where NaN."""
    return [None if value != value else value for value in array.tolist()]


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
