"""Forms of the views on the ranking: the dashboard, exports, comparisons and snapshots.

The dashboard's form is a GET form whose values also travel to exports (as a job's
query) and to the compare page, so a view can be shared, exported or compared as shown.
"""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from portfolio.forms import ProjectFilterForm
from scoring.charts import COLOUR_NAMES, SIZE_NAMES
from scoring.models import Quadrant, ReportJob, ScoringProfile, Snapshot

NOW = "now"  # a snapshot comparison's "newer" side: today's ranking


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


class SnapshotForm(forms.Form):
    """Name the ranking to freeze; the profile is the one the page shows."""

    name = forms.CharField(
        label=_("Snapshot name"),
        max_length=100,
        help_text=_("For example “2027 Q1 planning”."),
    )
    profile = forms.CharField(widget=forms.HiddenInput, required=False)


class SnapshotCompareForm(forms.Form):
    """Pick two rankings: an older snapshot, and a newer one or today's ranking."""

    old = forms.ChoiceField(label=_("Compare snapshot"))
    new = forms.ChoiceField(label=_("with"))

    def __init__(self, *args, snapshots, **kwargs):
        super().__init__(*args, **kwargs)
        self.snapshots = {str(snapshot.pk): snapshot for snapshot in snapshots}
        choices = [(pk, snapshot_label(snapshot)) for pk, snapshot in self.snapshots.items()]
        self.fields["old"].choices = choices
        self.fields["new"].choices = [(NOW, _("Now: today's ranking")), *choices]

    def clean_old(self):
        return self.snapshots[self.cleaned_data["old"]]

    def clean_new(self):
        """The newer snapshot, or None for today's ranking."""
        return self.snapshots.get(self.cleaned_data["new"])
