"""The project page, and the sections of it that the team's leads edit in place.

Every section (lifecycle, questions, metrics, baselines) is a partial of the one page
template, served at its own URL: GET shows it (the whole page without htmx), POST
changes it. A change answers htmx with the section it changed plus, out of band, what
else it touched (the audit trail, the header, the messages); a plain form post redirects
back to the page (POST/redirect/GET). Invalid input comes back as the section with its
errors next to the fields and the input kept (422).
"""

from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portfolio import access, charts, selectors, services
from portfolio.forms import AnswerForm, BaselineForm, MetricForm, RatingForm, StageForm
from portfolio.lifecycle import STAGE_ORDER, Stage, is_loop_back, typical_reasons
from portfolio.questions import ARCHETYPE_HINTS
from portfolio.views.partials import render_page
from scoring import selectors as scoring
from scoring.models import ScoringProfile

TEMPLATE = "portfolio/project_detail.html"
NEW = "new"


@require_GET
def project_detail(request, key):
    project = access.get_project_for_user(request.user, key)
    return _render(request, project)


@require_http_methods(["GET", "POST"])
def project_stage(request, key):
    """GET shows the lifecycle (?to_stage=…&reason=… pre-fill the form); POST moves."""
    if request.method == "GET":
        project = access.get_project_for_user(request.user, key)
        initial = {
            name: request.GET[name] for name in ("to_stage", "reason") if name in request.GET
        }
        form = StageForm(project=project, initial=initial)
        if "reason" in initial:
            # A suggestion was picked: the cursor goes where the user goes on writing.
            form.fields["reason"].widget.attrs["autofocus"] = True
        return _render(request, project, partial="lifecycle", stage_form=form)
    project = access.get_project_for_lead(request.user, key)
    form = StageForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.move_stage(
                project=project,
                user=request.user,
                to_stage=form.cleaned_data["to_stage"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except services.ConflictError as conflict:
            return _stage_conflict(request, project, form, conflict)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            project.refresh_from_db()
            message = _("Moved to “%(stage)s”.") % {"stage": project.get_stage_display()}
            return _saved(request, project, "lifecycle", message)
    return _render(request, project, partial="lifecycle", stage_form=form, status=422)


def _stage_conflict(request, project, form, conflict):
    """Show what changed meanwhile; keep the user's input, on the current version."""
    project.refresh_from_db()
    kept = {name: form.cleaned_data[name] for name in ("to_stage", "reason")}
    response = _render(
        request,
        project,
        partial="lifecycle-saved",
        stage_form=StageForm(project=project, initial=kept),
        conflict_changes=conflict.changes,
        status=409,
    )
    if request.htmx:
        # Aimed explicitly, so our htmx glue swaps it rather than showing a generic error.
        response["HX-Retarget"] = "#lifecycle"
        response["HX-Reswap"] = "outerHTML"
    return response


@require_http_methods(["GET", "POST"])
def project_questions(request, key):
    if request.method == "GET":
        project = access.get_project_for_user(request.user, key)
        return _render(request, project, partial="questions")
    project = access.get_project_for_lead(request.user, key)
    answers = {answer.question: answer for answer in project.answers.all()}
    # A question the form did not show (the archetype changed since it was loaded) is
    # left as it is, rather than refused as unanswered.
    forms = {
        question: AnswerForm(
            request.POST if f"{question}-value" in request.POST else None,
            prefix=question,
            instance=answers.get(question),
        )
        for question, _text in project.questions()
    }
    posted = {question: form for question, form in forms.items() if form.is_bound}
    if not all(form.is_valid() for form in posted.values()):
        return _render(request, project, partial="questions", answer_forms=forms, status=422)
    for question, form in posted.items():
        if form.has_changed():
            services.answer_question(
                project=project, user=request.user, question=question, **form.cleaned_data
            )
    return _saved(request, project, "questions", _("Answers saved."))


@dataclass(frozen=True)
class RowsSection:
    """A section of rows a lead adds, edits in place and deletes: metrics or baselines."""

    name: str  # the section (partial and anchor), also the project's related name
    item: str  # one row's name in form prefixes and context names
    form: type
    save: Callable  # services.save_*(project=, user=, <item>=None, **fields)
    delete: Callable  # services.delete_*(<item>=, user=)
    added: str
    saved: str
    deleted: str  # may name the row: %(name)s

    def get(self, project, pk):
        return get_object_or_404(getattr(project, self.name), pk=pk)


METRICS = RowsSection(
    name="metrics",
    item="metric",
    form=MetricForm,
    save=services.save_metric,
    delete=services.delete_metric,
    added=gettext_lazy("Metric added."),
    saved=gettext_lazy("Metric saved."),
    deleted=gettext_lazy("Metric “%(name)s” deleted."),
)
BASELINES = RowsSection(
    name="baselines",
    item="baseline",
    form=BaselineForm,
    save=services.save_baseline,
    delete=services.delete_baseline,
    added=gettext_lazy("Baseline added."),
    saved=gettext_lazy("Baseline saved."),
    deleted=gettext_lazy("Baseline deleted."),
)


@require_http_methods(["GET", "POST"])
def project_rows(request, key, section):
    """GET shows the section's rows; POST adds one."""
    if request.method == "GET":
        project = access.get_project_for_user(request.user, key)
        return _render(request, project, partial=section.name)
    project = access.get_project_for_lead(request.user, key)
    form = section.form(request.POST, project=project, prefix=f"{section.item}-{NEW}")
    if not form.is_valid():
        given = {f"{section.item}_form": form}
        return _render(request, project, partial=section.name, status=422, **given)
    section.save(project=project, user=request.user, **form.cleaned_data)
    return _saved(request, project, section.name, str(section.added))


@require_http_methods(["GET", "POST"])
def project_row(request, key, pk, section):
    """GET shows the section with this row as a form; POST saves it."""
    project = access.get_project_for_lead(request.user, key)
    row = section.get(project, pk)
    data = request.POST if request.method == "POST" else None
    # The form writes the input onto its instance; the service audits from the saved one.
    form = section.form(data, instance=copy(row), project=project, prefix=f"{section.item}-{pk}")
    if form.is_bound and form.is_valid():
        fields = {section.item: row, **form.cleaned_data}
        section.save(project=project, user=request.user, **fields)
        return _saved(request, project, section.name, str(section.saved))
    status = 422 if form.is_bound else 200
    given = {f"{section.item}_edit_form": form}
    return _render(request, project, partial=section.name, status=status, **given)


@require_POST
def project_row_delete(request, key, pk, section):
    project = access.get_project_for_lead(request.user, key)
    row = section.get(project, pk)
    section.delete(**{section.item: row, "user": request.user})
    return _saved(request, project, section.name, section.deleted % {"name": row})


@require_http_methods(["GET", "POST"])
def project_ratings(request, key):
    """GET shows the scores and the user's rating form; POST saves the user's ratings."""
    project = access.get_project_for_user(request.user, key)
    if request.method == "GET":
        return _render(request, project, partial="scores")
    if not access.can_rate_project(request.user, project):
        raise PermissionDenied
    profile = _profile(request)
    card = scoring.project_scorecard(project, request.user, profile)
    form = RatingForm(request.POST, criteria=card.criteria, own=card.own)
    if not form.is_valid():
        return _render(request, project, partial="scores", rating_form=form, status=422)
    for criterion, score, note in form.given_ratings():
        services.rate_project(
            project=project, rater=request.user, criterion=criterion, score=score, note=note
        )
    return _saved(request, project, "scores", _("Your ratings are saved."))


@require_POST
def project_ratings_reveal(request, key):
    """A manager ends a blind rating round: everyone sees everyone's ratings."""
    project = access.get_project_for_user(request.user, key)
    if not access.is_manager(request.user):
        raise PermissionDenied
    services.reveal_ratings(project=project, user=request.user)
    return _saved(request, project, "scores", _("Ratings are revealed to everyone."))


def _profile(request):
    return scoring.profile_named(request.POST.get("profile") or request.GET.get("profile"))


def _saved(request, project, section, message):
    """After a change: back to the page at `section`, or for htmx the sections it touched."""
    messages.success(request, message)
    if not request.htmx:
        profile = request.POST.get("profile")
        query = f"?{urlencode({'profile': profile})}" if profile else ""
        return redirect(f"{project.get_absolute_url()}{query}#{section}")
    return _render(request, project, partial=f"{section}-saved")


def _render(request, project, *, partial=None, status=200, conflict_changes=None, **given):
    """The page, or its `partial`. Leads get each section's form: as `given`, or fresh."""
    card = scoring.project_scorecard(project, request.user, _profile(request))
    page = selectors.project_page(
        project,
        criteria=card.criteria,
        hide_others_ratings_from=None if card.sees_others else request.user,
    )
    can_edit = access.can_edit_project(request.user, project)
    can_rate = access.can_rate_project(request.user, project)
    forms = (_fresh_forms(project, page) | given) if can_edit else {}
    answer_forms = forms.get("answer_forms", {})
    context = {
        "project": project,
        "page": page,
        "can_edit": can_edit,
        "archetype_hint": ARCHETYPE_HINTS.get(project.archetype, ""),
        "stages": [
            {"value": value, "label": label, "state": _step_state(project, value)}
            for value, label in Stage.choices
        ],
        "question_groups": [
            {
                "title": _("Key questions: %(archetype)s")
                % {"archetype": project.get_archetype_display()},
                "questions": _question_rows(page.key_questions, answer_forms),
            },
            {
                "title": _("Feasibility checklist"),
                "questions": _question_rows(page.checklist, answer_forms),
            },
        ],
        "charts": charts.baseline_charts(page.metrics, page.baselines),
        "card": card,
        "profiles": ScoringProfile.objects.all(),
        "can_rate": can_rate,
        "is_manager": access.is_manager(request.user),
        "rating_form": given.get("rating_form")
        or (RatingForm(criteria=card.criteria, own=card.own) if can_rate else None),
        "conflict_changes": [
            selectors.describe_audit_entry(entry) for entry in conflict_changes or []
        ],
        **forms,
    }
    if can_edit:
        chosen = forms["stage_form"]["to_stage"].value()
        context["reason_suggestions"] = _reason_suggestions(project, chosen)
    return render_page(request, TEMPLATE, context, partial=partial, status=status)


def _question_rows(questions, answer_forms):
    return [
        {"key": key, "text": text, "answer": answer, "form": answer_forms.get(key)}
        for key, text, answer in questions
    ]


def _fresh_forms(project, page):
    return {
        "stage_form": StageForm(project=project),
        "answer_forms": {
            key: AnswerForm(prefix=key, instance=answer) for key, _text, answer in page.questions
        },
        "metric_form": MetricForm(project=project, prefix=f"metric-{NEW}"),
        "baseline_form": BaselineForm(project=project, prefix=f"baseline-{NEW}"),
        "metric_edit_form": None,
        "baseline_edit_form": None,
    }


def _step_state(project, stage):
    position, current = STAGE_ORDER[stage], STAGE_ORDER[project.stage]
    if position < current:
        return "done"
    return "current" if position == current else "todo"


def _reason_suggestions(project, to_stage):
    """The lecture's typical reasons for moving back: to the chosen stage, or to any.

    Offered as links that fill in the form, so they work without JavaScript.
    """
    if to_stage in Stage.values and is_loop_back(project.stage, to_stage):
        targets = [to_stage]
    else:
        targets = [stage for stage in Stage.values if is_loop_back(project.stage, stage)]
    return [
        {
            "stage": stage,
            "label": Stage(stage).label,
            "reasons": typical_reasons(project.stage, stage),
        }
        for stage in targets
        if typical_reasons(project.stage, stage)
    ]
