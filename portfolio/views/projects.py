"""The portfolio: the list of projects a user may see."""

from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from portfolio import access, selectors
from portfolio.forms import ProjectFilterForm
from portfolio.views.partials import render_page

PROJECTS_PER_PAGE = 25

# The list's columns: sort key (see selectors.PROJECT_LIST_ORDERINGS), header, is a number.
PROJECT_LIST_COLUMNS = [
    ("title", _("Title"), False),
    ("team", _("Team"), False),
    ("archetype", _("Archetype"), False),
    ("stage", _("Stage"), False),
    ("status", _("Status"), False),
    ("effort", _("Effort (person-weeks)"), True),
    ("likelihood", _("Likelihood of success (%)"), True),
    ("owner", _("Owner"), False),
    ("updated", _("Updated"), False),
]


def _columns(sort):
    """Each column's header: where a click on it sorts, and how it is sorted now."""
    columns = []
    for key, label, numeric in PROJECT_LIST_COLUMNS:
        aria_sort = {key: "ascending", f"-{key}": "descending"}.get(sort)
        columns.append(
            {
                "label": label,
                "numeric": numeric,
                "aria_sort": aria_sort,
                "next_sort": f"-{key}" if aria_sort == "ascending" else key,
            }
        )
    return columns


def project_list(request):
    form = ProjectFilterForm(request.GET, user=request.user)
    filters = form.filters()
    projects = selectors.project_list(request.user, **filters)
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    # The teams the filter offers are the teams the user sees.
    has_teams = form.fields["team"].queryset.exists()
    context = {
        "form": form,
        "page": page,
        "query": form.query(),
        "sort": filters["sort"],
        "columns": _columns(filters["sort"]),
        "is_filtered": form.is_filtered(),
        "has_teams": has_teams,
        "is_manager": not has_teams and access.is_manager(request.user),
        "can_propose": access.teams_led_by(request.user).exists(),
    }
    return render_page(request, "portfolio/project_list.html", context, partial="results")
