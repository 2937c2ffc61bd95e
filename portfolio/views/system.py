"""Health check and the error pages.

Errors answer an htmx request with a message swapped into the page's message area
(HX-Retarget), never with a whole error page swapped into whatever fragment asked.
"""

from celery.exceptions import CeleryError
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu.exceptions import KombuError

from portfolio.celery import app as celery_app


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"error: {type(error).__name__}"
    return "ok"


def _broker_status():
    if not settings.CELERY_BROKER_URL:
        return "inline"
    try:
        with celery_app.connection_for_read(settings.CELERY_BROKER_URL) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except (OSError, KombuError, CeleryError) as error:
        # The class name only: the broker URL may hold a password.
        return f"error: {type(error).__name__}"
    return "ok"


@login_not_required
@never_cache
@require_GET
def healthz(request):
    status = {"database": _database_status(), "broker": _broker_status()}
    return JsonResponse(status, status=200 if status["database"] == "ok" else 503)


def render_error(request, status, title, message):
    """The error page, or for htmx only its message, retargeted to the message area."""
    context = {"status": status, "title": title, "message": message}
    if getattr(request, "htmx", False):
        response = render(request, "error.html#error-message", context, status=status)
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "error.html", context, status=status)


def permission_denied(request, exception=None):
    return render_error(request, 403, _("Not allowed"), _("You do not have permission to do that."))


def page_not_found(request, exception=None):
    return render_error(
        request,
        404,
        _("Page not found"),
        _("There is nothing here, or it is not shared with you."),
    )


def csrf_failure(request, reason=""):
    return render_error(
        request,
        403,
        _("Your session has expired"),
        _(
            "The page was open too long or you signed in elsewhere. "
            "Reload the page and try again; nothing was saved."
        ),
    )


def server_error(request):
    # Rendered without a request context: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
