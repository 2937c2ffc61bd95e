"""A person logs in and out in a real browser."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_lead_logs_in_sees_the_layout_and_logs_out(live_server, page, lead, console_errors):
    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}/projects/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    assert console_errors == []


def test_wrong_password_shows_the_error_next_to_the_form(live_server, page, lead):
    page.goto(f"{live_server.url}/accounts/login/")

    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page.get_by_label("Username")).to_have_value("lena")
