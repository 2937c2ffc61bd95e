"""Forms own validation: of the rubric and profiles, of the views on the ranking, of imports."""

from scoring.forms.imports import MAX_BYTES, XLSX_TYPE, ImportForm
from scoring.forms.ranking import (
    NOW,
    CompareForm,
    DashboardForm,
    ReportForm,
    SnapshotCompareForm,
    SnapshotForm,
    snapshot_label,
)
from scoring.forms.rubric import CriterionForm, NewCriterionForm, ProfileForm

__all__ = [
    "MAX_BYTES",
    "NOW",
    "XLSX_TYPE",
    "CompareForm",
    "CriterionForm",
    "DashboardForm",
    "ImportForm",
    "NewCriterionForm",
    "ProfileForm",
    "ReportForm",
    "SnapshotCompareForm",
    "SnapshotForm",
    "snapshot_label",
]
