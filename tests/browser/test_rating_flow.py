"""A rater scores a project in the browser and sees its quadrant change in place."""

import pytest
from playwright.sync_api import expect

from scoring.models import Criterion

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def choose(page, criterion, score):
    page.get_by_role("group", name=criterion.name).get_by_label(str(score), exact=True).check()


def test_lead_rates_a_project_and_its_quadrant_changes_without_reload(
    live_server, page, log_in, lead, project, console_errors
):
    log_in(lead)
    page.goto(f"{live_server.url}{project.get_absolute_url()}")
    quadrant = page.get_by_test_id("quadrant")
    expect(quadrant).to_have_text("Needs ratings")
    page.evaluate("window.noReload = true")

    for criterion in Criterion.objects.all():
        choose(page, criterion, 1 if not criterion.higher_is_better else 5)
    page.get_by_role("button", name="Save my ratings").click()

    expect(quadrant).to_have_text("Do first")
    page.get_by_text("Your ratings", exact=True).click()
    for key in ("data_availability", "prior_work"):
        choose(page, Criterion.objects.get(key=key), 1)
    accuracy = page.get_by_role("group", name="Accuracy requirement")
    accuracy.get_by_label("1", exact=True).focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.get_by_role("button", name="Save my ratings").click()

    expect(quadrant).to_have_text("Big bet")
    assert page.evaluate("window.noReload") is True
    assert console_errors == []
