"""Exports on a real Celery worker on Redis: progress, retries, and workers that die.

The worker is a separate process on the same PostgreSQL test database, so these tests
commit for real (transactional) and need PostgreSQL and Redis; on a developer machine
without them they are skipped, in CI they fail.
"""

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from portfolio.celery import app as celery_app
from portfolio.models import Project
from scoring.models import Quadrant
from scoring.reports import jobs
from scoring.reports.data import report_data
from tests.conftest import require_service
from tests.factories import ManagerFactory, rated_project

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_data"),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_url():
    if connection.vendor != "postgresql":
        require_service("PostgreSQL (DATABASE_URL), which a worker process can share")
    config = connection.settings_dict
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host = config["HOST"] or "127.0.0.1"
    return f"postgres://{config['USER']}{password}@{host}:{config['PORT'] or 5432}/{config['NAME']}"


@pytest.fixture
def start_worker(broker_url, database_url, settings, tmp_path):
    """Start real workers (prefork, one child) on the default queue; all stopped after."""
    settings.MEDIA_ROOT = tmp_path / "media"
    celery_app.control.purge()  # nothing left over from an earlier run
    started = []

    def start(media_root=None):
        environment = {
            **os.environ,
            "CELERY_BROKER_URL": broker_url,
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media_root or settings.MEDIA_ROOT),
            "DEBUG": "1",
        }
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "portfolio", "worker",
                "--pool=prefork", "--concurrency=1", "--without-gossip", "--without-mingle",
                "--loglevel=warning",
            ],
            cwd=ROOT, env=environment, start_new_session=True,
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def wait_for(job, condition, timeout=120):
    """Poll the job's row until `condition(job)`; returns the progress values seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        seen.append(job.progress)
        if condition(job):
            return seen
        time.sleep(0.1)
    raise AssertionError(f"Job still {job.state} ({job.progress}%, {job.stage}) after {timeout}s")


def pdf_text(path):
    return " ".join(
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )


def pool_child(worker):
    """The pid of the worker's pool process, the one that runs tasks."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    assert len(children) == 1, children
    return int(children[0])


def reports_dir(settings):
    return Path(settings.MEDIA_ROOT) / "reports"


def test_an_export_runs_on_the_worker_with_progress_to_a_download(start_worker, settings):
    call_command("seed_bench", projects=300, raters=3, verbosity=0)
    start_worker()
    job = jobs.start(ManagerFactory(), "pdf", {})

    seen = wait_for(job, lambda job: not job.active)

    assert job.state == "done", job.error
    assert any(0 < percent < 100 for percent in seen)
    assert job.progress == 100 and job.attempts == 1
    text = pdf_text(jobs.path_of(job))
    assert all(title in text for title in Project.objects.values_list("title", flat=True))
    assert all(str(label) in text for label in Quadrant.labels)  # the matrix's quadrants


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_spreadsheets_from_the_worker_hold_the_ranking(start_worker, team, export_format):
    manager = ManagerFactory()
    for number in range(12):
        rated_project(team, manager, f"Project {number:02}", 1 + number % 5, 1 + number // 3 % 5)
    start_worker()
    job = jobs.start(manager, export_format, {})

    wait_for(job, lambda job: not job.active)

    assert job.state == "done", job.error
    path = jobs.path_of(job)
    if export_format == "csv":
        with path.open(encoding="utf-8-sig", newline="") as stream:
            rows = [(row[0], row[1]) for row in csv.reader(stream)][1:]
    else:
        sheet = openpyxl.load_workbook(path)["Ranking"]
        rows = [(str(row[0]), row[1]) for row in sheet.iter_rows(min_row=2, values_only=True)]
    ranking = report_data(manager, {}).rows
    assert rows == [(str(row.score.rank), row.project.key) for row in ranking]


def test_a_killed_pool_process_is_replaced_and_the_export_runs_again(start_worker, settings):
    call_command("seed_bench", projects=1500, raters=3, verbosity=0)
    worker = start_worker()
    job = jobs.start(ManagerFactory(), "pdf", {})
    wait_for(job, lambda job: job.state == "running" and job.progress > 0)

    os.kill(pool_child(worker), signal.SIGKILL)

    wait_for(job, lambda job: not job.active, timeout=180)
    assert job.state == "done", job.error
    assert job.attempts == 2
    assert [path.name for path in reports_dir(settings).iterdir()] == [f"{job.pk}.pdf"]
    assert jobs.path_of(job).read_bytes().rstrip().endswith(b"%%EOF")


def test_a_worker_killed_outright_leaves_no_file_and_the_job_is_marked_failed(
    start_worker, settings
):
    call_command("seed_bench", projects=1500, raters=3, verbosity=0)
    worker = start_worker()
    job = jobs.start(ManagerFactory(), "pdf", {})
    wait_for(job, lambda job: job.state == "running" and job.progress > 0)

    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)

    later = timezone.now() + timedelta(seconds=settings.REPORT_STALE_SECONDS + 1)
    assert jobs.cleanup(later)[2] == 1
    job.refresh_from_db()
    assert job.state == "failed"
    assert "worker" in job.error
    assert jobs.path_of(job) is None
    assert list(reports_dir(settings).glob("*")) == []


def test_a_transient_failure_is_retried_with_backoff_then_fails(start_worker, tmp_path):
    broken = tmp_path / "broken-media"
    broken.mkdir()
    (broken / "reports").write_text("a file where the directory should be")
    start_worker(media_root=broken)
    job = jobs.start(ManagerFactory(), "csv", {})

    wait_for(job, lambda job: job.state == "failed", timeout=60)

    assert job.attempts == 4  # the first run and three retries
    assert "could not use its database or disk" in job.error
