"""The rubric, scoring profiles and snapshots of a ranking.

Ratings themselves are stored with the projects (portfolio.Rating); everything here
says how ratings become scores, or freezes the scores of a moment.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring import engine


class Dimension(models.TextChoices):
    IMPACT = engine.IMPACT, _("Impact")
    FEASIBILITY = engine.FEASIBILITY, _("Feasibility")


class Quadrant(models.TextChoices):
    DO_FIRST = engine.DO_FIRST, _("Do first")
    BIG_BET = engine.BIG_BET, _("Big bet")
    FILL_IN = engine.FILL_IN, _("Fill-in")
    DEPRIORITIZE = engine.DEPRIORITIZE, _("Deprioritize")


def quadrant_label(value):
    """A quadrant's label, or "" for a project without one (unranked)."""
    return Quadrant(value).label if value else ""


class Aggregation(models.TextChoices):
    MEAN = engine.MEAN, _("Mean of the raters")
    MEDIAN = engine.MEDIAN, _("Median of the raters")


WEIGHT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(10)]


class Criterion(models.Model):
    """One driver of impact or feasibility that raters score from 1 to 5."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("what the rater judges"), blank=True)
    guidance_1 = models.CharField(_("guidance for 1"), max_length=300, blank=True)
    guidance_3 = models.CharField(_("guidance for 3"), max_length=300, blank=True)
    guidance_5 = models.CharField(_("guidance for 5"), max_length=300, blank=True)
    weight = models.FloatField(_("weight"), default=1, validators=WEIGHT_VALIDATORS)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["-dimension", "position", "key"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dimension__in=Dimension.values), name="criterion_dimension_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=10), name="criterion_weight_0_to_10"
            ),
        ]

    def __str__(self):
        return self.name

    def as_engine_criterion(self, weight=None):
        return engine.Criterion(
            key=self.key,
            dimension=self.dimension,
            weight=self.weight if weight is None else weight,
            higher_is_better=self.higher_is_better,
        )


class ScoringProfile(models.Model):
    """A named way of scoring: weights, thresholds, mean or median, and top K.

    The default profile uses the weights stored on the criteria; another profile may
    override some of them. Switching profile never changes a rating.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    impact_threshold = models.FloatField(
        _("impact threshold"), default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    feasibility_threshold = models.FloatField(
        _("feasibility threshold"),
        default=50,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    aggregation = models.CharField(
        _("combine raters by"), max_length=6, choices=Aggregation, default=Aggregation.MEAN
    )
    top_k = models.PositiveSmallIntegerField(
        _("top K"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How many projects count as the top of the ranking (labels, stability)."),
    )

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("scoring profile")
        verbose_name_plural = _("scoring profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_profile",
            ),
            models.CheckConstraint(
                condition=models.Q(aggregation__in=Aggregation.values),
                name="profile_aggregation_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def rules(self, weights=None):
        """The engine's rules for this profile; `weights` are its overrides by criterion key."""
        return engine.Rules(
            impact_threshold=self.impact_threshold,
            feasibility_threshold=self.feasibility_threshold,
            aggregation=self.aggregation,
            top_k=self.top_k,
            weights=weights or None,
        )


class ProfileWeight(models.Model):
    """A profile's own weight for one criterion, instead of the criterion's weight."""

    profile = models.ForeignKey(ScoringProfile, on_delete=models.CASCADE, related_name="weights")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField(_("weight"), validators=WEIGHT_VALIDATORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "criterion"], name="one_weight_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=10), name="profile_weight_0_to_10"
            ),
        ]

    def __str__(self):
        return f"{self.profile} · {self.criterion}: {self.weight:g}"


class Snapshot(models.Model):
    """The ranking frozen under a name, e.g. "2027 Q1 planning"."""

    name = models.CharField(_("name"), max_length=100)
    profile_name = models.CharField(_("profile"), max_length=100)
    impact_threshold = models.FloatField()
    feasibility_threshold = models.FloatField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("taken"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self):
        return self.name


class SnapshotEntry(models.Model):
    """One project's scores in a snapshot; kept even if the project is later deleted."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(
        "portfolio.Project", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    project_key = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    team_name = models.CharField(max_length=100)
    impact = models.FloatField(null=True)
    feasibility = models.FloatField(null=True)
    priority = models.FloatField(null=True)
    quadrant = models.CharField(max_length=12, choices=Quadrant, blank=True)
    rank = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["snapshot", "rank", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "project_key"], name="one_entry_per_project"
            )
        ]

    def __str__(self):
        return f"{self.snapshot} · {self.title}: {self.rank or '—'}"


class ReportJob(models.Model):
    """An export of the dashboard's view to a file, run in the background.

    The id is random, so a job's URLs cannot be guessed; even so only its owner (and
    admins) may see or download it. `query` is the dashboard view it exports, to run or
    run again exactly as asked; `filters` is that view described for the list of exports.
    """

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (the ranked table)")
        XLSX = "xlsx", _("Excel workbook (ranking, criteria, ratings, rubric)")
        PDF = "pdf", _("PDF report (matrix, ranking, one page per project)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    format = models.CharField(_("format"), max_length=4, choices=Format)
    briefs = models.BooleanField(_("one page per project"), default=True)
    query = models.JSONField(default=dict)
    filters = models.JSONField(default=list)
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    stage = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    file = models.CharField(max_length=200, blank=True)  # under MEDIA_ROOT, once done
    size = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True)  # last sign of life of a running job
    finished_at = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["user", "-created_at"], name="report_job_user_created")]

    def __str__(self):
        return f"{self.get_format_display()} · {self.user} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def active(self):
        return self.state in (self.State.QUEUED, self.State.RUNNING)
