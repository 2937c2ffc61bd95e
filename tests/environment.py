"""The environment the suite runs in, set before Django reads its settings.

Loaded as a plugin (`-p tests.environment` in pyproject.toml) so it runs before
pytest-django imports the settings module. Variables already set (DATABASE_URL,
CELERY_BROKER_URL in CI) are kept.
"""

import os

os.environ.setdefault("DEBUG", "1")
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses
# to run inside one unless told that this is safe (it is: nothing else uses the loop).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
