"""The scoring engine, read as the spec of the "How scores work" page.

Pure Python: no database, no Django. Golden examples are worked by hand in the comments;
hypothesis checks the invariants users rely on (absolute scores, monotone ratings, ranks).
"""

import math
import statistics
from dataclasses import replace
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import (
    BIG_BET,
    DEPRIORITIZE,
    DIMENSIONS,
    DO_FIRST,
    FEASIBILITY,
    FILL_IN,
    IMPACT,
    MEDIAN,
    Criterion,
    ProjectRef,
    Rating,
    RatingColumns,
    Rules,
    Stability,
    compare_rankings,
    normalise,
    quadrant_of,
    rank_stability,
    score_portfolio,
    score_project,
)

# A small rubric: two impact criteria, two feasibility criteria (one "higher is worse"), and
# an impact criterion that the profile does not count (weight 0).
RUBRIC = [
    Criterion("value", IMPACT, 3),
    Criterion("reach", IMPACT, 1),
    Criterion("data", FEASIBILITY, 2),
    Criterion("accuracy", FEASIBILITY, 1, higher_is_better=False),
    Criterion("hype", IMPACT, 0),
]
# Weights whose sums carry floating-point error: 0.1 + 0.2 + 0.3 is 0.6000000000000001.
NOISY = [
    Criterion("a", IMPACT, 0.1),
    Criterion("b", IMPACT, 0.2),
    Criterion("c", IMPACT, 0.3),
    Criterion("f", FEASIBILITY, 1),
]
# One criterion per dimension: weights cannot change any score, so neither any rank.
SIMPLE = [Criterion("i", IMPACT, 1), Criterion("f", FEASIBILITY, 1)]


def rate(project, rater, **scores):
    return [Rating(project, rater, criterion, score) for criterion, score in scores.items()]


def simple_project(key, impact, feasibility, title=None, order=0):
    """A project with one rater giving these 1..5 ratings on SIMPLE."""
    ref = ProjectRef(key, title or key, order)
    return ref, rate(key, "ann", i=impact, f=feasibility)


def portfolio(*projects):
    """Score projects made by simple_project."""
    refs = [ref for ref, _ in projects]
    ratings = [rating for _, ratings in projects for rating in ratings]
    return score_portfolio(SIMPLE, refs, ratings)


def contribution(score, criterion):
    return next(c for c in score.contributions if c.criterion == criterion)


# --- Golden examples ---------------------------------------------------------------------


def test_normalise_puts_ratings_on_zero_to_hundred_with_better_always_higher():
    assert [normalise(s, True) for s in range(1, 6)] == [0, 25, 50, 75, 100]
    assert [normalise(s, False) for s in range(1, 6)] == [100, 75, 50, 25, 0]


def test_normalise_refuses_a_rating_outside_one_to_five():
    with pytest.raises(ValueError):
        normalise(6, True)


def test_two_raters_worked_example():
    # Normalised:       value  reach  data  accuracy (higher is worse)  hype (weight 0)
    #   ann  5 3 4 2 1 -> 100    50     75    75                          0
    #   bob  4 1 2 5 5 ->  75     0     25     0                        100
    # Criterion values:  87.5   25     50    37.5                        50
    # I = (3*87.5 + 1*25) / 4 = 71.875        F = (2*50 + 1*37.5) / 3 = 45.8333...
    # P = sqrt(71.875 * 45.8333...) = 57.3958...; I >= 50 > F: a big bet.
    ratings = rate("p", "ann", value=5, reach=3, data=4, accuracy=2, hype=1) + rate(
        "p", "bob", value=4, reach=1, data=2, accuracy=5, hype=5
    )
    score = score_project(RUBRIC, ratings, key="p", title="Churn model")

    assert score.impact == 71.875
    assert score.feasibility == pytest.approx(137.5 / 3)
    assert score.priority == pytest.approx(math.sqrt(71.875 * 137.5 / 3))
    assert score.quadrant == BIG_BET
    assert score.rank is None
    assert score.raters == {"ann", "bob"}
    # Each rater's own score: I ann (300+50)/4 = 87.5, bob 225/4 = 56.25 -> spread 15.625;
    # F ann (150+75)/3 = 75, bob 50/3 = 16.67 -> spread (75 - 16.67) / 2 = 29.1667.
    assert score.impact_spread == 15.625
    assert score.feasibility_spread == pytest.approx(175 / 6)


