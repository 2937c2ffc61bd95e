"""The cast every test can call on.

Lena leads the Vision team, Max is a member of it, Olga is an outsider on another team,
and Maria is a manager who sees the whole portfolio.
"""

import os

import pytest
from django.conf import settings

from tests.factories import ManagerFactory, MembershipFactory, TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Vision")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Search")


@pytest.fixture
def lead(team):
    return MembershipFactory(team=team, user=UserFactory(username="lena"), role="lead").user


@pytest.fixture
def member(team):
    return MembershipFactory(team=team, user=UserFactory(username="max"), role="member").user


@pytest.fixture
def outsider(other_team):
    return MembershipFactory(team=other_team, user=UserFactory(username="olga"), role="lead").user


@pytest.fixture
def manager(db):
    return ManagerFactory(username="maria")


def require_service(what):
    """Skip where a real service is missing on a developer's machine; fail in CI."""
    message = f"{what} is not configured for this run"
    if os.environ.get("CI"):
        pytest.fail(f"{message}, but CI must test against it.")
    pytest.skip(message)


@pytest.fixture
def broker_url():
    if not settings.CELERY_BROKER_URL:
        require_service("CELERY_BROKER_URL (a real Redis broker)")
    return settings.CELERY_BROKER_URL
