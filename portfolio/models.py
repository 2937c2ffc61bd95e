"""Teams, their members and roles; ML project proposals and what is recorded about them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portfolio.lifecycle import Stage, is_loop_back
from portfolio.questions import CHECKLIST, QUESTION_TEXT, Archetype, key_questions

MANAGERS_GROUP = "Managers"


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Team lead")
        MEMBER = "member", _("Member")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)

    class Meta:
        ordering = ["team__name", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team"),
            models.CheckConstraint(
                condition=models.Q(role__in=["lead", "member"]), name="membership_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.team} ({self.get_role_display()})"


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")


class MetricRole(models.TextChoices):
    OPTIMIZING = "optimizing", _("Optimizing")
    SATISFICING = "satisficing", _("Satisficing")


class MetricDirection(models.TextChoices):
    AT_MOST = "le", _("≤ (lower is better)")
    AT_LEAST = "ge", _("≥ (higher is better)")


class BaselineKind(models.TextChoices):
    PUBLISHED = "published", _("Published result")
    REQUIREMENT = "requirement", _("Business / engineering requirement")
    RULE_BASED = "rule_based", _("Scripted / rule-based")
    SIMPLE_ML = "simple_ml", _("Simple ML")
    RANDOM_PEOPLE = "random_people", _("Human: random people")
    RANDOM_ENSEMBLE = "random_ensemble", _("Human: ensemble of random people")
    DOMAIN_EXPERTS = "domain_experts", _("Human: domain experts")
    DEEP_EXPERTS = "deep_experts", _("Human: deep domain experts")
    MIXTURE_OF_EXPERTS = "expert_mixture", _("Human: mixture of experts")


class Project(models.Model):
    """An ML project proposal, and later the project it became."""

    Archetype = Archetype
    Stage = Stage
    Status = Status

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("A short, stable identifier, e.g. churn-model. It never changes."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("problem statement"),
        blank=True,
        help_text=_("What problem does it solve, for whom, and how will we know it works?"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="projects", verbose_name=_("team")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_projects",
        verbose_name=_("owner"),
    )
    archetype = models.CharField(_("archetype"), max_length=10, choices=Archetype)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage, default=Stage.PLANNING)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    effort_weeks = models.FloatField(
        _("effort (person-weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expected_value = models.FloatField(
        _("expected annual value"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    success_likelihood = models.FloatField(
        _("likelihood of success"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Plan probabilistically: how likely is this to work?"),
    )
    blind_rating = models.BooleanField(
        _("blind rating"),
        default=False,
        help_text=_("Raters see the others' ratings only after submitting their own."),
    )
    ratings_revealed = models.BooleanField(_("ratings revealed"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(archetype__in=Archetype.values), name="project_archetype_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="project_stage_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values),
                name="project_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(effort_weeks__isnull=True) | models.Q(effort_weeks__gte=0),
                name="project_effort_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(expected_value__isnull=True) | models.Q(expected_value__gte=0),
                name="project_value_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(success_likelihood__isnull=True)
                | models.Q(success_likelihood__gte=0, success_likelihood__lte=1),
                name="project_likelihood_is_a_probability",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("project", kwargs={"key": self.key})

    def questions(self):
        """The questions this project answers: its archetype's, then the checklist."""
        return [*key_questions(self.archetype), *CHECKLIST]


class Answer(models.Model):
    """The answer to one archetype key question or checklist item."""

    class Value(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNKNOWN = "unknown", _("Unknown")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=40)
    value = models.CharField(_("answer"), max_length=8, choices=Value, default=Value.UNKNOWN)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["project", "question"]
        constraints = [
            models.UniqueConstraint(fields=["project", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=models.Q(value__in=["yes", "no", "unknown"]), name="answer_value_valid"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"

    @property
    def text(self):
        return QUESTION_TEXT.get(self.question, self.question)


class StageTransition(models.Model):
    """One move through the lifecycle; a move back must say why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage, blank=True)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_stage=models.F("to_stage")),
                name="transition_changes_stage",
            ),
        ]

    def __str__(self):
        return f"{self.project}: {self.from_stage or '∅'} → {self.to_stage}"

    @property
    def is_loop_back(self):
        return is_loop_back(self.from_stage, self.to_stage)


class Metric(models.Model):
    """A metric: the one being optimized, or a satisficing one with a threshold to meet."""

    Role = MetricRole
    Direction = MetricDirection

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.SATISFICING)
    direction = models.CharField(_("direction"), max_length=2, choices=Direction)
    threshold = models.FloatField(_("threshold / target"))
    current = models.FloatField(_("current value"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)

    class Meta:
        ordering = ["project", "-role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(role=MetricRole.OPTIMIZING),
                name="one_optimizing_metric_per_project",
            ),
            models.UniqueConstraint(fields=["project", "name"], name="metric_name_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=MetricRole.values),
                name="metric_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=MetricDirection.values),
                name="metric_direction_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_met(self):
        """Whether the current value meets the threshold; None while unmeasured."""
        if self.current is None:
            return None
        if self.direction == self.Direction.AT_MOST:
            return self.current <= self.threshold
        return self.current >= self.threshold

    @property
    def direction_symbol(self):
        return "≤" if self.direction == self.Direction.AT_MOST else "≥"


class Baseline(models.Model):
    """A lower bound on performance to compare the model with (DOMAIN §5)."""

    Kind = BaselineKind

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    metric = models.ForeignKey(
        Metric,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="baselines",
        verbose_name=_("metric"),
    )
    value = models.FloatField(_("value"))
    source = models.CharField(
        _("source"), max_length=500, blank=True, help_text=_("A citation or a link.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["project", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=BaselineKind.values),
                name="baseline_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def source_url(self):
        """The source as a link, only when it is a plain http(s) URL."""
        if self.source.startswith(("https://", "http://")) and " " not in self.source:
            return self.source
        return None


class Rating(models.Model):
    """One rater's 1–5 score of one criterion for one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings"
    )
    criterion = models.ForeignKey(
        "scoring.Criterion", on_delete=models.CASCADE, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["project", "criterion", "rater"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "rater", "criterion"], name="one_rating_per_rater_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.criterion} · {self.rater}: {self.score}"


class AuditEntry(models.Model):
    """Who changed which field or rating of a project, when, from what to what."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="audit_entries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(
        help_text="The project version this change produced.", null=True
    )
    field = models.CharField(max_length=100)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["project", "-at"])]

    def __str__(self):
        return f"{self.project}: {self.field} {self.old!r} → {self.new!r}"
