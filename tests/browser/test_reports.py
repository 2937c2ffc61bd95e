"""A manager exports the dashboard's view from the Reports page and downloads the file."""

import csv

import pytest
from playwright.sync_api import expect

from tests.factories import rated_project

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_export_the_filtered_dashboard_as_csv_and_download_it(
    live_server, page, log_in, manager, team, other_team, media, inline_tasks, console_errors
):
    rated_project(team, manager, "Defect detector", 5, 5)
    rated_project(team, manager, "=cmd|' /C calc'!A0", 3, 3)
    rated_project(other_team, manager, "Search ranker", 4, 4)
    log_in(manager)
    page.goto(f"{live_server.url}/dashboard/?team={team.pk}")

    page.get_by_role("link", name="Export this view…").click()

    expect(page.locator(".report-view")).to_contain_text("Vision")
    page.get_by_label("CSV (the ranked table)").check()
    page.get_by_role("button", name="Start the export").click()
    download_link = page.locator("#report-jobs").get_by_role("link", name="Download")
    expect(download_link).to_have_count(1)
    with page.expect_download() as started:
        download_link.click()
    download = started.value

    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as stream:
        titles = [row[2] for row in csv.reader(stream)][1:]
    assert titles == ["Defect detector", "'=cmd|' /C calc'!A0"]
    assert console_errors == []
