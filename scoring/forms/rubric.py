"""Forms of the rubric and the scoring profiles: criteria, weights, thresholds."""

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from scoring.models import Criterion, ProfileWeight, ScoringProfile


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
