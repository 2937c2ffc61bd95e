"""Forms own validation; the services own the writes."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from portfolio import access
from portfolio.lifecycle import Stage, is_loop_back
from portfolio.models import Answer, Baseline, Metric, Project


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
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        teams = access.teams_led_by(user)
        self.fields["team"].queryset = teams
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(memberships__team__in=teams).distinct()
        )
        self.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username
        if self.instance.pk:
            self.fields["key"].disabled = True
            self.fields["key"].help_text = _("The key is stable and cannot change.")
            del self.fields["stage"]
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
            (value, label) for value, label in Stage.choices if value != project.stage
        ]
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
