"""The cast every test can call on.

Lena leads the Vision team, Max is a member of it, Olga is an outsider who leads another
team, and Maria is a manager who sees the whole portfolio. `project` is Lena's proposal.
"""

import importlib
import os

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from portfolio import services
from portfolio.models import Project
from tests.factories import (
    ManagerFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)


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


@pytest.fixture
def project(team, lead):
    """Lena's proposal on the Vision team, created the way the app creates projects."""
    return services.create_project(
        user=lead,
        key="defect-detector",
        title="Defect detector",
        summary="Spot defects on the assembly line from camera images.",
        team=team,
        owner=lead,
        archetype=Project.Archetype.AUTOMATE,
        effort_weeks=12,
        expected_value=400000,
        success_likelihood=0.5,
    )


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


@pytest.fixture
def migrated_data(transactional_db):
    """What the data migrations seed (the rubric, the Default profile, the Managers group).

    A transactional test empties the tables after itself; this puts back what later
    tests that commit for real (browser, worker) rely on, whatever ran before them.
    """
    for migration in (
        "portfolio.migrations.0002_managers_group",
        "scoring.migrations.0002_default_rubric",
    ):
        module = importlib.import_module(migration)
        seed = getattr(module, "create_group", None) or module.seed
        seed(django_apps, None)


@pytest.fixture
def inline_tasks():
    """Tasks run inline, as with no broker configured, even where CI configures one."""
    from portfolio.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
