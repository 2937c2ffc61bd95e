"""Scoring profiles: named sets of weights and thresholds that pages can switch between.

Everyone sees the list, so the profile switch on other pages means something to them;
managers create, edit, delete profiles and choose the default one.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portfolio import access
from portfolio.views.partials import render_page
from scoring import services
from scoring.forms import ProfileForm
from scoring.models import Criterion, ProfileWeight, ScoringProfile

LIST_TEMPLATE = "scoring/profile_list.html"
FORM_TEMPLATE = "scoring/profile_form.html"


@require_GET
def profile_list(request):
    return _render_list(request)


@require_http_methods(["GET", "POST"])
def profile_create(request):
    _require_manager(request.user)
    return _edit(request, ScoringProfile())


@require_http_methods(["GET", "POST"])
def profile_edit(request, pk):
    _require_manager(request.user)
    return _edit(request, get_object_or_404(ScoringProfile, pk=pk))


@require_POST
def profile_make_default(request, pk):
    _require_manager(request.user)
    profile = get_object_or_404(ScoringProfile, pk=pk)
    services.make_default(profile)
    notice = _("“%(name)s” is now the default profile.") % {"name": profile.name}
    return _done(request, notice)


@require_POST
def profile_delete(request, pk):
    _require_manager(request.user)
    profile = get_object_or_404(ScoringProfile, pk=pk)
    if profile.is_default:
        notice = _("The default profile cannot be deleted; make another one the default first.")
        return _done(request, notice, level=messages.ERROR)
    # Snapshots keep the profile's name as text, so nothing else refers to it.
    profile.delete()
    return _done(request, _("Deleted “%(name)s”.") % {"name": profile.name})


def _require_manager(user):
    if not access.is_manager(user):
        raise PermissionDenied


def _edit(request, profile):
    saved_name = profile.name
    criteria = Criterion.objects.all()
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=profile, criteria=criteria)
    if form.is_bound and form.is_valid():
        profile = form.save()
        messages.success(request, _("Saved “%(name)s”.") % {"name": profile.name})
        return redirect("profile_list")
    context = {"form": form, "profile": profile if profile.pk else None, "title": saved_name}
    return render_page(request, FORM_TEMPLATE, context, status=422 if form.is_bound else 200)


def _done(request, notice, *, level=messages.SUCCESS):
    """After a change from the list: htmx gets the list with the notice in it."""
    if request.htmx:
        tag = "error" if level == messages.ERROR else "success"
        return _render_list(request, notice={"text": notice, "tag": tag})
    messages.add_message(request, level, notice)
    return redirect("profile_list")


def _render_list(request, *, notice=None):
    weights = ProfileWeight.objects.select_related("criterion").order_by(
        "-criterion__dimension", "criterion__position", "criterion__key"
    )
    profiles = ScoringProfile.objects.prefetch_related(Prefetch("weights", queryset=weights))
    context = {
        "profiles": profiles,
        "can_edit": access.is_manager(request.user),
        "notice": notice,
    }
    return render_page(request, LIST_TEMPLATE, context, partial="profiles")
