"""axe-core finds no serious or critical accessibility violation on the busiest pages."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portfolio.models import Rating
from scoring.models import Criterion
from tests.browser import axe
from tests.factories import BaselineFactory, MetricFactory, ProjectFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def rated(team, lead, member):
    """Two fully rated Vision projects with a metric and a baseline, raters disagreeing."""
    projects = []
    for title, score in [("Defect detector", 4), ("Label assistant", 2)]:
        project = ProjectFactory(team=team, title=title)
        for criterion in Criterion.objects.all():
            Rating.objects.create(project=project, rater=lead, criterion=criterion, score=score)
            Rating.objects.create(project=project, rater=member, criterion=criterion, score=5)
        metric = MetricFactory(project=project)
        BaselineFactory(project=project, metric=metric)
        projects.append(project)
    return projects


@pytest.mark.parametrize("page_name", ["dashboard", "project", "compare", "reports"])
def test_no_serious_or_critical_violations(
    live_server, page, log_in, manager, rated, page_name, console_errors
):
    urls = {
        "dashboard": reverse("dashboard"),
        "project": rated[0].get_absolute_url(),
        "compare": f"{reverse('compare')}?projects={rated[0].key}&projects={rated[1].key}",
        "reports": f"{reverse('reports')}?team={rated[0].team_id}",
    }
    log_in(manager)

    page.goto(live_server.url + urls[page_name])
    if page_name != "reports":  # the pages with charts: check them drawn
        expect(page.locator(".js-plotly-plot").first).to_be_visible()

    assert axe.violations(page) == []
    assert console_errors == []
