"""Importing a portfolio file from the browser: upload, preview, confirm.

The file is a JSON portfolio document or a spreadsheet of proposals and ratings (CSV or
XLSX, read by `interchange.spreadsheet` into the same document). The uploaded file waits
on the server (under MEDIA_ROOT/imports/, named by a random token) and its token, kind
and digest wait in the uploader's session. The preview shows every problem with its place
(its row and column, for a spreadsheet), or what the import will create, update and leave
unchanged; the confirmation applies exactly the file that was previewed, all or nothing.
A confirmation from another session, for a token that is no longer waiting or for another
file, changes nothing. Managers download spreadsheet templates from the same page.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portfolio import access
from portfolio.views.partials import render_page
from scoring import interchange
from scoring.forms import XLSX_TYPE, ImportForm
from scoring.interchange import spreadsheet

TEMPLATE = "scoring/import.html"
SESSION_KEY = "portfolio_import"
SHOWN_PROBLEMS = 500
SHOWN_NAMES = 20
# An upload nobody confirmed is deleted after this long.
PENDING_LIFETIME = timedelta(days=1)
# The templates managers download: name → (content type, the file's bytes).
TEMPLATES = {
    "projects.csv": (
        "text/csv; charset=utf-8",
        lambda: spreadsheet.template_csv(spreadsheet.PROJECTS),
    ),
    "ratings.csv": (
        "text/csv; charset=utf-8",
        lambda: spreadsheet.template_csv(spreadsheet.RATINGS),
    ),
    "portfolio.xlsx": (XLSX_TYPE, spreadsheet.template_xlsx),
}


@require_http_methods(["GET", "POST"])
def portfolio_import(request):
    _require_manager(request.user)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        token = _keep_upload(request, form.cleaned_data["file"].name, form.data_bytes, form.kind)
        return redirect("portfolio_import_preview", token=token)
    status = 422 if form.is_bound else 200
    return render_page(request, TEMPLATE, {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def portfolio_import_preview(request, token):
    """GET: what importing the waiting file would do. POST: do it."""
    _require_manager(request.user)
    pending = _pending(request, token)
    if pending is None:
        messages.error(
            request,
            _("This upload is no longer waiting for confirmation. Upload the file again."),
        )
        return redirect("portfolio_import")
    with default_storage.open(_path(pending)) as stored:
        data = stored.read()
    if request.method == "POST":
        return _confirm(request, pending, data)
    try:
        summary = _read(pending, data).preview()
    except interchange.InvalidDocument as invalid:
        context = _preview_context(pending, problems=invalid.problems)
        return render_page(request, TEMPLATE, context, status=422)
    return render_page(request, TEMPLATE, _preview_context(pending, summary=summary))


def _confirm(request, pending, data):
    """Import the previewed file, and only that one: the form carries its digest."""
    if request.POST.get("digest") != pending["digest"] or _digest(data) != pending["digest"]:
        messages.error(request, _("This is not the file you previewed. Nothing was imported."))
        return redirect("portfolio_import_preview", token=pending["token"])
    try:
        summary = _read(pending, data).import_document(user=request.user)
    except interchange.InvalidDocument as invalid:
        # The database changed since the preview, e.g. a criterion was deleted.
        context = _preview_context(pending, problems=invalid.problems)
        return render_page(request, TEMPLATE, context, status=422)
    _forget_upload(request)
    messages.success(request, _describe(summary))
    return redirect("portfolio_import")


@require_http_methods(["GET"])
def portfolio_import_template(request, name):
    """A spreadsheet to fill in: the columns and one example row."""
    _require_manager(request.user)
    if name not in TEMPLATES:
        raise Http404
    content_type, build = TEMPLATES[name]
    response = HttpResponse(build(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="quadrant-{name}"'
    return response


class _JsonUpload:
    """A JSON upload, answering as a `spreadsheet.Spreadsheet` does."""

    def __init__(self, data):
        self.document = interchange.parse(data)

    def preview(self):
        return interchange.preview(self.document)

    def import_document(self, *, user):
        return interchange.import_document(self.document, user=user)


def _read(pending, data):
    kind = pending.get("kind", "json")
    return _JsonUpload(data) if kind == "json" else spreadsheet.read(kind, data)


def _require_manager(user):
    # Importing rewrites the whole portfolio: the page is no secret, the action is managers'.
    if not access.is_manager(user):
        raise PermissionDenied


def _keep_upload(request, name, data, kind):
    """Store the file under a new token for this session; returns the token."""
    _forget_upload(request)
    _delete_abandoned_uploads()
    pending = {
        "token": secrets.token_urlsafe(24),
        "name": name,
        "kind": kind,
        "digest": _digest(data),
        "user": request.user.pk,
    }
    default_storage.save(_path(pending), ContentFile(data))
    request.session[SESSION_KEY] = pending
    return pending["token"]


def _pending(request, token):
    """The session's waiting upload if it is the one of `token`, else None."""
    pending = request.session.get(SESSION_KEY)
    if (
        not pending
        or not secrets.compare_digest(pending["token"], token)
        or pending["user"] != request.user.pk
        or not default_storage.exists(_path(pending))
    ):
        return None
    return pending


def _forget_upload(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(_path(pending))


def _delete_abandoned_uploads():
    if not default_storage.exists("imports"):
        return
    too_old = timezone.now() - PENDING_LIFETIME
    for name in default_storage.listdir("imports")[1]:
        if default_storage.get_modified_time(f"imports/{name}") < too_old:
            default_storage.delete(f"imports/{name}")


def _path(pending):
    # Uploads kept before spreadsheets were read are JSON.
    return f"imports/{pending['token']}.{pending.get('kind', 'json')}"


def _digest(data):
    return hashlib.sha256(data).hexdigest()


def _preview_context(pending, *, summary=None, problems=()):
    return {
        "pending": pending,
        "spreadsheet": pending.get("kind", "json") != "json",
        "summary": summary,
        "counts": _counts(summary) if summary else [],
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
    }


def _counts(summary):
    """(what, how many, the first of their names, how many more) for each row of the preview."""
    rows = [
        (_("New projects"), summary.projects_created),
        (_("Projects updated"), summary.projects_updated),
        (_("Projects unchanged"), summary.projects_unchanged),
        (_("New teams"), summary.teams_created),
        (_("New users (inactive, without a password)"), summary.users_created),
        (_("New criteria"), summary.criteria_created),
        (_("Criteria updated"), summary.criteria_updated),
    ]
    return [
        (label, len(names), names[:SHOWN_NAMES], max(0, len(names) - SHOWN_NAMES))
        for label, names in rows
    ]


def _describe(summary):
    return _(
        "Imported: %(created)d projects created, %(updated)d updated, %(unchanged)d unchanged, "
        "%(teams)d new teams, %(users)d new users, %(ratings)d ratings."
    ) % {
        "created": len(summary.projects_created),
        "updated": len(summary.projects_updated),
        "unchanged": len(summary.projects_unchanged),
        "teams": len(summary.teams_created),
        "users": len(summary.users_created),
        "ratings": summary.ratings,
    }
