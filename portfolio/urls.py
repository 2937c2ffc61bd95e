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
    *[
        url
        for section in (project.METRICS, project.BASELINES)
        for url in (
            path(
                f"projects/<slug:key>/{section.name}/",
                project.project_rows,
                {"section": section},
                name=f"project_{section.name}",
            ),
            path(
                f"projects/<slug:key>/{section.name}/<int:pk>/",
                project.project_row,
                {"section": section},
                name=f"project_{section.item}",
            ),
            path(
                f"projects/<slug:key>/{section.name}/<int:pk>/delete/",
                project.project_row_delete,
                {"section": section},
                name=f"project_{section.item}_delete",
            ),
        )
    ],
    path("", include("scoring.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]

handler403 = "portfolio.views.system.permission_denied"
handler404 = "portfolio.views.system.page_not_found"
handler500 = "portfolio.views.system.server_error"
