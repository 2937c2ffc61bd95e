"""Delete expired export files and leftovers, and fail exports whose worker died.

The Celery beat schedule runs the same cleanup hourly (scoring.cleanup_reports); this
command is for installs without beat, e.g. from cron.
"""

from django.core.management.base import BaseCommand

from scoring.reports import jobs


class Command(BaseCommand):
    help = "Delete expired export files and leftover partial files; fail exports that died."

    def handle(self, *args, **options):
        removed, partial, failed = jobs.cleanup()
        self.stdout.write(
            f"Expired files deleted: {removed}; partial files deleted: {partial}; "
            f"exports marked failed: {failed}."
        )
