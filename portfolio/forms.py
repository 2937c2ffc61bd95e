"""Forms own validation; the services own the writes."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from portfolio import access, selectors
from portfolio.lifecycle import STAGE_ORDER, Stage, is_loop_back
from portfolio.models import Answer, Baseline, Metric, Project, Status
from portfolio.questions import Archetype


class PercentField(forms.FloatField):
    """Shows a probability (0–1) as a percentage (0–100) and reads it back."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=100, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, float):
            return round(value * 100, 6)
        return value

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else round(percent / 100, 8)


class ProjectForm(forms.ModelForm):
    success_likelihood = PercentField(
        label=_("Likelihood of success (%)"),
        required=False,
        help_text=_("Plan probabilistically: how likely is this to work, 0–100 %?"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "key",
            "title",
            "summary",
            "team",
            "owner",
            "archetype",
            "stage",
            "status",
            "effort_weeks",
            "expected_value",
            "success_likelihood",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            # The template explains the archetypes right under the select.
            "archetype": forms.Select(attrs={"aria-describedby": "archetype-hints"}),
        }
        error_messages = {"key": {"unique": _("A project with this key already exists.")}}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = access.teams_led_by(user)
        self.fields["team"].queryset = teams
        # The current owner stays a valid choice even after leaving the team, so an
        # unrelated edit is not blocked by it.
        owners = Q(memberships__team__in=teams) | Q(pk=self.instance.owner_id)
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(owners).distinct().order_by("first_name", "username")
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("The key is stable and cannot change.")
            del self.fields["stage"]
            # Without the version the edit was based on, a save could overwrite unseen changes.
            self.fields["version"].required = True
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]

    def project_fields(self):
        """Cleaned values of the project's own fields (not the version)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name != "version" and not self.fields[name].disabled
        }


class StageForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when moving back: what did the project learn?"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["to_stage"].choices = [
            ("", _("Choose a stage…")),
            *((value, label) for value, label in Stage.choices if value != project.stage),
        ]
        # The usual move is one stage forward; a move back is chosen deliberately.
        later = [value for value in Stage.values if STAGE_ORDER[value] > STAGE_ORDER[project.stage]]
        self.fields["to_stage"].initial = later[0] if later else ""
        self.fields["version"].initial = project.version

    def clean(self):
        cleaned = super().clean()
        to_stage = cleaned.get("to_stage")
        moving_back = to_stage and is_loop_back(self.project.stage, to_stage)
        if moving_back and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", _("Moving back to an earlier stage needs a reason: what did you learn?")
            )
        return cleaned


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["value", "note"]
        widgets = {
            "value": forms.RadioSelect,
            "note": forms.TextInput(attrs={"placeholder": _("Note (optional)")}),
        }


class MetricForm(forms.ModelForm):
    class Meta:
        model = Metric
        fields = ["name", "role", "direction", "threshold", "current", "unit"]

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        same = self.project.metrics.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(_("This project already has a metric with that name."))
        return name

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == Metric.Role.OPTIMIZING:
            other = (
                self.project.metrics.filter(role=Metric.Role.OPTIMIZING)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if other:
                raise forms.ValidationError(
                    _(
                        "“%(name)s” is already the optimizing metric. Optimize one number "
                        "and threshold the others (make this one satisficing, or change "
                        "“%(name)s” first)."
                    ),
                    params={"name": other.name},
                )
        return role


class BaselineForm(forms.ModelForm):
    class Meta:
        model = Baseline
        fields = ["kind", "metric", "value", "source", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = project.metrics.all()


class ProjectFilterForm(forms.Form):
    """The portfolio list's filters, search and sort, read from the query string.

    A value that does not validate is dropped, as if it had not been given: a stale or
    hand-edited link shows the list with that filter reset, never an error page.
    """

    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=_("All")
    )
    archetype = forms.ChoiceField(
        label=_("Archetype"), choices=[("", _("All")), *Archetype.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All")), *Stage.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Status.choices], required=False
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Title, key or problem statement")}),
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            (f"{direction}{key}", f"{direction}{key}")
            for key in selectors.PROJECT_LIST_SORT_KEYS
            for direction in ("", "-")
        ],
        widget=forms.HiddenInput,
    )

    FILTERS = ("team", "archetype", "stage", "status", "q")

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["team"].queryset = access.visible_teams(user)

    def filters(self):
        """The valid values, as keyword arguments of `selectors.project_list`."""
        if not self.is_valid():
            # Render the refused filters reset, not showing the refused values.
            self.data = self.data.copy()
            for name in self.errors:
                self.data.pop(name, None)
        cleaned = self.cleaned_data
        return {
            "team": cleaned.get("team"),
            "archetype": cleaned.get("archetype", ""),
            "stage": cleaned.get("stage", ""),
            "status": cleaned.get("status", ""),
            "search": cleaned.get("q", ""),
            "sort": cleaned.get("sort") or selectors.PROJECT_LIST_DEFAULT_SORT,
        }

    def is_filtered(self):
        return any(self.cleaned_data.get(name) for name in self.FILTERS)

    def query(self):
        """The valid values as a query string, for links that keep the filters and sort."""
        query = QueryDict(mutable=True)
        for name, value in self.cleaned_data.items():
            if value:
                query[name] = value.pk if name == "team" else value
        return query


SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]


class RatingForm(forms.Form):
    """One rater's scores for every criterion of the rubric, with optional notes.

    A criterion left without a score is simply not rated (yet); a note needs a score.
    """

    def __init__(self, *args, criteria, own, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            rating = own.get(criterion.pk)
            self.fields[f"score-{criterion.key}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=rating.score if rating else None,
            )
            self.fields[f"note-{criterion.key}"] = forms.CharField(
                label=_("Note on %(criterion)s") % {"criterion": criterion.name},
                required=False,
                max_length=1000,
                initial=rating.note if rating else "",
            )

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            note = cleaned.get(f"note-{criterion.key}")
            if note and cleaned.get(f"score-{criterion.key}") in (None, ""):
                self.add_error(f"score-{criterion.key}", _("Pick a score to go with the note."))
        return cleaned

    def rows(self):
        """(criterion, score field, note field) for the template, in rubric order."""
        return [
            (criterion, self[f"score-{criterion.key}"], self[f"note-{criterion.key}"])
            for criterion in self.criteria
        ]

    def given_ratings(self):
        """(criterion, score, note) for every criterion that got a score."""
        return [
            (criterion, score, self.cleaned_data[f"note-{criterion.key}"])
            for criterion in self.criteria
            if (score := self.cleaned_data.get(f"score-{criterion.key}")) not in (None, "")
        ]
