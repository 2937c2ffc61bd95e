"""Who may see and change what: the only place permissions live.

Every view reaches a project through `get_project_for_user` or `get_project_for_lead`,
so no view can forget the check. A project the user may not see is a 404, never a 403,
so its existence does not leak.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from portfolio.models import MANAGERS_GROUP, Membership, Project, Team


def is_manager(user):
    """Managers (and superusers) see and rate the whole portfolio."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=MANAGERS_GROUP).exists()


def visible_teams(user):
    if is_manager(user):
        return Team.objects.all()
    return Team.objects.filter(memberships__user=user)


def teams_led_by(user):
    """Teams whose projects the user may create, edit and move."""
    return Team.objects.filter(memberships__user=user, memberships__role=Membership.Role.LEAD)


def visible_projects(user):
    if not user.is_authenticated:
        return Project.objects.none()
    if is_manager(user):
        return Project.objects.all()
    return Project.objects.filter(team__memberships__user=user)


def can_edit_project(user, project):
    return Membership.objects.filter(
        user=user, team_id=project.team_id, role=Membership.Role.LEAD
    ).exists()


def get_project_for_user(user, key):
    return get_object_or_404(visible_projects(user).select_related("team", "owner"), key=key)


def get_project_for_lead(user, key):
    """The project, for a change: 404 when unseen, 403 when seen but not the user's to edit."""
    project = get_project_for_user(user, key)
    if not can_edit_project(user, project):
        raise PermissionDenied
    return project
