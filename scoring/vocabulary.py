"""The engine's vocabulary: the names and plain data that its callers and its arithmetic share.

Dimensions, quadrants and aggregations are named here once, so that models, charts and
reports spell them as the engine does; the frozen dataclasses are what goes in (criteria,
rating tuples or columns, the rules of a profile) and what comes out (a project's score and
each criterion's contribution to it). ``normalise`` lives beside the rating scale it reads.
Callers import all of it from ``scoring.engine``; it sits in a module of its own only so
that ``scoring.arrays``, which computes on it, needs nothing else of the engine.
"""

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

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


def _check_weight(key: str, weight: Any) -> None:
    if not (math.isfinite(weight) and weight >= 0):
        raise ValueError(f"Criterion {key!r}: a weight must be a finite number >= 0.")
