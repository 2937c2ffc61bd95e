"""Forms own validation: the rubric's criteria, the scoring profiles, the dashboard's view."""

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portfolio.forms import ProjectFilterForm
from scoring.charts import COLOUR_NAMES, SIZE_NAMES
from scoring.models import (
    Criterion,
    ProfileWeight,
    Quadrant,
    ReportJob,
    ScoringProfile,
    Snapshot,
)


def _weight_field(**kwargs):
    return forms.FloatField(min_value=0, max_value=10, **kwargs)


class CriterionForm(forms.ModelForm):
    """A criterion's wording, weight and direction, as managers edit them on the rubric."""

    weight = _weight_field(
        label=_("Weight"),
        help_text=_("0–10, relative to the other criteria of its dimension; 0 leaves it out."),
    )
    higher_is_better = forms.TypedChoiceField(
        label=_("Direction"),
        choices=[
            (True, _("Higher is better: a 5 makes the project more attractive")),
            (False, _("Lower is better: a 5 makes the project less attractive")),
        ],
        coerce=lambda value: value == "True",
        initial=True,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Criterion
        fields = [
            "name",
            "description",
            "guidance_1",
            "guidance_3",
            "guidance_5",
            "weight",
            "higher_is_better",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class NewCriterionForm(CriterionForm):
    """A new criterion; its key and dimension are fixed once created."""

    class Meta(CriterionForm.Meta):
        fields = ["key", "dimension", *CriterionForm.Meta.fields]
        help_texts = {
            "key": _("A stable identifier for exports and imports, e.g. data_quality."),
        }
        error_messages = {"key": {"unique": _("A criterion with this key already exists.")}}

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key == "new":
            # rubric/new/ is the page for adding a criterion.
            raise forms.ValidationError(_("“new” is reserved; choose another key."))
        return key

    def save(self, commit=True):
        # New criteria go to the end of their dimension.
        last = Criterion.objects.filter(dimension=self.instance.dimension).aggregate(
            last=Max("position")
        )["last"]
        self.instance.position = 0 if last is None else last + 1
        return super().save(commit)


class ProfileForm(forms.ModelForm):
    """A scoring profile with its own weight for any criterion (blank: the criterion's)."""

    impact_threshold = forms.FloatField(
        label=_("Impact threshold"),
        min_value=0,
        max_value=100,
        help_text=_("0–100. An impact score equal to the threshold counts as high."),
    )
    feasibility_threshold = forms.FloatField(
        label=_("Feasibility threshold"),
        min_value=0,
        max_value=100,
        help_text=_("0–100. A feasibility score equal to the threshold counts as high."),
    )
    top_k = forms.IntegerField(
        label=_("Top K"),
        min_value=1,
        max_value=100,
        help_text=_("How many projects count as the top of the ranking (labels, stability)."),
    )

    class Meta:
        model = ScoringProfile
        fields = [
            "name",
            "description",
            "impact_threshold",
            "feasibility_threshold",
            "aggregation",
            "top_k",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"name": {"unique": _("A profile with this name already exists.")}}

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        overrides = {}
        if self.instance.pk:
            overrides = {
                weight.criterion_id: weight.weight for weight in self.instance.weights.all()
            }
        for criterion in self.criteria:
            self.fields[self.weight_field_name(criterion)] = _weight_field(
                label=criterion.name,
                required=False,
                initial=overrides.get(criterion.pk),
                widget=forms.NumberInput(attrs={"placeholder": f"{criterion.weight:g}"}),
            )

    @staticmethod
    def weight_field_name(criterion):
        return f"weight_{criterion.key}"

    def weight_rows(self):
        """(criterion, its weight field) for each criterion, in the rubric's order."""
        return [(criterion, self[self.weight_field_name(criterion)]) for criterion in self.criteria]

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        # Profiles are picked by name in links (?profile=), so "default" and "Default"
        # would be too easily confused.
        same = ScoringProfile.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(_("A profile with this name already exists."))
        return name

    @transaction.atomic
    def save(self, commit=True):
        """Save the profile and replace its weight overrides with the form's."""
        if not commit:
            raise ValueError("A profile's weights need the profile saved first.")
        profile = super().save()
        ProfileWeight.objects.filter(profile=profile).delete()
        ProfileWeight.objects.bulk_create(
            ProfileWeight(profile=profile, criterion=criterion, weight=weight)
            for criterion in self.criteria
            if (weight := self.cleaned_data.get(self.weight_field_name(criterion))) is not None
        )
        return profile


class DashboardForm(ProjectFilterForm):
    """What the dashboard shows: the list's filters plus quadrant, profile, chart and snapshot.

    Like the list's filters, a value that does not validate is dropped rather than shown
    as an error, so a stale shared link still opens a dashboard.
    """

    quadrant = forms.ChoiceField(
        label=_("Quadrant"), choices=[("", _("All")), *Quadrant.choices], required=False
    )
    profile = forms.ModelChoiceField(
        label=_("Scoring profile"),
        queryset=ScoringProfile.objects.all(),
        to_field_name="name",
        required=False,
        empty_label=None,
    )
    size = forms.ChoiceField(label=_("Bubble size"), choices=SIZE_NAMES.items(), required=False)
    colour = forms.ChoiceField(
        label=_("Bubble colour"), choices=COLOUR_NAMES.items(), required=False
    )
    spread = forms.ChoiceField(
        label=_("Error bars"),
        choices=[("shown", _("Rater spread")), ("hidden", _("None"))],
        required=False,
    )
    snapshot = forms.ModelChoiceField(
        label=_("Compare with snapshot"),
        queryset=Snapshot.objects.all(),
        required=False,
        empty_label=_("None"),
    )

    FILTERS = (*ProjectFilterForm.FILTERS, "quadrant")

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        self.fields["profile"].label_from_instance = _profile_label
        self.fields["snapshot"].label_from_instance = snapshot_label

    def view(self):
        """The valid choices of the view, defaults for the rest (the profile: None)."""
        filters = self.filters()  # drops what does not validate
        cleaned = self.cleaned_data
        return {
            "filters": filters,
            "quadrant": cleaned.get("quadrant", ""),
            "profile": cleaned.get("profile"),
            "size_by": cleaned.get("size") or "effort",
            "colour_by": cleaned.get("colour") or "archetype",
            "show_spread": cleaned.get("spread") != "hidden",
            "snapshot": cleaned.get("snapshot"),
        }

    def described(self):
        """(label, value) of each filter and choice in effect, e.g. for a report's cover."""
        self.view()  # validates, dropping what does not validate
        described = []
        for name in (*self.FILTERS, "profile", "snapshot"):
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ModelChoiceField):
                value = value.name
            elif isinstance(field, forms.ChoiceField):
                value = dict(field.choices)[value]
            described.append((str(field.label), str(value)))
        return described

    def query(self):
        """The valid, non-empty values as they came, to open the same view again later."""
        self.view()
        return {
            name: self.data[name]
            for name in self.fields
            if self.cleaned_data.get(name) not in (None, "") and name in self.data
        }


class ReportForm(forms.Form):
    """Which file to make of the dashboard view; the view itself comes as hidden fields."""

    format = forms.ChoiceField(
        label=_("Format"),
        choices=ReportJob.Format.choices,
        initial=ReportJob.Format.XLSX,
        widget=forms.RadioSelect,
    )
    briefs = forms.BooleanField(
        label=_("PDF: add a one-page brief per project"),
        required=False,
        initial=True,
        help_text=_(
            "Scores with each criterion's contribution, key questions, metrics, "
            "baselines, stage history and disagreement."
        ),
    )


def _profile_label(profile):
    if profile.is_default:
        return _("%(name)s (default)") % {"name": profile.name}
    return profile.name


def snapshot_label(snapshot):
    taken = formats.date_format(timezone.localtime(snapshot.created_at), "SHORT_DATE_FORMAT")
    return f"{snapshot.name} · {taken}"


class CompareForm(forms.Form):
    """The projects to compare side by side, chosen by key among those the user may see.

    Six columns is about what still fits beside one another; one project is not a
    comparison.
    """

    MIN_PROJECTS = 2
    MAX_PROJECTS = 6

    projects = forms.ModelMultipleChoiceField(
        label=_("Projects to compare"),
        queryset=None,
        to_field_name="key",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose from 2 to 6 projects."),
    )

    def __init__(self, data=None, *, projects):
        super().__init__(data)
        self.fields["projects"].queryset = projects

    def clean_projects(self):
        chosen = self.cleaned_data["projects"]
        if not self.MIN_PROJECTS <= len(chosen) <= self.MAX_PROJECTS:
            raise forms.ValidationError(
                _("Choose from %(min)d to %(max)d projects to compare; %(count)d chosen."),
                code="count",
                params={"min": self.MIN_PROJECTS, "max": self.MAX_PROJECTS, "count": len(chosen)},
            )
        return chosen
