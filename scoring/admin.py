"""Admin for the rubric, scoring profiles and snapshots.

Managers normally edit the rubric and profiles on their own pages; the admin is the
fallback. Snapshots are a record of the past, so they are read-only here.
"""

from django.contrib import admin

from scoring.models import Criterion, ProfileWeight, ScoringProfile, Snapshot, SnapshotEntry


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "dimension", "weight", "higher_is_better", "position"]
    list_filter = ["dimension", "higher_is_better"]
    search_fields = ["key", "name"]
    ordering = ["-dimension", "position", "key"]


class ProfileWeightInline(admin.TabularInline):
    model = ProfileWeight
    extra = 0
    autocomplete_fields = ["criterion"]


@admin.register(ScoringProfile)
class ScoringProfileAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "is_default",
        "impact_threshold",
        "feasibility_threshold",
        "aggregation",
        "top_k",
    ]
    search_fields = ["name"]
    inlines = [ProfileWeightInline]


class SnapshotEntryInline(admin.TabularInline):
    model = SnapshotEntry
    fields = ["rank", "title", "team_name", "impact", "feasibility", "priority", "quadrant"]
    readonly_fields = fields
    ordering = ["rank", "title"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["name", "profile_name", "created_by", "created_at"]
    search_fields = ["name", "profile_name"]
    readonly_fields = [
        "name",
        "profile_name",
        "impact_threshold",
        "feasibility_threshold",
        "created_by",
        "created_at",
    ]
    inlines = [SnapshotEntryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
