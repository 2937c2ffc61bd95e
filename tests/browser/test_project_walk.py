"""A team lead walks a proposal through create → edit → a loop-back in the browser."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def real_errors(console_errors):
    """Console errors other than the browser's note on a form answered with 422."""
    return [error for error in console_errors if "status of 422" not in error]


def move(page, stage, reason=""):
    page.get_by_label("Move to").select_option(label=stage)
    if reason:
        page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name="Move", exact=True).click()


def test_lead_creates_edits_and_loops_back_a_project(
    live_server, page, log_in, lead, team, console_errors
):
    log_in(lead)
    page.goto(f"{live_server.url}/projects/")
    page.get_by_role("link", name="New proposal").click()
    page.get_by_label("Key").fill("chest-xray-triage")
    page.get_by_label("Title").fill("Chest X-ray triage")
    page.get_by_label("Problem statement").fill("Flag urgent chest X-rays for radiologists.")
    page.get_by_label("Team").select_option(label=team.name)
    page.get_by_label("Archetype").select_option(value="augment")
    page.get_by_label("Effort (person-weeks)").fill("12")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chest X-ray triage")

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Title").fill("Chest X-ray triage assistant")
    page.get_by_label("Archetype").select_option(value="automate")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chest X-ray triage assistant")

    move(page, "Data collection & labeling")
    expect(page.locator("#project-header")).to_contain_text("Data collection & labeling")
    move(page, "Training & debugging")
    expect(page.locator("#project-header")).to_contain_text("Training & debugging")
    move(page, "Data collection & labeling")
    expect(page.locator("#lifecycle")).to_contain_text("needs a reason")
    expect(page.locator("#project-header")).to_contain_text("Training & debugging")
    page.get_by_role("link", name="Labels unreliable").click()
    expect(page.get_by_label("Reason")).to_have_value("Labels unreliable")
    page.get_by_role("button", name="Move", exact=True).click()

    expect(page.locator("#project-header")).to_contain_text("Data collection & labeling")
    expect(page.locator("#lifecycle")).to_contain_text("Loop-back")
    expect(page.locator("#lifecycle")).to_contain_text("Labels unreliable")
    expect(page.locator("#audit")).to_contain_text("Training & debugging")
    assert real_errors(console_errors) == []


def test_member_sees_the_project_but_cannot_change_it(live_server, page, log_in, member, project):
    log_in(member)

    page.goto(f"{live_server.url}{project.get_absolute_url()}")

    expect(page.get_by_role("heading", level=1)).to_have_text(project.title)
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_label("Move to")).to_have_count(0)


def test_outsider_gets_the_not_found_page(live_server, page, log_in, outsider, project):
    log_in(outsider)

    response = page.goto(f"{live_server.url}{project.get_absolute_url()}")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
