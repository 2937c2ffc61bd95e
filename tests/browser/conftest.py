"""Real Chromium (Debian's) driven by Playwright against Django's live server."""

import os
import shutil

import pytest
from django.conf import settings

from tests.conftest import require_service

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not chromium:
        require_service("Chromium (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_FLAGS}


@pytest.fixture
def console_errors(page):
    """Every console error and uncaught exception the page reports."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def log_in(live_server, page, client):
    """Log a user in to the browser by handing it a real session cookie."""

    def log_in_as(user):
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return log_in_as


@pytest.fixture(autouse=True)
def _browser_tests_see_migrated_data(migrated_data):
    """Every browser test starts with the data migrations' rows (see `migrated_data`)."""
