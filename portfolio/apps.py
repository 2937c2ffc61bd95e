import logging

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("portfolio")


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        if not settings.CELERY_BROKER_URL:
            logger.info("CELERY_BROKER_URL is not set: background tasks run inline.")
