"""Who may see and change what: the only place permissions live.

Every view reaches a project through `get_project_for_user` or `get_project_for_lead`,
so no view can forget the check. A project the user may not see is a 404, never a 403,
so its existence does not leak.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from portfolio.models import MANAGERS_GROUP, Membership, Project, Team
from scoring.models import ReportJob


def is_manager(user):
    """Managers (and superusers) see and rate the whole portfolio."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    # Asked several times per request (navigation, selectors, views): ask the database once.
    if not hasattr(user, "_is_manager"):
        user._is_manager = user.groups.filter(name=MANAGERS_GROUP).exists()
    return user._is_manager


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


def can_rate_project(user, project):
    """The project's team (leads and members) and managers rate it."""
    return (
        is_manager(user) or Membership.objects.filter(user=user, team_id=project.team_id).exists()
    )


def sees_others_ratings(user, project, own_count, criteria_count):
    """Blind rating: others' ratings stay hidden until the user has rated every criterion.

    A manager who wants the discussion to start reveals them for everyone.
    """
    if not project.blind_rating or project.ratings_revealed:
        return True
    return own_count >= criteria_count


def get_report_for_user(user, pk):
    """An export its owner asked for; admins may fetch anyone's. Anyone else: 404."""
    jobs = ReportJob.objects.all() if user.is_superuser else ReportJob.objects.filter(user=user)
    return get_object_or_404(jobs, pk=pk)
