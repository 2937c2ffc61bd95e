"""Exports: CSV and XLSX content parsed back, injection, jobs, permissions, cleanup."""

import csv
import io
import os
from datetime import timedelta

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Rating
from scoring.models import Criterion, ReportJob, ScoringProfile
from scoring.reports import jobs
from scoring.reports.data import ReportError, report_data
from scoring.reports.files import write_report
from scoring.reports.tabular import neutralise
from scoring.tasks import cleanup_reports
from tests.factories import ProjectFactory, UserFactory, rate, rated_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("inline_tasks")]

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def portfolio(team, other_team, manager, member):
    """Three Vision projects, one Search project, one unrated; raters disagree a little."""
    winner = rated_project(team, manager, "Defect detector", 5, 5, effort_weeks=10)
    rate(winner, member, business_value=4, data_availability=5)
    rated_project(team, manager, "Label assistant", 2, 4)
    rated_project(team, manager, "Churn model", 4, 2)
    rated_project(other_team, manager, "Search ranker", 4, 4)
    ProjectFactory(team=team, title="Unrated idea")


def ranking_of(user, query=None):
    return [(row.score.rank, row.project.key) for row in report_data(user, query or {}).rows]


def csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


# --- CSV ---------------------------------------------------------------------------------


def test_csv_rows_equal_the_ranking_with_a_bom(tmp_path, manager, portfolio):
    path = tmp_path / "report.csv"

    write_report(report_data(manager, {}), "csv", path)

    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    header, *rows = csv_rows(path)
    assert header[:3] == ["Rank", "Key", "Title"]
    expected = ranking_of(manager)
    assert [(int(row[0]) if row[0] else None, row[1]) for row in rows] == expected
    by_title = {row[2]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_title["Defect detector"]["Quadrant"] == "Do first"
    assert float(by_title["Defect detector"]["Impact"]) == 87.5
    assert by_title["Defect detector"]["Effort (weeks)"] == "10.0"
    assert by_title["Unrated idea"]["Rank"] == ""
    assert by_title["Unrated idea"]["Missing ratings"] == "Impact, Feasibility"


def test_csv_follows_the_dashboards_filters(tmp_path, manager, team, portfolio):
    path = tmp_path / "report.csv"

    write_report(report_data(manager, {"team": str(team.pk), "quadrant": "do_first"}), "csv", path)

    _header, *rows = csv_rows(path)
    assert [row[2] for row in rows] == ["Defect detector"]
    assert rows[0][0] == "1"  # ranks stay those of the whole portfolio


def test_csv_and_xlsx_neutralise_formulas_but_keep_numbers(tmp_path, manager, team):
    for number, title in enumerate(HOSTILE):
        project = rated_project(team, manager, title, 1 + number % 5, 3)
        Rating.objects.filter(project=project).update(note="=1+2")

    write_report(report_data(manager, {}), "csv", tmp_path / "r.csv")
    write_report(report_data(manager, {}), "xlsx", tmp_path / "r.xlsx")

    titles = {row[2] for row in csv_rows(tmp_path / "r.csv")[1:]}
    assert titles == {"'" + title for title in HOSTILE}
    workbook = openpyxl.load_workbook(tmp_path / "r.xlsx")
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    # openpyxl reads a carriage return back in the file's own escape, _x000D_.
    xlsx_titles = {cell.value.replace("_x000D_", "\r") for cell in workbook["Ranking"]["C"][1:]}
    assert xlsx_titles == titles
    assert {cell.value for cell in workbook["Ratings"]["F"][1:]} == {"'=1+2"}
    assert workbook["Ranking"]["H2"].data_type == "n"


def test_neutralise_leaves_plain_text_and_numbers_alone():
    assert neutralise("Defect detector") == "Defect detector"
    assert neutralise("a=b") == "a=b"
    assert neutralise(-3) == -3
    assert neutralise("-3") == "'-3"


# --- XLSX --------------------------------------------------------------------------------


def test_xlsx_sheets_hold_the_ranking_criteria_ratings_and_rubric(tmp_path, manager, portfolio):
    profile = ScoringProfile.objects.create(name="Value first", impact_threshold=60)
    value = Criterion.objects.get(key="business_value")
    profile.weights.create(criterion=value, weight=7)
    path = tmp_path / "report.xlsx"

    write_report(report_data(manager, {"profile": "Value first"}), "xlsx", path)

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Ranking", "Criteria", "Ratings", "Rubric"]
    ranking = workbook["Ranking"]
    rows = list(ranking.iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1]) for row in rows] == ranking_of(manager, {"profile": "Value first"})
    assert ranking.freeze_panes == "A2"
    assert ranking.auto_filter.ref.startswith("A1:")
    assert ranking["K2"].fill.fgColor.rgb.endswith("DCFCE7")  # Do first is green
    assert ranking["H2"].number_format == "0.0"
    criteria = workbook["Criteria"]
    assert criteria.cell(1, 4).value == Criterion.objects.first().name
    assert criteria.max_row == len(rows) + 1
    ratings = list(workbook["Ratings"].iter_rows(min_row=2, values_only=True))
    assert len(ratings) == Rating.objects.count()
    assert ("maria", "business_value", 5) in {(r[2], r[3], r[4]) for r in ratings}
    rubric = {row[1]: row[3] for row in workbook["Rubric"].iter_rows(min_row=2, values_only=True)}
    assert rubric["business_value"] == 7
    assert len(rubric) == Criterion.objects.count()


