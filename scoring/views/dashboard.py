"""The dashboard: the portfolio in priority order, as a quarterly planning meeting reads it.

Counts per quadrant, team and stage, the impact × feasibility matrix, the ranked table and
the projects that still need ratings, all under one set of filters and one scoring
profile. The filters form is a GET form: htmx swaps the results in one request and pushes
the URL, so a view can be shared, the back button restores the previous one, and the same
URL renders the whole page without JavaScript.

Next to each score the page shows how far the raters disagree (spread) and how much the
rank owes to the exact weights (rank stability), so that a close call is discussed rather
than read off a number. Managers freeze the ranking as a snapshot from here, and pick a
snapshot to see what moved since.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext

from portfolio import access
from portfolio.charts import figure_json
from portfolio.views.partials import render_page
from scoring.charts import matrix_figure
from scoring.forms import DashboardForm, SnapshotForm
from scoring.overview import overview

TEMPLATE = "scoring/dashboard.html"
TABLE_PAGE_SIZE = 50


def dashboard(request):
    form = DashboardForm(request.GET, user=request.user)
    return render_page(request, TEMPLATE, dashboard_context(request, form), partial="results")


def dashboard_context(request, form, *, snapshot_form=None):
    """What the dashboard shows for `form`'s view; also to re-show a refused snapshot form."""
    user = request.user
    view = form.view()
    found = overview(user, view)
    snapshot, ranked = found.snapshot, found.ranked
    matrix = matrix_figure(
        [(row.project, row.score) for row in ranked],
        found.profile,
        size_by=view["size_by"],
        colour_by=view["colour_by"],
        show_spread=view["show_spread"],
        before={
            row.project.pk: (row.before.impact, row.before.feasibility)
            for row in ranked
            if row.before is not None
        },
        before_name=gettext("Since “%(name)s”") % {"name": snapshot.name} if snapshot else "",
    )
    counts = found.counts()
    if access.is_manager(user) and snapshot_form is None:
        snapshot_form = SnapshotForm(initial={"profile": found.profile.name})
    return {
        "form": form,
        "profile": found.profile,
        "rules": found.rules,
        "snapshot": snapshot,
        "ranked": ranked,
        "page": Paginator(ranked, TABLE_PAGE_SIZE).get_page(request.GET.get("page")),
        "needs_ratings": found.needs_ratings,
        "counts": counts,
        "count_panels": _count_panels(request, found, counts),
        "total": len(found.rows),
        "matrix": figure_json(matrix) if ranked else None,
        "snapshot_form": snapshot_form if access.is_manager(user) else None,
    }


@dataclass
class Count:
    label: str
    count: int
    link: str | None  # the dashboard filtered to these projects
    badge: str = ""  # the badge's class, for quadrants


def _count_panels(request, found, counts):
    """`found.counts()` per quadrant, team and stage, each linking to its filtered view."""

    def link(name, value):
        query = request.GET.copy()
        query[name] = value
        query.pop("page", None)
        return f"{reverse('dashboard')}?{query.urlencode()}"

    quadrants = [
        Count(label, count, link("quadrant", value), f"quadrant-{value}")
        for value, label, count in counts["quadrant"]
    ]
    quadrants.append(Count(gettext("Needs ratings"), len(found.needs_ratings), None, "unranked"))
    panels = [{"name": "quadrant", "heading": gettext("Per quadrant"), "counts": quadrants}]
    for name, heading in [("team", gettext("Per team")), ("stage", gettext("Per stage"))]:
        rows = [Count(label, count, link(name, value)) for value, label, count in counts[name]]
        panels.append({"name": name, "heading": heading, "counts": rows})
    return panels
