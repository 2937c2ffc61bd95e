"""URLs of the scoring pages: rubric, profiles, dashboard, snapshots, import."""

from django.urls import path
from django.views.generic import RedirectView

from scoring.views import (
    compare,
    dashboard,
    explain,
    imports,
    profiles,
    reports,
    rubric,
    snapshots,
)

urlpatterns = [
    path("rubric/", rubric.rubric, name="rubric"),
    path("rubric/new/", rubric.criterion_create, name="criterion_create"),
    path("rubric/<slug:key>/", rubric.criterion, name="criterion"),
    path("rubric/<slug:key>/edit/", rubric.criterion_edit, name="criterion_edit"),
    path("profiles/", profiles.profile_list, name="profile_list"),
    path("profiles/new/", profiles.profile_create, name="profile_create"),
    path("profiles/<int:pk>/", profiles.profile_edit, name="profile_edit"),
    path("profiles/<int:pk>/default/", profiles.profile_make_default, name="profile_make_default"),
    path("profiles/<int:pk>/delete/", profiles.profile_delete, name="profile_delete"),
    path("how-scores-work/", explain.how_scores_work, name="how_scores_work"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # The dashboard grew out of the ranking page: old links keep their view.
    path("ranking/", RedirectView.as_view(pattern_name="dashboard", query_string=True)),
    path("compare/", compare.compare, name="compare"),
    path("snapshots/", snapshots.snapshot_list, name="snapshot_list"),
    path("snapshots/new/", snapshots.snapshot_create, name="snapshot_create"),
    path("snapshots/compare/", snapshots.snapshot_compare, name="snapshot_compare"),
    path("reports/", reports.reports, name="reports"),
    path("reports/<uuid:pk>/", reports.report, name="report"),
    path("reports/<uuid:pk>/again/", reports.report_again, name="report_again"),
    path("reports/<uuid:pk>/download/", reports.report_download, name="report_download"),
    path("import/", imports.portfolio_import, name="portfolio_import"),
    path("import/<slug:token>/", imports.portfolio_import_preview, name="portfolio_import_preview"),
    path(
        "import/templates/<str:name>",
        imports.portfolio_import_template,
        name="portfolio_import_template",
    ),
]
