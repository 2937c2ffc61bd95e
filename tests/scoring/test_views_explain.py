"""The "How scores work" page: the formulas, and a worked example computed by the engine."""

import math
import re

import pytest
from django.urls import reverse

from scoring import engine
from scoring.models import Criterion, ProfileWeight, ScoringProfile
from scoring.views.explain import example_ratings

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def shown(content, element_id):
    """The text of the element with that id, e.g. the example's impact score."""
    return re.search(rf'id="{element_id}"[^>]*>([^<]*)<', content).group(1).strip()


def expected_score(profile):
    """The example's score computed straight from the engine with the profile's weights."""
    criteria = list(Criterion.objects.all())
    overrides = {w.criterion_id: w.weight for w in profile.weights.all()}
    engine_criteria = [c.as_engine_criterion(overrides.get(c.pk)) for c in criteria]
    return engine.score_project(engine_criteria, example_ratings(criteria), profile.rules())


@pytest.fixture
def strict(db):
    return ScoringProfile.objects.create(
        name="Strict", impact_threshold=70, feasibility_threshold=70
    )


def test_member_reads_how_scores_work(client, member):
    client.force_login(member)

    response = client.get(reverse("how_scores_work"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Priority P = √(I × F)." in content
    assert "A score equal to a threshold counts as high." in content
    assert "Adding an idea to the portfolio never moves another project's score" in content
    assert "cost grows super-linearly" in content
    assert "500 times" in content
    for quadrant in ("Do first", "Big bet", "Fill-in", "Deprioritize"):
        assert quadrant in content
    assert "narrow the scope, put a human in the loop" in content


def test_outsider_reads_it_too(client, outsider):
    client.force_login(outsider)

    assert client.get(reverse("how_scores_work")).status_code == 200


def test_example_shows_the_engines_numbers_for_the_default_rubric(client, member):
    client.force_login(member)

    content = client.get(reverse("how_scores_work")).content.decode()

    score = expected_score(ScoringProfile.objects.get(is_default=True))
    assert shown(content, "example-impact-score") == f"{score.impact:.2f}"
    assert shown(content, "example-feasibility-score") == f"{score.feasibility:.2f}"
    assert shown(content, "example-priority") == f"{score.priority:.2f}"
    assert shown(content, "example-quadrant") == "Do first"
    # By hand, with the default rubric: impact = (3·87.5 + 2·62.5 + 2·75 + 1·37.5) / 8
    # = 71.875; feasibility = (3·62.5 + 3·62.5 + 2·50 + 1·87.5 + 1·75) / 10 = 63.75;
    # priority = √(71.875 × 63.75) = 67.69.
    assert score.impact == 71.875
    assert score.feasibility == 63.75
    assert shown(content, "example-priority") == "67.69"


def test_example_shows_each_rating_its_value_and_points(client, member):
    client.force_login(member)

    content = client.get(reverse("how_scores_work")).content.decode()

    row = re.search(r'data-criterion="accuracy_requirement">(.*?)</tr>', content, re.S).group(1)
    cells = [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    # Lower is better: 2 → 75 and 3 → 50; mean 62.5; weight 3 of 10 gives 18.75 points.
    assert cells == ["lower is better", "2 → 75", "3 → 50", "62.50", "3", "18.75"]
    contribution = next(
        c
        for c in expected_score(ScoringProfile.objects.get(is_default=True)).contributions
        if c.criterion == "accuracy_requirement"
    )
    assert f"{contribution.points:.2f}" == "18.75"


def test_profile_switch_changes_thresholds_and_quadrant(client, member, strict):
    client.force_login(member)

    content = client.get(reverse("how_scores_work"), {"profile": "Strict"}).content.decode()

    assert shown(content, "example-impact-threshold") == "70"
    assert shown(content, "example-feasibility-threshold") == "70"
    # Impact 71.88 is still high, feasibility 63.75 is now low.
    assert shown(content, "example-quadrant") == "Big bet"
    assert '<option value="Strict" selected>' in content


def test_profile_weights_change_the_example_as_the_engine_says(client, member, strict):
    ProfileWeight.objects.create(
        profile=strict, criterion=Criterion.objects.get(key="business_value"), weight=0
    )
    client.force_login(member)

    content = client.get(reverse("how_scores_work"), {"profile": "Strict"}).content.decode()

    score = expected_score(strict)
    assert shown(content, "example-impact-score") == f"{score.impact:.2f}"
    assert shown(content, "example-priority") == f"{score.priority:.2f}"
    # Without business value: (2·62.5 + 2·75 + 1·37.5) / 5 = 62.5.
    assert score.impact == 62.5


def test_median_profile_is_computed_by_the_engine(client, member):
    profile = ScoringProfile.objects.create(name="Median", aggregation="median")
    client.force_login(member)

    content = client.get(reverse("how_scores_work"), {"profile": "Median"}).content.decode()

    score = expected_score(profile)
    assert shown(content, "example-feasibility-score") == f"{score.feasibility:.2f}"
    assert "Median of the raters" in content


def test_a_criterion_added_later_is_part_of_the_example(client, member):
    Criterion.objects.create(key="label_quality", dimension="feasibility", name="Label quality")
    client.force_login(member)

    content = client.get(reverse("how_scores_work")).content.decode()

    assert 'data-criterion="label_quality"' in content
    score = expected_score(ScoringProfile.objects.get(is_default=True))
    assert shown(content, "example-feasibility-score") == f"{score.feasibility:.2f}"
    assert math.isclose(score.priority, math.sqrt(score.impact * score.feasibility))


def test_unknown_profile_is_404(client, member):
    client.force_login(member)

    response = client.get(reverse("how_scores_work"), {"profile": "No such profile"})

    assert response.status_code == 404


def test_htmx_switch_returns_only_the_example(client, member, strict):
    client.force_login(member)

    response = client.get(reverse("how_scores_work"), {"profile": "Strict"}, **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="worked-example"')
    assert shown(content, "example-impact-threshold") == "70"
    assert "HX-Request" in response["Vary"]


def test_full_page_also_varies_on_htmx(client, member):
    client.force_login(member)

    response = client.get(reverse("how_scores_work"))

    assert "HX-Request" in response["Vary"]


def test_queries_do_not_grow_with_criteria_or_profiles(
    client, member, strict, django_assert_max_num_queries
):
    client.force_login(member)
    with django_assert_max_num_queries(7):
        assert client.get(reverse("how_scores_work"), {"profile": "Strict"}).status_code == 200

    criteria = Criterion.objects.bulk_create(
        Criterion(key=f"extra_{n}", dimension="impact", name=f"Extra {n}") for n in range(30)
    )
    ProfileWeight.objects.bulk_create(
        ProfileWeight(profile=strict, criterion=criterion, weight=2) for criterion in criteria
    )
    ScoringProfile.objects.bulk_create(ScoringProfile(name=f"Profile {n}") for n in range(20))
    with django_assert_max_num_queries(7):
        assert client.get(reverse("how_scores_work"), {"profile": "Strict"}).status_code == 200


def test_profile_that_leaves_a_dimension_unscored_says_so(client, member, strict):
    ProfileWeight.objects.bulk_create(
        ProfileWeight(profile=strict, criterion=criterion, weight=0)
        for criterion in Criterion.objects.filter(dimension="impact")
    )
    client.force_login(member)

    response = client.get(reverse("how_scores_work"), {"profile": "Strict"})

    assert response.status_code == 200
    content = response.content.decode()
    assert shown(content, "example-impact-score") == "unscored"
    assert 'id="example-priority"' not in content
