"""Snapshots: the ranking frozen under a name, and what has moved since.

Managers take them (from the dashboard); everyone who sees the ranking sees them, but
only the entries of projects they may see now. Managers also see the entries of projects
deleted since, which nobody else can be shown safely.
"""

from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portfolio import access
from portfolio.views.partials import render_page
from scoring import engine, selectors, services
from scoring.forms import NOW, DashboardForm, SnapshotCompareForm, SnapshotForm
from scoring.models import Snapshot, quadrant_label
from scoring.views import dashboard


@dataclass
class MovementRow:
    movement: engine.Movement
    url: str | None  # None when the project is gone

    @property
    def places(self):
        return abs(self.movement.change or 0)

    @property
    def old_quadrant_label(self):
        return quadrant_label(self.movement.old_quadrant)

    @property
    def new_quadrant_label(self):
        return quadrant_label(self.movement.new_quadrant)


def snapshot_list(request):
    context = {
        "snapshots": list(selectors.snapshot_list(request.user)),
        "is_manager": access.is_manager(request.user),
    }
    return render_page(request, "scoring/snapshot_list.html", context)


@require_POST
def snapshot_create(request):
    if not access.is_manager(request.user):
        raise PermissionDenied
    profile = selectors.profile_named(request.POST.get("profile"))
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        view = DashboardForm({"profile": profile.name}, user=request.user)
        context = dashboard.dashboard_context(request, view, snapshot_form=form)
        return render_page(request, dashboard.TEMPLATE, context, status=422)
    snapshot = services.take_snapshot(
        name=form.cleaned_data["name"], profile=profile, user=request.user
    )
    messages.success(request, gettext("Snapshot “%(name)s” taken.") % {"name": snapshot.name})
    return redirect("snapshot_list")


def snapshot_compare(request):
    snapshots = list(Snapshot.objects.all())
    data = request.GET if "old" in request.GET else None
    initial = {"old": snapshots[0].pk, "new": NOW} if snapshots else {}
    form = SnapshotCompareForm(data, snapshots=snapshots, initial=initial)
    context = {"form": form, "has_snapshots": bool(snapshots)}
    if not form.is_bound:
        return render_page(request, "scoring/snapshot_compare.html", context)
    if not form.is_valid():
        return render_page(request, "scoring/snapshot_compare.html", context, status=422)
    comparison = selectors.compare_snapshot(
        form.cleaned_data["old"], form.cleaned_data["new"], request.user
    )
    rows = [
        MovementRow(movement, _project_url(movement.key, comparison.existing))
        for movement in comparison.movements
    ]
    context |= {"comparison": comparison, "rows": rows, "summary": _summary(rows)}
    return render_page(request, "scoring/snapshot_compare.html", context)


def _project_url(key, existing):
    return reverse("project", kwargs={"key": key}) if key in existing else None


def _summary(rows):
    """How many projects moved up or down, are new or removed, or changed quadrant."""
    counts = Counter()
    for row in rows:
        movement = row.movement
        if movement.change:
            counts["up" if movement.change > 0 else "down"] += 1
        if movement.status in ("new", "removed"):
            counts[movement.status] += 1
        if movement.quadrant_changed:
            counts["quadrant"] += 1
    return counts