def test_contributions_explain_the_worked_example():
    ratings = rate("p", "ann", value=5, reach=3, data=4, accuracy=2, hype=1) + rate(
        "p", "bob", value=4, reach=1, data=2, accuracy=5, hype=5
    )
    score = score_project(RUBRIC, ratings)

    assert [c.criterion for c in score.contributions] == [
        "value",
        "reach",
        "data",
        "accuracy",
        "hype",
    ]
    value = contribution(score, "value")
    assert (value.weight, value.value, value.points, value.raters) == (3, 87.5, 65.625, 2)
    assert value.spread == 12.5  # 100 and 75
    assert contribution(score, "reach").points == 6.25  # 1 * 25 / 4
    assert contribution(score, "accuracy").spread == 37.5  # 75 and 0
    hype = contribution(score, "hype")
    assert (hype.value, hype.points, hype.spread) == (50, 0, 50)  # rated, but counts for nothing


def test_points_of_a_dimension_sum_to_its_score():
    ratings = rate("p", "ann", value=5, reach=3, data=4, accuracy=2, hype=1) + rate(
        "p", "bob", value=4, data=2
    )
    score = score_project(RUBRIC, ratings)

    for dimension, total in ((IMPACT, score.impact), (FEASIBILITY, score.feasibility)):
        points = [c.points for c in score.contributions if c.dimension == dimension]
        assert sum(points) == pytest.approx(total)


def test_median_profile_takes_the_middle_rating():
    # Ratings 1, 2, 5 -> 0, 25, 100: the mean is 41.67, the median 25.
    ratings = rate("p", "ann", i=1, f=5) + rate("p", "bob", i=2) + rate("p", "cy", i=5)

    assert score_project(SIMPLE, ratings).impact == pytest.approx(125 / 3)
    assert score_project(SIMPLE, ratings, Rules(aggregation=MEDIAN)).impact == 25


def test_median_of_an_even_number_of_raters_is_the_mean_of_the_middle_two():
    ratings = rate("p", "ann", i=1, f=5) + rate("p", "bob", i=5)

    assert score_project(SIMPLE, ratings, Rules(aggregation=MEDIAN)).impact == 50


def test_profile_weights_override_the_criteria_weights():
    # value 100 and reach 0: with weights 3:1, I = 75; with the profile's 1:1, I = 50.
    ratings = rate("p", "ann", value=5, reach=1, data=5)
    score = score_project(RUBRIC, ratings, Rules(weights={"value": 1}))

    assert score.impact == 50
    assert contribution(score, "value").weight == 1
    assert contribution(score, "reach").weight == 1


def test_rater_who_rated_only_zero_weight_criteria_is_left_out_of_the_spread():
    # Bob rated only "hype" (weight 0) on impact: he has no impact score of his own, so the
    # impact spread is Ann's alone (0). On feasibility both count: 100 and 0 -> 50.
    ratings = rate("p", "ann", value=5, data=5) + rate("p", "bob", hype=1, data=1)
    score = score_project(RUBRIC, ratings)

    assert score.impact_spread == 0
    assert score.feasibility_spread == 50
    assert score.raters == {"ann", "bob"}


def test_raters_who_agree_show_no_spread_at_all():
    ratings = [r for rater in "abc" for r in rate("p", rater, value=4, reach=2, data=3)]
    score = score_project(RUBRIC, ratings)

    assert (score.impact_spread, contribution(score, "value").spread) == (0, 0)


def test_dimension_with_only_zero_weight_ratings_is_unscored():
    score = score_project(RUBRIC, rate("p", "ann", hype=5, data=5))

    assert score.impact is None and score.impact_spread is None
    assert score.feasibility == 100
    assert (score.priority, score.quadrant) == (None, None)
    hype, value = contribution(score, "hype"), contribution(score, "value")
    assert (hype.value, hype.points, hype.raters) == (100, None, 1)
    assert (value.value, value.points, value.raters, value.spread) == (None, None, 0, None)


