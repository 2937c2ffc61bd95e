"""Background tasks of the scoring app: exports and their cleanup."""

from celery import shared_task

from scoring.reports import jobs


@shared_task(
    name="scoring.run_report",
    bind=True,
    ignore_result=True,  # the job's row is its state
    autoretry_for=jobs.TRANSIENT,
    retry_backoff=1,  # seconds before the first retry, doubling after
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=3,
)
def run_report(self, job_id):
    """Write a report's file; temporary trouble retries with backoff, then fails the job.

    Run inline (no broker), a task cannot be retried later: the first failure is final.
    """
    last_try = self.request.is_eager or self.request.retries >= self.max_retries
    jobs.run(job_id, last_try=last_try)


@shared_task(name="scoring.cleanup_reports", ignore_result=True)
def cleanup_reports():
    """Hourly (Celery beat): expired files, leftover partial files, jobs whose worker died."""
    removed, partial, failed = jobs.cleanup()
    return {"expired": removed, "partial": partial, "failed": failed}
