"""Re-rank a portfolio under many random weightings at once, for rank stability.

Scoring one weighting is cheap in plain Python, but rank stability ranks the whole portfolio
hundreds of times over, so numpy does all draws together. This module knows arrays only;
``scoring.engine.rank_stability`` prepares them from scores and names the results. The
tie-breaks must stay those of ``scoring.engine``: priority, impact, feasibility descending,
each rounded to 9 decimals by ``rounded``, then the order the projects are given in (their
title, then creation order).
"""

from collections.abc import Sequence

import numpy as np

LOW_FACTOR = 0.5
HIGH_FACTOR = 1.5


def draw_ranks(
    values: Sequence[Sequence[float | None]],
    weights: Sequence[float],
    dimensions: Sequence[Sequence[int]],
    *,
    draws: int,
    seed: int,
) -> np.ndarray:
    """Rank the projects once per draw of weights; returns ranks shaped (draws, projects).

    ``values`` holds a row of criterion values per project (None where unrated), laid out
    in the last-resort tie-break order; ``dimensions`` holds the columns of impact and of
    feasibility. Every project must be scored in both dimensions, so that no denominator
    is zero: weights drawn from positive factors keep zero weights zero and positive ones
    positive. The draws depend on the seed alone, so a report can be reproduced.
    """
    values = np.array(values, dtype=float).reshape(len(values), len(weights))
    rated = ~np.isnan(values)
    values = np.where(rated, values, 0.0)
    rated = rated.astype(float)
    rng = np.random.default_rng(seed)
    factors = rng.uniform(LOW_FACTOR, HIGH_FACTOR, size=(draws, len(weights)))
    weights = np.asarray(weights, dtype=float)

    projects = len(values)
    ranks = np.empty((draws, projects), dtype=np.int32)
    places = np.arange(1, projects + 1, dtype=np.int32)
    chunk = max(1, 250_000 // projects)  # draws per step: a few MB per array at any size
    for start in range(0, draws, chunk):
        drawn = weights * factors[start : start + chunk]
        impact, feasibility = (
            (drawn[:, columns] @ values[:, columns].T) / (drawn[:, columns] @ rated[:, columns].T)
            for columns in map(list, dimensions)
        )
        order = _order(np.sqrt(impact * feasibility), impact, feasibility)
        step = ranks[start : start + chunk]
        np.put_along_axis(step, order, np.broadcast_to(places, order.shape), axis=-1)
    return ranks


def summarise_ranks(ranks: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reduce the draws to what a reader can take in: a rank range and a top-K share.

    The range runs from the 5th to the 95th percentile with numpy's "nearest" method: the
    rank at position round(q * (draws - 1)) of the sorted draws (halves to even), so it is
    always a rank that actually occurred and never a fraction.
    """
    best, worst = np.percentile(ranks, [5, 95], axis=0, method="nearest")
    return best, worst, (ranks <= top_k).mean(axis=0)


def _order(priority: np.ndarray, impact: np.ndarray, feasibility: np.ndarray) -> np.ndarray:
    """Per draw (row), the projects' positions from first to last."""
    priority, impact, feasibility = rounded(priority), rounded(impact), rounded(feasibility)
    projects = priority.shape[1]
    # Priority descending, then position: with every key distinct a fast unstable sort is
    # exact. (The keys stay below 2**63 for up to 90 million projects.)
    order = np.argsort(-priority * projects + np.arange(projects), axis=-1)
    # That is the whole order unless an equal priority hides a different impact (I 100 and
    # F 25 against I 25 and F 100): such draws are sorted again by every key. lexsort sorts
    # by its last key first and is stable, so position still breaks the remaining ties.
    p, i, f = (np.take_along_axis(keys, order, axis=-1) for keys in (priority, impact, feasibility))
    hidden = (p[:, 1:] == p[:, :-1]) & ((i[:, 1:] != i[:, :-1]) | (f[:, 1:] != f[:, :-1]))
    again = hidden.any(axis=1)
    if again.any():
        order[again] = np.lexsort((-feasibility[again], -impact[again], -priority[again]))
    return order


def rounded(array: np.ndarray) -> np.ndarray:
    """Values in units of 1e-9 as integers, rounded half to even: what comparisons look at.

    The arithmetic of ``numpy.round(value, 9)`` (multiply, round, divide; the division is
    left out because it preserves order). ``scoring.engine`` compares with it too, so that
    thresholds, ranks and the draws' ranks break ties alike.
    """
    return np.rint(array * 1e9).astype(np.int64)