def test_ratings_of_unknown_projects_and_criteria_are_ignored():
    ratings = rate("p", "ann", i=5, f=5, retired=1) + rate("elsewhere", "ann", i=1, f=1)
    (score,) = score_portfolio(SIMPLE, [ProjectRef("p", "P", 1)], ratings)

    assert (score.impact, score.feasibility, score.raters) == (100, 100, {"ann"})


def test_plain_tuples_serve_as_ratings():
    (score,) = score_portfolio(SIMPLE, [ProjectRef(7, "P", 1)], [(7, 1, "i", 5), (7, 1, "f", 4)])

    assert (score.impact, score.feasibility) == (100, 75)


def test_a_later_rating_of_the_same_criterion_replaces_the_earlier():
    ratings = [("p", "ann", "i", 1), ("p", "ann", "f", 5), ("p", "ann", "i", 5)]

    assert score_project(SIMPLE, ratings).impact == 100


def test_invalid_input_is_refused():
    with pytest.raises(ValueError):
        score_project(SIMPLE, [("p", "ann", "i", 0)])
    with pytest.raises(ValueError):
        Criterion("x", "charm", 1)
    with pytest.raises(ValueError):
        Criterion("x", IMPACT, -1)
    with pytest.raises(ValueError):
        Rules(aggregation="mode")
    with pytest.raises(ValueError):
        score_portfolio(SIMPLE, [ProjectRef(1, "A", 1), ProjectRef(1, "B", 2)], [])


def test_score_project_equals_the_portfolio_entry_but_for_the_rank():
    ratings = rate("p", "ann", value=5, reach=3, data=4) + rate("p", "bob", value=2, data=1)
    (in_portfolio,) = score_portfolio(RUBRIC, [ProjectRef("p", "Churn", 1)], ratings)

    alone = score_project(RUBRIC, ratings, key="p", title="Churn")
    assert in_portfolio.rank == 1
    assert alone.rank is None
    assert alone == replace(in_portfolio, rank=None)


# --- Quadrants ---------------------------------------------------------------------------


def test_quadrants_of_the_matrix():
    assert quadrant_of(80, 80) == DO_FIRST
    assert quadrant_of(80, 20) == BIG_BET
    assert quadrant_of(20, 80) == FILL_IN
    assert quadrant_of(20, 20) == DEPRIORITIZE


def test_a_score_equal_to_the_threshold_counts_as_high():
    assert quadrant_of(50, 50) == DO_FIRST
    assert quadrant_of(70, 69.9, Rules(impact_threshold=70, feasibility_threshold=70)) == BIG_BET


def test_threshold_is_compared_at_nine_decimals():
    # 49.9999999999 rounds to 50.000000000 and so is high; 49.999999999 is not.
    assert quadrant_of(49.9999999999, 50.0000000001) == DO_FIRST
    assert quadrant_of(49.999999999, 50) == FILL_IN


def test_floating_point_noise_cannot_move_a_project_below_the_threshold():
    # (0.1*75 + 0.2*75 + 0.3*75) / (0.1 + 0.2 + 0.3) is 75 on paper, 74.99999999999999 in
    # floating point.
    score = score_project(NOISY, rate("p", "ann", a=4, b=4, c=4, f=5), Rules(impact_threshold=75))

    assert score.impact < 75
    assert score.quadrant == DO_FIRST


# --- Ranks -------------------------------------------------------------------------------


def test_higher_priority_ranks_first():
    scores = portfolio(simple_project("low", 3, 3), simple_project("high", 4, 4))

    assert [(s.key, s.rank) for s in scores] == [("high", 1), ("low", 2)]


def test_equal_priority_is_broken_by_impact():
    # I 100, F 25 and I 25, F 100 both have P = sqrt(2500) = 50.
    scores = portfolio(simple_project("doable", 2, 5, "A"), simple_project("valuable", 5, 2, "B"))

    assert scores[0].priority == scores[1].priority == 50
    assert [s.key for s in scores] == ["valuable", "doable"]