def test_blind_ratings_of_others_stay_out_of_the_ratings_sheet(tmp_path, lead, member, team):
    project = rated_project(team, member, "Blind one", 5, 5, blind_rating=True)
    rate(project, lead, business_value=2)
    path = tmp_path / "report.xlsx"

    write_report(report_data(lead, {}), "xlsx", path)

    workbook = openpyxl.load_workbook(path)
    raters = {row[2] for row in workbook["Ratings"].iter_rows(min_row=2, values_only=True)}
    assert raters == {"lena"}
    (values,) = workbook["Criteria"].iter_rows(min_row=2, min_col=4, values_only=True)
    assert set(values) == {None}  # the means of the others' ratings stay hidden too


# --- Jobs through the Reports page (inline: no broker) ---------------------------------


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what waits for the transaction to commit (queueing the task) at once."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def start_export(client, on_commit):
    def start(export_format="csv", **query):
        data = {"format": export_format, "briefs": "on", **query}
        return on_commit(client.post, reverse("reports"), data)

    return start


def test_export_from_the_reports_page_ends_with_a_download(
    client, manager, team, portfolio, start_export
):
    client.force_login(manager)

    response = start_export("xlsx", team=str(team.pk))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reports')}?team={team.pk}"
    job = ReportJob.objects.get()
    assert (job.state, job.progress, job.attempts) == ("done", 100, 1)
    assert job.filters == [["Team", "Vision"]]
    page = client.get(response["Location"]).content.decode()
    download = reverse("report_download", args=[job.pk])
    assert download in page
    assert 'hx-trigger="every 1s"' not in page
    file = client.get(download)
    assert file["Content-Disposition"].startswith('attachment; filename="quadrant-report-')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(file.streaming_content)))
    titles = [row[2] for row in workbook["Ranking"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Defect detector", "Churn model", "Label assistant", "Unrated idea"]


def test_htmx_start_returns_the_list_with_the_new_job_which_polls_to_its_link(
    client, manager, portfolio, on_commit
):
    client.force_login(manager)
    htmx = {"HX-Request": "true"}

    response = on_commit(client.post, reverse("reports"), {"format": "csv"}, headers=htmx)

    job = ReportJob.objects.get()
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="report-jobs"')
    assert f'hx-get="{reverse("report", args=[job.pk])}"' in content
    row = client.get(reverse("report", args=[job.pk]), headers=htmx).content.decode()
    assert reverse("report_download", args=[job.pk]) in row
    assert "hx-trigger" not in row


def test_a_running_job_polls_and_shows_percent_and_stage(client, manager):
    job = ReportJob.objects.create(
        user=manager, format="pdf", state="running", progress=42, stage="Project briefs",
        heartbeat_at=timezone.now(),
    )  # fmt: skip
    client.force_login(manager)

    content = client.get(reverse("report", args=[job.pk]), headers={"HX-Request": "true"})
    content = content.content.decode()

    assert content.lstrip().startswith(f'<tr id="job-{job.pk}"')
    assert 'hx-trigger="every 1s"' in content
    assert 'value="42"' in content and "Project briefs" in content


def test_only_the_owner_and_admins_may_see_or_download_an_export(
    client, manager, member, start_export
):
    client.force_login(manager)
    start_export()
    job = ReportJob.objects.get()
    admin = UserFactory(is_superuser=True)

    client.force_login(member)
    assert client.get(reverse("report_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("report", args=[job.pk])).status_code == 404
    assert client.post(reverse("report_again", args=[job.pk])).status_code == 404
    assert (
        reverse("report_download", args=[job.pk])
        not in client.get(reverse("reports")).content.decode()
    )
    client.force_login(admin)
    assert client.get(reverse("report_download", args=[job.pk])).status_code == 200


def test_a_job_whose_profile_is_gone_fails_and_says_why(client, manager, portfolio, on_commit):
    profile = ScoringProfile.objects.create(name="Short-lived")
    client.force_login(manager)
    job = on_commit(jobs.start, manager, "csv", {"profile": "Short-lived"})  # runs inline
    assert ReportJob.objects.get(pk=job.pk).state == "done"
    profile.delete()

    on_commit(client.post, reverse("report_again", args=[job.pk]))

    again = ReportJob.objects.exclude(pk=job.pk).get()
    assert again.state == "failed"
    assert "scoring profile" in again.error
    page = client.get(reverse("reports")).content.decode()
    assert "no longer exists" in page and "Run again" in page
    assert client.get(reverse("report_download", args=[again.pk])).status_code == 404


def test_disk_trouble_fails_the_job_without_a_file(client, manager, portfolio, media, start_export):
    media.mkdir(parents=True)
    (media / "reports").write_text("a file where the directory should be")
    client.force_login(manager)

    start_export()

    job = ReportJob.objects.get()
    assert job.state == "failed"
    assert "could not use its database or disk" in job.error
    assert jobs.path_of(job) is None


def test_a_refused_format_re_renders_the_form(client, manager):
    client.force_login(manager)

    response = client.post(reverse("reports"), {"format": "docx"})

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_reports_page_queries_do_not_grow_with_the_exports(
    client, manager, django_assert_max_num_queries
):
    ReportJob.objects.bulk_create(ReportJob(user=manager, format="csv") for _ in range(15))
    client.force_login(manager)

    with django_assert_max_num_queries(12):
        client.get(reverse("reports"))


# --- Cleanup and dead workers ------------------------------------------------------------


def test_cleanup_removes_expired_files_and_leftover_parts(manager, media, settings, on_commit):
    kept = on_commit(jobs.start, manager, "csv", {})
    old = on_commit(jobs.start, manager, "csv", {})
    ReportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    part = media / "reports" / "lost.csv.part"
    part.write_text("half")
    stale = timezone.now().timestamp() - settings.REPORT_STALE_SECONDS - 10
    os.utime(part, (stale, stale))

    assert jobs.cleanup() == (1, 1, 0)

    assert ReportJob.objects.get(pk=old.pk).state == "expired"
    assert jobs.path_of(ReportJob.objects.get(pk=old.pk)) is None
    assert jobs.path_of(ReportJob.objects.get(pk=kept.pk)).is_file()
    assert not part.exists()


def test_a_job_whose_worker_went_away_is_marked_failed(manager, settings):
    quiet = timezone.now() - timedelta(seconds=settings.REPORT_STALE_SECONDS + 1)
    job = ReportJob.objects.create(user=manager, format="pdf", state="running", heartbeat_at=quiet)

    assert jobs.fail_stale() == 1

    job.refresh_from_db()
    assert job.state == "failed"
    assert "worker" in job.error


# --- The command -------------------------------------------------------------------------


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_export_report_writes_the_same_rows_as_the_page(
    tmp_path, manager, team, portfolio, export_format
):
    out = tmp_path / f"report.{export_format}"

    call_command("export_report", "--format", export_format, "--out", str(out), "--team", "Vision")

    if export_format == "csv":
        keys = [row[1] for row in csv_rows(out)[1:]]
    else:
        keys = [
            row[1]
            for row in openpyxl.load_workbook(out)["Ranking"].iter_rows(min_row=2, values_only=True)
        ]
    assert keys == [key for _rank, key in ranking_of(manager, {"team": str(team.pk)})]


def test_export_report_names_what_it_does_not_know(tmp_path, portfolio):
    with pytest.raises(CommandError, match=r"No team named 'Nope'\. Teams: Search, Vision"):
        call_command(
            "export_report", "--format", "csv", "--out", str(tmp_path / "x"), "--team", "Nope"
        )
    with pytest.raises(CommandError, match="No scoring profile named 'Nope'"):
        call_command(
            "export_report", "--format", "csv", "--out", str(tmp_path / "x"), "--profile", "Nope"
        )
    assert not (tmp_path / "x").exists()


def test_report_data_refuses_a_missing_profile():
    with pytest.raises(ReportError):
        report_data(UserFactory(is_superuser=True), {"profile": "Gone"})


def test_a_job_whose_worker_keeps_dying_stops_trying(manager):
    job = ReportJob.objects.create(
        user=manager, format="pdf", state="running", attempts=jobs.MAX_ATTEMPTS
    )

    jobs.run(job.pk)

    job.refresh_from_db()
    assert job.state == "failed"
    assert f"stopped {jobs.MAX_ATTEMPTS} times" in job.error


def test_cleanup_command_and_task_do_the_same_cleanup(manager, settings, capsys):
    quiet = timezone.now() - timedelta(seconds=settings.REPORT_STALE_SECONDS + 1)
    ReportJob.objects.create(user=manager, format="csv", state="running", heartbeat_at=quiet)

    call_command("cleanup_reports")

    assert "exports marked failed: 1" in capsys.readouterr().out
    assert cleanup_reports.apply().get() == {"expired": 0, "partial": 0, "failed": 0}
