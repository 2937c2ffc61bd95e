"""The demo loader."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from portfolio import access
from portfolio.models import Membership, Team

pytestmark = pytest.mark.django_db


def counts():
    return (get_user_model().objects.count(), Team.objects.count(), Membership.objects.count())


def test_demo_loads_three_teams_and_the_two_demo_logins():
    call_command("load_demo", stdout=io.StringIO())

    assert Team.objects.count() == 3
    manager = authenticate(username="manager", password="quadrant-demo")
    lead = authenticate(username="lead", password="quadrant-demo")
    assert manager is not None and access.is_manager(manager)
    assert lead is not None and not access.is_manager(lead)
    assert lead.memberships.get().role == Membership.Role.LEAD


def test_loading_the_demo_twice_duplicates_nothing(capsys):
    call_command("load_demo")
    first = counts()

    call_command("load_demo")

    assert counts() == first
    assert "quadrant-demo" in capsys.readouterr().out


def test_migrations_create_no_users():
    assert get_user_model().objects.count() == 0