def test_equal_priority_and_impact_is_broken_by_feasibility():
    # With I = 0 every priority is 0; feasibility 100 beats 100 / (1 + 3e-11), a difference
    # still visible at 9 decimals.
    criteria = [
        Criterion("i", IMPACT, 1),
        Criterion("f", FEASIBILITY, 1),
        Criterion("g", FEASIBILITY, 3e-11),
    ]
    ratings = rate("sure", "ann", i=1, f=5, g=5) + rate("almost", "ann", i=1, f=5, g=1)
    refs = [ProjectRef("almost", "A", 1), ProjectRef("sure", "Z", 2)]
    scores = score_portfolio(criteria, refs, ratings)

    assert scores[0].priority == scores[1].priority == 0
    assert [s.key for s in scores] == ["sure", "almost"]


def test_equal_scores_are_broken_by_title_ignoring_case():
    scores = portfolio(simple_project("b", 4, 4, "Banana"), simple_project("a", 4, 4, "apple"))

    assert [s.title for s in scores] == ["apple", "Banana"]


def test_equal_scores_and_titles_are_broken_by_creation_order():
    scores = portfolio(
        simple_project("newer", 4, 4, "Twin", order=2),
        simple_project("older", 4, 4, "twin", order=1),
    )

    assert [s.key for s in scores] == ["older", "newer"]


def test_priorities_equal_at_nine_decimals_tie():
    # Alpha's impact is 74.99999999999999 in floating point, Beta's exactly 75: a tie on
    # paper, so the title decides rather than the rounding error.
    ratings = rate("beta", "ann", a=4, f=5) + rate("alpha", "ann", a=4, b=4, c=4, f=5)
    refs = [ProjectRef("beta", "Beta", 1), ProjectRef("alpha", "Alpha", 2)]
    scores = score_portfolio(NOISY, refs, ratings)

    assert scores[0].priority < scores[1].priority
    assert [s.title for s in scores] == ["Alpha", "Beta"]


def test_unscored_projects_come_last_by_title_with_empty_fields():
    refs = [ProjectRef(k, t, o) for k, t, o in [(1, "zeta", 1), (2, "Beta", 2), (3, "alpha", 3)]]
    ratings = rate(1, "ann", i=2, f=2) + rate(2, "ann", i=5)
    scores = score_portfolio(SIMPLE, refs, ratings)

    assert [(s.title, s.rank) for s in scores] == [("zeta", 1), ("alpha", None), ("Beta", None)]
    unrated, impact_only = scores[1], scores[2]
    assert (unrated.impact, unrated.feasibility, unrated.priority) == (None, None, None)
    assert (unrated.raters, impact_only.impact, impact_only.quadrant) == (frozenset(), 100, None)


def test_ranks_run_from_one_without_gaps_despite_ties():
    scores = portfolio(*(simple_project(k, 3, 3) for k in "abc"), simple_project("d", 5, 5))

    assert [s.rank for s in scores] == [1, 2, 3, 4]


# --- Rank stability ----------------------------------------------------------------------


def test_a_dominant_project_is_first_in_every_draw():
    ratings = rate("star", "ann", value=5, reach=5, data=5, accuracy=1) + rate(
        "other", "ann", value=4, reach=5, data=5, accuracy=1
    )
    refs = [ProjectRef("other", "Other", 1), ProjectRef("star", "Star", 2)]
    stability = rank_stability(RUBRIC, refs, ratings, Rules(top_k=1), draws=50)

    assert list(stability) == ["star", "other"]
    assert stability["star"].best_rank == stability["star"].worst_rank == 1
    assert stability["star"].top_k_share == 1
    assert stability["other"].top_k_share == 0


def test_rank_stability_shows_a_rank_that_hangs_on_the_weights():
    # At base weights (value 3, reach 1) x, rated value 100 / reach 0, has I 75 and leads y,
    # rated value 50 / reach 100, with I 62.5. A draw puts y ahead when reach's weight
    # exceeds half of value's: in about one draw in five.
    ratings = rate("x", "ann", value=5, reach=1, data=5) + rate(
        "y", "ann", value=3, reach=5, data=5
    )
    refs = [ProjectRef("x", "X", 1), ProjectRef("y", "Y", 2)]
    stability = rank_stability(RUBRIC, refs, ratings, Rules(top_k=1), draws=200)

    assert (stability["x"].best_rank, stability["x"].worst_rank) == (1, 2)
    assert 0.5 < stability["x"].top_k_share < 1
    assert stability["x"].top_k_share + stability["y"].top_k_share == pytest.approx(1)


