"""Template context shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portfolio import access

# (url name, label, url names of the section's other pages, for managers only)
NAVIGATION = [
    ("dashboard", _("Dashboard"), (), False),
    ("project_list", _("Portfolio"), ("project", "project_create", "project_edit"), False),
    ("snapshot_list", _("Snapshots"), ("snapshot_compare",), False),
    ("reports", _("Reports"), ("report",), False),
    ("rubric", _("Rubric"), ("criterion", "criterion_edit", "criterion_create"), False),
    ("profile_list", _("Profiles"), ("profile_create", "profile_edit"), False),
    ("portfolio_import", _("Import"), (), True),
    ("how_scores_work", _("How scores work"), (), False),
]


def navigation(request):
    """The main navigation, with the current section marked."""
    if not request.user.is_authenticated:
        return {"navigation": []}
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match else None
    manager = access.is_manager(request.user)
    return {
        "navigation": [
            {
                "url": reverse(name),
                "label": label,
                "current": current == name or current in section,
            }
            for name, label, section, managers_only in NAVIGATION
            if manager or not managers_only
        ]
    }
