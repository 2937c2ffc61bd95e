"""The dashboard in a real browser: the matrix, filters through htmx, history, clicks."""

import re

import pytest
from playwright.sync_api import expect

from portfolio.models import Rating
from scoring.models import Criterion
from tests.factories import ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

XSS = "<img src=x onerror=alert(1)>"
POINTS = (
    "Array.from(document.querySelector('.matrix').data)"
    ".filter(t => t.customdata).reduce((n, t) => n + t.x.length, 0)"
)


@pytest.fixture
def portfolio(team, other_team, lead):
    """Three rated Vision projects (one with a hostile title), one rated Search project and
    one Vision project without ratings."""
    impact = Criterion.objects.get(key="business_value")
    feasibility = Criterion.objects.get(key="data_availability")
    projects = []
    for owner, title, score in [
        (team, XSS, 5),
        (team, "Plain", 3),
        (team, "Third", 2),
        (other_team, "Search ranker", 4),
    ]:
        project = ProjectFactory(team=owner, title=title)
        Rating.objects.create(project=project, rater=lead, criterion=impact, score=score)
        Rating.objects.create(project=project, rater=lead, criterion=feasibility, score=score)
        projects.append(project)
    ProjectFactory(team=team, title="Unrated idea")
    return projects


def test_dashboard_filter_back_and_click_through(
    live_server, page, log_in, manager, team, portfolio, console_errors
):
    log_in(manager)

    page.goto(f"{live_server.url}/dashboard/")

    expect(page.locator(".matrix.js-plotly-plot")).to_be_visible()
    assert page.evaluate(POINTS) == 4
    expect(page.locator(".ranking-table tbody tr")).to_have_count(4)
    expect(page.locator(".needs-ratings")).to_contain_text("Unrated idea")
    # The hostile title is text: in the table, in the chart's labels and hover text.
    expect(page.get_by_role("link", name=XSS)).to_be_visible()
    expect(page.locator(".matrix img")).to_have_count(0)

    page.get_by_label("Team", exact=True).select_option(label="Vision")

    expect(page).to_have_url(re.compile(rf"team={team.pk}"))
    expect(page.locator(".ranking-table tbody tr")).to_have_count(3)
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    assert page.evaluate(POINTS) == 3
    expect(page.locator("#counts-team + ul")).not_to_contain_text("Search")

    page.go_back()

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.locator(".ranking-table tbody tr")).to_have_count(4)
    expect(page.locator(".matrix.js-plotly-plot")).to_be_visible()
    expect(page.locator(".js-plotly-plot")).to_have_count(1)
    assert page.evaluate(POINTS) == 4
    expect(page.get_by_label("Team", exact=True)).to_have_value("")

    # A click lands on Plotly's drag layer, which finds the nearest bubble: click its centre.
    point = page.locator(".matrix .scatterlayer .point").first
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    centre = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(*centre)
    page.mouse.click(*centre)

    keys = "|".join(project.key for project in portfolio)
    expect(page).to_have_url(re.compile(rf"/projects/({keys})/$"))
    assert console_errors == []
