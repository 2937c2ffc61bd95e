"""The engine's arithmetic: every formula, on numpy arrays over all projects at once.

A portfolio of 10,000 projects has half a million ratings, so nothing here walks ratings
or projects one by one in Python: the ratings are laid out as a sheet (a row per project
and rater), criterion values, dimension scores and spreads are computed column by column,
and only the answer (``_project_scores``) is built object by object.

This is the private half of ``scoring.engine`` and nothing else calls it; its names keep
their leading underscore for that reason. The engine's public functions say what a score,
a quadrant and a rank are and what they promise; this module says how the arrays get
there, so that array bookkeeping never hides the product's rules. Threshold comparisons
look at values rounded by ``scoring.stability.rounded``, as the engine's rank tie-breaks do.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np

from scoring.stability import rounded
from scoring.vocabulary import (
    DIMENSIONS,
    FEASIBILITY,
    IMPACT,
    MEDIAN,
    QUADRANTS,
    SCALE,
    Contribution,
    Criterion,
    ProjectRef,
    ProjectScore,
    RatingColumns,
    Rules,
    normalise,
)


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
