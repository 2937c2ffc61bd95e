"""Creating a project proposal and editing it, including when two people edit at once.

An edit is saved against the version the user started from. When someone else saved in
between, the form comes back with their changes listed and the current value next to
each field the user would overwrite; the user's input stays in the form and the hidden
version moves on, so saving again is a deliberate overwrite. Nothing is lost on either side.
"""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portfolio import access, services
from portfolio.forms import ProjectForm
from portfolio.models import Project
from portfolio.questions import ARCHETYPE_HINTS, Archetype
from portfolio.views.partials import render_page

TEMPLATE = "portfolio/project_form.html"


@require_http_methods(["GET", "POST"])
def project_create(request):
    if not access.teams_led_by(request.user).exists():
        # Nothing to hide here: the user simply leads no team to propose a project for.
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, user=request.user, initial={"owner": request.user.pk})
    if form.is_bound and form.is_valid():
        try:
            project = services.create_project(user=request.user, **form.project_fields())
        except services.KeyTaken as taken:
            form.add_error("key", taken.message)
        else:
            messages.success(request, _("Project created."))
            return redirect(project)
    context = {"form": form, "cancel_url": reverse("project_list")}
    return _render_form(request, context, status=422 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def project_edit(request, key):
    project = access.get_project_for_lead(request.user, key)
    # Validating the form writes the input onto the instance, so keep the saved title.
    context = {"project": project, "title": project.title, "cancel_url": project.get_absolute_url()}
    data = request.POST if request.method == "POST" else None
    form = ProjectForm(data, instance=project, user=request.user)
    if not form.is_bound:
        return _render_form(request, context | {"form": form})
    if not form.is_valid():
        return _render_form(request, context | {"form": form}, status=422)
    try:
        project = services.update_project(
            project=project,
            user=request.user,
            version=form.cleaned_data["version"],
            **form.project_fields(),
        )
    except services.ConflictError as conflict:
        current = _current_values(form, conflict.project)
        data = request.POST.copy()
        data["version"] = conflict.project.version
        form = ProjectForm(data, instance=project, user=request.user)
        context |= {
            "form": form,
            "title": conflict.project.title,
            "changes": [_describe_change(entry) for entry in conflict.changes],
        }
        return _render_form(request, context, current=current, status=409)
    messages.success(request, _("Saved."))
    return redirect(project)


def _render_form(request, context, *, current=None, status=200):
    form = context["form"]
    current = current or {}
    context["fields"] = [(field, current.get(field.name)) for field in form.visible_fields()]
    context["archetype_hints"] = [
        (Archetype(value).label, hint) for value, hint in ARCHETYPE_HINTS.items()
    ]
    return render_page(request, TEMPLATE, context, status=status)


def _current_values(form, project):
    """How each field the user's input would change reads now, keyed by field name."""
    current = {}
    for name, value in form.project_fields().items():
        now = getattr(project, name)
        if now == value:
            continue
        if name == "success_likelihood" and now is not None:
            current[name] = f"{now * 100:g} %"
        elif isinstance(now, float):
            current[name] = f"{now:.10g}"
        else:
            current[name] = services.display_value(project, name, now)
    return current


def _describe_change(entry):
    try:
        label = capfirst(Project._meta.get_field(entry.field).verbose_name)
    except FieldDoesNotExist:
        label = entry.field
    who = (entry.user.get_full_name() or entry.user.username) if entry.user else _("Someone")
    return {"who": who, "at": entry.at, "field": label, "old": entry.old, "new": entry.new}
