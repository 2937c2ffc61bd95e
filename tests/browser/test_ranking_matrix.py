"""The ranking page draws the impact × feasibility matrix in a real browser."""

import pytest
from playwright.sync_api import expect

from portfolio.models import Rating
from scoring.models import Criterion
from tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_matrix_has_one_bubble_per_ranked_project_and_titles_stay_text(
    live_server, page, log_in, manager, team, lead, console_errors
):
    impact, feasibility = (
        Criterion.objects.get(key="business_value"),
        Criterion.objects.get(key="data_availability"),
    )
    for title, score in [("<img src=x onerror=alert(1)>", 5), ("Plain", 3), ("Third", 2)]:
        project = ProjectFactory(team=team, title=title)
        Rating.objects.create(project=project, rater=lead, criterion=impact, score=score)
        Rating.objects.create(project=project, rater=lead, criterion=feasibility, score=score)
    log_in(manager)

    page.goto(f"{live_server.url}/ranking/")

    expect(page.locator(".matrix.js-plotly-plot")).to_be_visible()
    points = page.evaluate(
        "Array.from(document.querySelector('.matrix').data)"
        ".filter(t => t.customdata).reduce((n, t) => n + t.x.length, 0)"
    )
    assert points == 3
    expect(page.locator(".matrix img")).to_have_count(0)
    assert console_errors == []
