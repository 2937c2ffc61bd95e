"""Loading a portfolio for the engine: one code path, a fixed number of queries."""

import pytest

from portfolio.models import Project, Rating
from scoring import engine
from scoring.models import Criterion
from scoring.selectors import default_profile, rank_stability_for, score_projects
from tests.factories import ProjectFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def portfolio_of(size, raters=3):
    team = TeamFactory()
    projects = ProjectFactory.create_batch(size, team=team)
    people = [UserFactory() for _ in range(raters)]
    criteria = list(Criterion.objects.all())
    Rating.objects.bulk_create(
        Rating(project=p, rater=r, criterion=c, score=1 + (p.pk + r.pk + c.pk) % 5)
        for p in projects
        for r in people
        for c in criteria
    )
    return projects


@pytest.mark.parametrize("size", [5, 60])
def test_ranking_queries_do_not_grow_with_the_portfolio(size, django_assert_max_num_queries):
    portfolio_of(size)
    profile = default_profile()

    with django_assert_max_num_queries(4):
        scored = score_projects(Project.objects.all(), profile)

    assert len(scored.ranked) == size


def test_scores_equal_the_engine_fed_by_hand():
    projects = portfolio_of(4)
    criteria = [c.as_engine_criterion() for c in Criterion.objects.all()]
    refs = [engine.ProjectRef(p.pk, p.title, p.pk) for p in projects]
    ratings = Rating.objects.values_list("project_id", "rater_id", "criterion__key", "score")

    expected = engine.score_portfolio(criteria, refs, list(ratings))

    assert score_projects(Project.objects.all(), default_profile()).scores == expected


def test_profile_weights_override_the_rubric():
    projects = portfolio_of(3)
    profile = default_profile()
    profile.weights.create(criterion=Criterion.objects.get(key="business_value"), weight=0)
    criteria = [
        c.as_engine_criterion(0 if c.key == "business_value" else None)
        for c in Criterion.objects.all()
    ]
    refs = [engine.ProjectRef(p.pk, p.title, p.pk) for p in projects]
    ratings = list(Rating.objects.values_list("project_id", "rater_id", "criterion__key", "score"))

    scored = score_projects(Project.objects.all(), profile)

    assert scored.scores == engine.score_portfolio(criteria, refs, ratings)


def test_rank_stability_of_kept_ratings_equals_the_engine_fed_by_hand():
    projects = portfolio_of(6)
    criteria = [c.as_engine_criterion() for c in Criterion.objects.all()]
    refs = [engine.ProjectRef(p.pk, p.title, p.pk) for p in projects]
    ratings = list(Rating.objects.values_list("project_id", "rater_id", "criterion__key", "score"))

    scored = score_projects(Project.objects.all(), default_profile(), keep_ratings=True)

    assert rank_stability_for(scored) == engine.rank_stability(criteria, refs, ratings)


def test_only_the_projects_asked_for_are_scored():
    projects = portfolio_of(4)
    chosen = Project.objects.filter(pk__in=[projects[1].pk, projects[3].pk])
    criteria = [c.as_engine_criterion() for c in Criterion.objects.all()]
    refs = [engine.ProjectRef(p.pk, p.title, p.pk) for p in (projects[1], projects[3])]
    ratings = list(Rating.objects.values_list("project_id", "rater_id", "criterion__key", "score"))

    scored = score_projects(chosen, default_profile())

    assert scored.scores == engine.score_portfolio(criteria, refs, ratings)
