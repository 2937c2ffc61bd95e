"""The rubric: the criteria raters score, with guidance so that raters calibrate.

Everyone reads it; managers edit a criterion in place (htmx swaps its card) or add one.
Scores are computed from the ratings whenever they are shown, so a new weight or
direction moves every project's score at once, while the ratings stay as they were.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portfolio import access
from portfolio.views.partials import render_page
from scoring.forms import CriterionForm, NewCriterionForm
from scoring.models import Criterion, Dimension

TEMPLATE = "scoring/rubric.html"
# Every card's form has its own ids, so labels stay tied to their fields with many open.
NEW_AUTO_ID = "id_new_%s"


@require_GET
def rubric(request):
    return _render_rubric(request)


@require_GET
def criterion(request, key):
    """One criterion's card: where "Cancel" of an inline edit returns to."""
    found = get_object_or_404(Criterion, key=key)
    if request.htmx:
        return _render_card(request, found)
    return redirect(_anchor(found))


@require_http_methods(["GET", "POST"])
def criterion_edit(request, key):
    _require_manager(request.user)
    saved = get_object_or_404(Criterion, key=key)
    # Validation writes the input onto the instance; the card keeps showing the saved one.
    data = request.POST if request.method == "POST" else None
    form = CriterionForm(data, instance=copy.copy(saved), auto_id=f"id_{key}_%s")
    if form.is_bound and form.is_valid():
        saved = form.save()
        if request.htmx:
            return _render_card(request, saved)
        messages.success(request, _("Saved “%(name)s”.") % {"name": saved.name})
        return redirect(_anchor(saved))
    status = 422 if form.is_bound else 200
    if request.htmx:
        return _render_card(request, saved, form=form, status=status)
    return _render_rubric(request, editing=(saved, form), status=status)


@require_http_methods(["GET", "POST"])
def criterion_create(request):
    _require_manager(request.user)
    data = request.POST if request.method == "POST" else None
    form = NewCriterionForm(data, auto_id=NEW_AUTO_ID)
    if form.is_bound and form.is_valid():
        created = form.save()
        if request.htmx:
            return _render_rubric(request, created=created)
        messages.success(request, _("Added “%(name)s”.") % {"name": created.name})
        return redirect(_anchor(created))
    return _render_rubric(request, new_form=form, status=422 if form.is_bound else 200)


def _require_manager(user):
    if not access.is_manager(user):
        raise PermissionDenied


def _anchor(found):
    return f"{reverse('rubric')}#criterion-{found.key}"


def _render_card(request, found, *, form=None, status=200):
    context = {"criterion": found, "edit_form": form, "can_edit": True}
    return render_page(request, TEMPLATE, context, partial="criterion", status=status)


def _render_rubric(request, *, editing=None, new_form=None, created=None, status=200):
    """The whole rubric, or for htmx its criteria list (after adding one, or errors)."""
    editing_pk, edit_form = (editing[0].pk, editing[1]) if editing else (None, None)
    criteria = list(Criterion.objects.all())
    dimensions = [
        {
            "value": value,
            "label": label,
            "rows": [
                (c, edit_form if c.pk == editing_pk else None)
                for c in criteria
                if c.dimension == value
            ],
        }
        for value, label in Dimension.choices
    ]
    can_edit = access.is_manager(request.user)
    context = {
        "dimensions": dimensions,
        "can_edit": can_edit,
        "new_form": new_form or (NewCriterionForm(auto_id=NEW_AUTO_ID) if can_edit else None),
        "created": created,
    }
    return render_page(request, TEMPLATE, context, partial="criteria", status=status)
