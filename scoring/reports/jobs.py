"""Exports as background jobs: start, run with progress, keep the file, clean up.

A job writes its file under a temporary name and renames it into place only when it is
complete, and only then is the job marked done: a worker that dies mid-export leaves no
half-written file to download. Celery hands a task back to the queue when its worker
process is lost (acks late, reject on worker lost), so the export is run again; a job
whose worker stopped for good shows no sign of life and `fail_stale` marks it failed.
Temporary trouble (database or disk) makes the task retry with backoff.
"""

import logging
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.forms import DashboardForm
from scoring.models import ReportJob
from scoring.reports.data import ReportError, report_data
from scoring.reports.files import PART_SUFFIX, write_report

logger = logging.getLogger(__name__)

DIRECTORY = "reports"
# What may pass by itself: the database or the disk failing for a moment.
TRANSIENT = (DatabaseError, OSError)
HEARTBEAT_SECONDS = 5  # a running job updates its progress at least this often
# A job whose worker keeps dying (say, out of memory) stops here; more than the first run
# and the task's retries (scoring.tasks.run_report), which end in a message of their own.
MAX_ATTEMPTS = 5


def start(user, export_format, query, *, briefs=True):
    """Create the job and queue it once the transaction commits; returns the job.

    Without a broker the task runs inline, so the job is finished when this returns.
    """
    from scoring.tasks import run_report  # the task module imports this one

    filters = DashboardForm(query, user=user).described()
    job = ReportJob.objects.create(
        user=user, format=export_format, briefs=briefs, query=query, filters=filters
    )
    transaction.on_commit(lambda: run_report.delay(str(job.pk)))
    return job


def run(job_id, *, last_try=True):
    """Run the job: write its file, then mark it done. Raises TRANSIENT errors to retry."""
    job = _claim(job_id)
    if job is None:
        return
    try:
        name = _write(job)
    except ReportError as error:
        _finish(job, state=ReportJob.State.FAILED, error=str(error))
    except TRANSIENT as error:
        logger.warning("Export %s hit a temporary problem: %s", job.pk, error)
        if last_try:
            message = _(
                "The export failed: the server could not use its database or disk "
                "(%(count)d attempts; the details are logged). Try again later."
            ) % {"count": job.attempts}
            _finish(job, state=ReportJob.State.FAILED, error=message)
            return
        _update(job.pk, state=ReportJob.State.QUEUED, stage=_("Retrying after a problem"))
        raise
    except Exception:
        logger.exception("Export %s failed", job.pk)
        message = _("The export failed unexpectedly; the error was logged. Try again.")
        _finish(job, state=ReportJob.State.FAILED, error=message)
    else:
        _finish(
            job,
            state=ReportJob.State.DONE,
            file=name,
            size=(_root() / name).stat().st_size,
            progress=100,
            stage=_("Ready"),
            expires_at=timezone.now() + timedelta(days=settings.REPORT_LIFETIME_DAYS),
        )


def path_of(job):
    """The finished file of a job, or None."""
    if job.state != ReportJob.State.DONE or not job.file:
        return None
    path = _root() / job.file
    return path if path.is_file() else None


def download_name(job):
    return f"quadrant-report-{timezone.localtime(job.created_at):%Y-%m-%d-%H%M}.{job.format}"


def fail_stale(now=None):
    """Mark failed the running jobs that show no sign of life; returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REPORT_STALE_SECONDS)
    return ReportJob.objects.filter(state=ReportJob.State.RUNNING, heartbeat_at__lt=cutoff).update(
        state=ReportJob.State.FAILED,
        error=_("The export stopped: the worker running it went away. Run it again."),
        finished_at=now,
    )


def cleanup(now=None):
    """Delete expired files and leftover partial files; mark stale jobs failed.

    Returns (files of expired jobs removed, partial files removed, jobs marked failed).
    """
    now = now or timezone.now()
    failed = fail_stale(now)
    expired = ReportJob.objects.filter(state=ReportJob.State.DONE, expires_at__lt=now)
    removed = 0
    for job in expired:
        (_root() / job.file).unlink(missing_ok=True)
        removed += 1
    expired.update(state=ReportJob.State.EXPIRED, file="")
    # A partial file belongs to a job still running, unless it is older than any live one.
    too_old = (now - timedelta(seconds=settings.REPORT_STALE_SECONDS)).timestamp()
    partial = 0
    if _root().is_dir():
        for path in _root().glob(f"*{PART_SUFFIX}"):
            if path.stat().st_mtime < too_old:
                path.unlink(missing_ok=True)
                partial += 1
    return removed, partial, failed


def _claim(job_id):
    """Mark the job running (one more attempt); None if it is not to be run any more."""
    with transaction.atomic():
        job = (
            ReportJob.objects.select_for_update()
            .select_related("user")
            .filter(pk=job_id, state__in=[ReportJob.State.QUEUED, ReportJob.State.RUNNING])
            .first()
        )
        if job is None:
            return None
        if job.attempts >= MAX_ATTEMPTS:
            job.state, job.finished_at = ReportJob.State.FAILED, timezone.now()
            job.error = _("The export stopped %(count)d times before it could finish.") % {
                "count": job.attempts
            }
            job.save(update_fields=["state", "error", "finished_at"])
            return None
        job.state = ReportJob.State.RUNNING
        job.attempts += 1
        job.progress, job.stage, job.error = 0, _("Starting"), ""
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["state", "attempts", "progress", "stage", "error", "heartbeat_at"])
    return job


def _write(job):
    """Write the job's file into place (see `write_report`); returns its name."""
    data = report_data(job.user, job.query)
    _root().mkdir(parents=True, exist_ok=True)
    name = f"{job.pk}.{job.format}"
    write_report(data, job.format, _root() / name, briefs=job.briefs, progress=_Progress(job.pk))
    return name


class _Progress:
    """Records a job's percent and stage, at most every few seconds or on a change."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.shown = (0, "")
        self.at = time.monotonic()

    def __call__(self, fraction, stage):
        percent = min(99, int(fraction * 100))  # 100 only once the file is in place
        now = time.monotonic()
        if (percent, stage) != self.shown or now - self.at >= HEARTBEAT_SECONDS:
            _update(self.job_id, progress=percent, stage=stage)
            self.shown, self.at = (percent, stage), now


def _update(job_id, **fields):
    ReportJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now(), **fields)


def _finish(job, **fields):
    ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), **fields)


def _root():
    return Path(settings.MEDIA_ROOT) / DIRECTORY
