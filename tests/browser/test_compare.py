"""The compare page draws its radar chart and the matrix in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from portfolio.models import Rating
from scoring.models import Criterion, ScoringProfile
from tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_compare_page_draws_one_radar_shape_per_project_and_the_matrix(
    live_server, page, log_in, manager, team, lead, console_errors
):
    impact, feasibility = (
        Criterion.objects.get(key="business_value"),
        Criterion.objects.get(key="data_availability"),
    )
    projects = []
    for title, score in [("<img src=x onerror=alert(1)>", 5), ("Plain", 3), ("Third", 2)]:
        project = ProjectFactory(team=team, title=title)
        Rating.objects.create(project=project, rater=lead, criterion=impact, score=score)
        Rating.objects.create(project=project, rater=lead, criterion=feasibility, score=score)
        projects.append(project)
    ScoringProfile.objects.create(name="Lenient", feasibility_threshold=20)
    log_in(manager)

    query = "&".join(f"projects={project.key}" for project in projects)
    page.goto(f"{live_server.url}/compare/?{query}")

    expect(page.locator(".radar.js-plotly-plot")).to_be_visible()
    expect(page.locator(".radar .polarlayer .trace.scatter")).to_have_count(3)
    expect(page.locator(".radar .legend .traces")).to_have_count(3)
    expect(page.locator(".matrix.js-plotly-plot")).to_be_visible()
    points = page.evaluate(
        "Array.from(document.querySelector('.matrix').data)"
        ".filter(t => t.customdata).reduce((n, t) => n + t.x.length, 0)"
    )
    assert points == 3
    expect(page.locator(".radar img, .matrix img")).to_have_count(0)

    page.get_by_label("Scoring profile").select_option("Lenient")

    expect(page).to_have_url(re.compile(r"profile=Lenient"))
    # "Third" (impact 25, feasibility 25) is a fill-in once feasibility counts from 20.
    expect(page.locator(".compare-table .quadrant-fill_in")).to_have_count(1)
    expect(page.locator(".radar .polarlayer .trace.scatter")).to_have_count(3)
    expect(page.locator(".matrix.js-plotly-plot")).to_be_visible()
    assert console_errors == []


def test_portfolio_list_sends_the_ticked_projects_to_the_compare_page(
    live_server, page, log_in, lead, team, console_errors
):
    first = ProjectFactory(team=team, title="First")
    second = ProjectFactory(team=team, title="Second")
    ProjectFactory(team=team, title="Third")
    log_in(lead)

    page.goto(f"{live_server.url}/projects/")
    page.get_by_label("Compare First").check()
    page.get_by_label("Compare Second").check()
    page.get_by_role("button", name="Compare selected").click()

    expect(page).to_have_url(
        f"{live_server.url}/compare/?projects={first.key}&projects={second.key}"
    )
    expect(page.locator(".compare-table thead th")).to_have_count(2)
    expect(page.locator(".radar.js-plotly-plot")).to_be_visible()
    assert console_errors == []
