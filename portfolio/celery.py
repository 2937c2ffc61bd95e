"""The Celery app. Settings come from Django's settings under the CELERY_ prefix.

With no broker configured the tasks run inline (eagerly) in the web process, so a
single-process install still works; a worker is only needed once CELERY_BROKER_URL is set.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

app = Celery("portfolio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