def test_rank_stability_keeps_a_tie_on_paper_in_every_draw():
    # Both impacts are 75 on paper, but Alpha's comes from three criteria whose drawn weights
    # bring fresh rounding error each time. At 9 decimals they still tie: the title decides.
    ratings = rate("beta", "ann", a=4, f=5) + rate("alpha", "ann", a=4, b=4, c=4, f=5)
    refs = [ProjectRef("beta", "Beta", 1), ProjectRef("alpha", "Alpha", 2)]
    stability = rank_stability(NOISY, refs, ratings, Rules(top_k=1), draws=100)

    assert stability["alpha"] == Stability("alpha", best_rank=1, worst_rank=1, top_k_share=1)


def test_rank_stability_leaves_out_unranked_projects():
    refs = [ProjectRef("p", "P", 1), ProjectRef("q", "Q", 2)]

    assert list(rank_stability(SIMPLE, refs, rate("p", "ann", i=3, f=3), draws=5)) == ["p"]


# --- Comparing rankings ------------------------------------------------------------------


def row(key, rank, quadrant=DO_FIRST, title=None):
    return SimpleNamespace(key=key, title=title or key.title(), rank=rank, quadrant=quadrant)


def test_compare_rankings_tells_new_removed_moved_and_unchanged():
    old = [row("a", 1), row("b", 2), row("c", 3), row("gone", 4)]
    new = [row("b", 1), row("a", 2), row("c", 3), row("fresh", 4)]
    movements = {m.key: m for m in compare_rankings(old, new)}

    assert (movements["b"].status, movements["b"].change) == ("moved", 1)
    assert (movements["a"].status, movements["a"].change) == ("moved", -1)
    assert (movements["c"].status, movements["c"].change) == ("unchanged", 0)
    assert (movements["fresh"].status, movements["fresh"].old_rank) == ("new", None)
    gone = movements["gone"]
    assert (gone.status, gone.old_rank, gone.new_rank, gone.change) == ("removed", 4, None, None)


def test_compare_rankings_lists_by_new_rank_then_unranked_then_removed():
    old = [row("gone", 1), row("a", 2), row("b", 3)]
    new = [row("unranked", None, None), row("b", 1), row("a", 2)]

    assert [m.key for m in compare_rankings(old, new)] == ["b", "a", "unranked", "gone"]


def test_compare_rankings_notices_a_change_of_quadrant_at_the_same_rank():
    (movement,) = compare_rankings([row("a", 1, BIG_BET)], [row("a", 1, DO_FIRST)])

    assert (movement.status, movement.change, movement.quadrant_changed) == ("moved", 0, True)
    assert (movement.old_quadrant, movement.new_quadrant) == (BIG_BET, DO_FIRST)


def test_compare_rankings_accepts_scores():
    old = portfolio(simple_project("a", 5, 5), simple_project("b", 3, 3))
    new = portfolio(simple_project("a", 2, 2), simple_project("b", 3, 3))
    movements = compare_rankings(old, new)

    assert [(m.key, m.change, m.new_quadrant) for m in movements] == [
        ("b", 1, DO_FIRST),
        ("a", -1, DEPRIORITIZE),
    ]


# --- Properties --------------------------------------------------------------------------

RATERS = ("ann", "bob", "cy", "dee")


@st.composite
def portfolios(draw, max_projects=5):
    """A rubric, projects with clashing titles, and at most one rating per rater and cell."""
    specs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(DIMENSIONS),
                st.one_of(st.integers(0, 4), st.floats(0, 5, allow_subnormal=False)),
                st.booleans(),
            ),
            min_size=1,
            max_size=5,
        )
    )
    criteria = [Criterion(f"c{i}", *spec) for i, spec in enumerate(specs)]
    count = draw(st.integers(1, max_projects))
    refs = [
        ProjectRef(key, draw(st.sampled_from(["Alpha", "alpha", "Beta"])), key)
        for key in range(count)
    ]
    cell = st.tuples(
        st.integers(0, count - 1),
        st.sampled_from(RATERS),
        st.sampled_from([c.key for c in criteria]),
    )
    cells = draw(st.lists(cell, unique=True, max_size=30))
    ratings = [Rating(*c, draw(st.integers(1, 5))) for c in cells]
    return criteria, refs, ratings


