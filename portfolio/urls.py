"""URL map of the whole site."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portfolio.views import edit, home, project, projects, system

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", system.healthz, name="healthz"),
    path("projects/", projects.project_list, name="project_list"),
    # projects/new/ must come before projects/<slug:key>/, or "new" would be read as a key.
    path("projects/new/", edit.project_create, name="project_create"),
    path("projects/<slug:key>/edit/", edit.project_edit, name="project_edit"),
    path("projects/<slug:key>/", project.project_detail, name="project"),
    path("projects/<slug:key>/stage/", project.project_stage, name="project_stage"),
    path("projects/<slug:key>/ratings/", project.project_ratings, name="project_ratings"),
    path(
        "projects/<slug:key>/ratings/reveal/",
        project.project_ratings_reveal,
        name="project_ratings_reveal",
    ),
    path("projects/<slug:key>/questions/", project.project_questions, name="project_questions"),
    path("projects/<slug:key>/metrics/", project.project_metrics, name="project_metrics"),
    path("projects/<slug:key>/metrics/<int:pk>/", project.project_metric, name="project_metric"),
    path(
        "projects/<slug:key>/metrics/<int:pk>/delete/",
        project.project_metric_delete,
        name="project_metric_delete",
    ),
    path("projects/<slug:key>/baselines/", project.project_baselines, name="project_baselines"),
    path(
        "projects/<slug:key>/baselines/<int:pk>/",
        project.project_baseline,
        name="project_baseline",
    ),
    path(
        "projects/<slug:key>/baselines/<int:pk>/delete/",
        project.project_baseline_delete,
        name="project_baseline_delete",
    ),
    path("", include("scoring.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler403 = "portfolio.views.system.permission_denied"
handler404 = "portfolio.views.system.page_not_found"
handler500 = "portfolio.views.system.server_error"