def dimension_of(score, dimension):
    return score.impact if dimension == IMPACT else score.feasibility


@settings(max_examples=50)
@given(portfolios())
def test_scores_stay_within_zero_and_hundred(case):
    for score in score_portfolio(*case):
        for value in (score.impact, score.feasibility, score.priority):
            assert value is None or 0 <= round(value, 9) <= 100


@settings(max_examples=50)
@given(portfolios(), st.data())
def test_a_better_rating_never_lowers_its_dimension(case, data):
    criteria, _, ratings = case
    by_key = {c.key: c for c in criteria}
    # "Better" means a higher score where higher is better, a lower one where it is worse.
    steps = {i: 1 if by_key[r.criterion].higher_is_better else -1 for i, r in enumerate(ratings)}
    improvable = [i for i, r in enumerate(ratings) if 1 <= r.score + steps[i] <= 5]
    if not improvable:
        return
    i = data.draw(st.sampled_from(improvable))
    rating = ratings[i]
    better = [*ratings[:i], rating._replace(score=rating.score + steps[i]), *ratings[i + 1 :]]
    for rules in (Rules(), Rules(aggregation=MEDIAN)):
        before = score_project(criteria, [r for r in ratings if r.project == rating.project], rules)
        after = score_project(criteria, [r for r in better if r.project == rating.project], rules)
        dimension = by_key[rating.criterion].dimension
        if dimension_of(before, dimension) is not None:
            assert dimension_of(after, dimension) >= dimension_of(before, dimension)


@settings(max_examples=50)
@given(portfolios(), st.randoms(use_true_random=False))
def test_the_order_of_ratings_and_raters_does_not_matter(case, rng):
    criteria, refs, ratings = case
    shuffled = ratings[:]
    rng.shuffle(shuffled)

    assert score_portfolio(criteria, refs, shuffled) == score_portfolio(criteria, refs, ratings)


@settings(max_examples=50)
@given(portfolios(), st.lists(st.tuples(st.sampled_from(RATERS), st.integers(1, 5))))
def test_a_zero_weight_criterion_changes_nothing(case, extra):
    criteria, refs, ratings = case
    ignored = Criterion("ignored", IMPACT, 0)
    extra_ratings = [Rating(ref.key, rater, "ignored", s) for ref in refs for rater, s in extra]

    before = score_portfolio(criteria, refs, ratings)
    after = score_portfolio([*criteria, ignored], refs, ratings + extra_ratings)
    fields = ("key", "impact", "feasibility", "priority", "quadrant", "rank")
    fields += ("impact_spread", "feasibility_spread")
    assert [[getattr(s, f) for f in fields] for s in after] == [
        [getattr(s, f) for f in fields] for s in before
    ]


@settings(max_examples=50)
@given(portfolios(max_projects=8))
def test_ranks_are_one_to_n_over_the_scored_projects(case):
    scores = score_portfolio(*case)
    scored = [s for s in scores if s.priority is not None]

    assert [s.rank for s in scores] == [*range(1, len(scored) + 1)] + [None] * (
        len(scores) - len(scored)
    )
    assert all((s.rank is None) == (s.quadrant is None) for s in scores)


@settings(max_examples=50)
@given(
    portfolios(), st.lists(st.tuples(st.sampled_from(RATERS), st.integers(0, 9), st.integers(1, 5)))
)
def test_adding_a_project_changes_no_other_projects_score(case, newcomer_ratings):
    criteria, refs, ratings = case
    newcomer = ProjectRef("newcomer", "Newcomer", -1)
    extra = [
        Rating("newcomer", rater, criteria[i % len(criteria)].key, s)
        for rater, i, s in newcomer_ratings
    ]

    before = {s.key: replace(s, rank=None) for s in score_portfolio(criteria, refs, ratings)}
    after = {
        s.key: replace(s, rank=None)
        for s in score_portfolio(criteria, [*refs, newcomer], ratings + extra)
    }
    del after["newcomer"]
    assert after == before


@settings(max_examples=25, deadline=None)
@given(portfolios(max_projects=8), st.integers(0, 2**32 - 1))
def test_rank_stability_is_reproducible_and_well_formed(case, seed):
    first = rank_stability(*case, draws=30, seed=seed)

    assert first == rank_stability(*case, draws=30, seed=seed)
    ranked = [s.key for s in score_portfolio(*case) if s.rank is not None]
    assert list(first) == ranked
    for stability in first.values():
        assert 1 <= stability.best_rank <= stability.worst_rank <= len(ranked)
        assert 0 <= stability.top_k_share <= 1


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=10),
    st.sampled_from(["Alpha", "alpha", "Beta"]),
    st.integers(1, 4),
)
def test_rank_stability_agrees_with_the_ranking_when_weights_cannot_matter(pairs, title, top_k):
    # With one criterion per dimension every draw scores exactly as the base weights do,
    # ties (same ratings, same titles) included.
    refs = [ProjectRef(k, title if k % 2 else f"{title} {k}", -k) for k in range(len(pairs))]
    ratings = [r for k, (i, f) in enumerate(pairs) for r in rate(k, "ann", i=i, f=f)]
    rules = Rules(top_k=top_k)

    stability = rank_stability(SIMPLE, refs, ratings, rules, draws=20)
    for score in score_portfolio(SIMPLE, refs, ratings, rules):
        assert stability[score.key].best_rank == stability[score.key].worst_rank == score.rank
        assert stability[score.key].top_k_share == (score.rank <= top_k)


# --- The engine against the spec written out plainly --------------------------------------
# The engine computes on numpy arrays over the whole portfolio; here the spec's steps are
# followed one project, criterion and rater at a time, in exact fractions.


def spec_scores(criteria, refs, ratings, rules):
    """{key: (I, F, P, quadrant, I spread, F spread, raters, contributions)}, and the order."""
    by_key = {c.key: c for c in criteria}
    weight = {c.key: Fraction((rules.weights or {}).get(c.key, c.weight)) for c in criteria}
    known = {ref.key for ref in refs}
    latest = {}  # (project, rater, criterion) -> normalised value; a later rating replaces
    for project, rater, criterion, score in ratings:
        if project in known and criterion in by_key:
            higher_is_better = by_key[criterion].higher_is_better
            latest[project, rater, criterion] = Fraction(normalise(score, higher_is_better))

    def dimension_score(values, dimension):  # step 3
        counted = [c.key for c in criteria if c.dimension == dimension and c.key in values]
        counted = [key for key in counted if weight[key] > 0]
        total = sum(weight[key] for key in counted)
        if not total:
            return None, total
        return sum(weight[key] * values[key] for key in counted) / total, total

    def stdev(values):
        mean = sum(values) / len(values)
        return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))

    found = {}
    for ref in refs:
        mine = {(r, c): v for (p, r, c), v in latest.items() if p == ref.key}
        raters = {r for r, _ in mine}
        columns = {c.key: sorted(v for (_, k), v in mine.items() if k == c.key) for c in criteria}
        aggregate = statistics.median if rules.aggregation == MEDIAN else statistics.mean
        values = {key: aggregate(column) for key, column in columns.items() if column}
        scores, totals, spreads = {}, {}, {}
        for dimension in DIMENSIONS:
            scores[dimension], totals[dimension] = dimension_score(values, dimension)
            own = [
                dimension_score({c: v for (r, c), v in mine.items() if r == rater}, dimension)[0]
                for rater in raters
            ]
            own = [o for o in own if o is not None]
            spreads[dimension] = None if scores[dimension] is None else stdev(own)
        contributions = []
        for c in criteria:
            column, total = columns[c.key], totals[c.dimension]
            value = values.get(c.key)
            points = weight[c.key] * value / total if value is not None and total else None
            spread = stdev(column) if column else None
            contributions.append((c.key, weight[c.key], value, points, len(column), spread))
        impact, feasibility = scores[IMPACT], scores[FEASIBILITY]
        priority = quadrant = None
        if impact is not None and feasibility is not None:
            priority = math.sqrt(impact * feasibility)
            high_impact = round(impact, 9) >= round(Fraction(rules.impact_threshold), 9)
            high_feasibility = round(feasibility, 9) >= round(
                Fraction(rules.feasibility_threshold), 9
            )
            quadrant = {
                (True, True): DO_FIRST,
                (True, False): BIG_BET,
                (False, True): FILL_IN,
                (False, False): DEPRIORITIZE,
            }[high_impact, high_feasibility]
        found[ref.key] = (
            impact, feasibility, priority, quadrant,
            spreads[IMPACT], spreads[FEASIBILITY], raters, contributions,
        )  # fmt: skip

    def rank_key(ref):  # step 6, at 9 decimals
        impact, feasibility, priority = found[ref.key][:3]
        exact = (round(Fraction(priority), 9), round(impact, 9), round(feasibility, 9))
        return (*(-x for x in exact), ref.title.casefold(), ref.order)

    ranked = sorted((r for r in refs if found[r.key][2] is not None), key=rank_key)
    unranked = sorted(
        (r for r in refs if found[r.key][2] is None), key=lambda r: (r.title.casefold(), r.order)
    )
    return found, [r.key for r in ranked + unranked]


@st.composite
def messy_portfolios(draw):
    """Portfolios with what the engine must cope with: many raters, repeated ratings of a
    cell, ratings of unknown projects and criteria, profile weights, median, thresholds."""
    criteria, refs, _ = draw(portfolios(max_projects=8))
    keys = [c.key for c in criteria] + ["retired"]
    rating = st.tuples(
        st.integers(0, len(refs)), st.integers(0, 9), st.sampled_from(keys), st.integers(1, 5)
    )
    ratings = [Rating(*r) for r in draw(st.lists(rating, max_size=120))]
    weights = draw(
        st.dictionaries(st.sampled_from(keys), st.floats(0, 5, allow_subnormal=False), max_size=3)
    )
    thresholds = draw(st.lists(st.sampled_from([0, 25, 37.5, 50, 100 / 3, 75]), min_size=2))
    rules = Rules(
        impact_threshold=thresholds[0],
        feasibility_threshold=thresholds[1],
        aggregation=draw(st.sampled_from(["mean", MEDIAN])),
        weights=weights or None,
    )
    return criteria, refs, ratings, rules


def as_columns(criteria, refs, ratings):
    """The ratings as a selector hands them over: positions, -1 for the unknown."""
    project = {ref.key: j for j, ref in enumerate(refs)}
    criterion = {c.key: i for i, c in enumerate(criteria)}
    return RatingColumns(
        project=np.array([project.get(r.project, -1) for r in ratings], dtype=np.int64),
        rater=np.array([r.rater for r in ratings], dtype=np.int64),
        criterion=np.array([criterion.get(r.criterion, -1) for r in ratings], dtype=np.int64),
        score=np.array([r.score for r in ratings], dtype=np.int64),
    )


def close(engine_value, spec_value):
    if spec_value is None:
        return engine_value is None
    return engine_value == pytest.approx(float(spec_value), rel=1e-12, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(messy_portfolios(), st.booleans())
def test_the_engine_follows_the_spec_step_by_step(case, columns):
    criteria, refs, ratings, rules = case
    given_ratings = as_columns(criteria, refs, ratings) if columns else ratings
    spec, order = spec_scores(criteria, refs, ratings, rules)

    scores = score_portfolio(criteria, refs, given_ratings, rules)

    assert [s.key for s in scores] == order
    for score in scores:
        impact, feasibility, priority, quadrant, i_spread, f_spread, raters, parts = spec[score.key]
        assert close(score.impact, impact) and close(score.feasibility, feasibility)
        assert close(score.priority, priority) and score.quadrant == quadrant
        assert close(score.impact_spread, i_spread) and close(score.feasibility_spread, f_spread)
        assert score.raters == raters
        for contribution, (key, weight, value, points, count, spread) in zip(
            score.contributions, parts, strict=True
        ):
            assert (contribution.criterion, contribution.weight) == (key, weight)
            assert close(contribution.value, value) and close(contribution.points, points)
            assert contribution.raters == count and close(contribution.spread, spread)
