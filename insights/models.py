"""Rollup tables: recurrence and duration figures computed by workers, read by pages and the API.

Every row is computed twice over, once per *scope*: `public` counts only unrestricted incidents,
`all` counts every incident. A site admin (who may see every incident) reads `all`; everyone else
reads `public`, and the page says restricted incidents are left out. So no figure ever counts an
incident its reader may not see, and no figure says how many are hidden. Incidents marked
`exclude_from_metrics` are in neither scope.
"""

from django.db import models

from incidents.choices import Severity


class Scope(models.TextChoices):
    PUBLIC = "public", "Unrestricted incidents"
    ALL = "all", "All incidents"


def scope_for(user):
    """The rollup scope user may read: every incident for a site admin, unrestricted ones otherwise."""
    return Scope.ALL if user.is_superuser else Scope.PUBLIC


class Dimension(models.TextChoices):
    CLASS = "class", "Root-cause class"
    CLASS_TREE = "class_tree", "Root-cause class and its subclasses"
    SERVICE = "service", "Service"


class Window(models.TextChoices):
    DAYS_90 = "90d", "90 days"
    DAYS_365 = "365d", "365 days"
    ALL = "all", "All time"


WINDOW_DAYS = {Window.DAYS_90: 90, Window.DAYS_365: 365, Window.ALL: None}


class Measure(models.TextChoices):
    """The durations of an incident, each from one lifecycle moment to another."""

    DETECT = "detect", "Time to detect"  # started → detected
    ACKNOWLEDGE = "acknowledge", "Time to acknowledge"  # detected → acknowledged
    UNDERSTAND = "understand", "Time to understand"  # started → first moved to identified
    MITIGATE = "mitigate", "Time to mitigate"  # started → mitigated
    RESOLVE = "resolve", "Time to resolve"  # started → resolved


class RollupQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(scope=scope_for(user))


class MtbfRollup(models.Model):
    """MTBF of one root-cause class (or class tree, or service) over one window, with its counts and trend.

    The median and mean are null when there are fewer than three intervals (not enough data).
    """

    scope = models.CharField(max_length=10, choices=Scope.choices)
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    key = models.SlugField(max_length=100, help_text="The class's or service's slug.")
    name = models.CharField(max_length=100)
    window = models.CharField(max_length=10, choices=Window.choices)
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField()
    incident_count = models.PositiveIntegerField()
    interval_count = models.PositiveIntegerField()
    median_days = models.FloatField(null=True, blank=True)
    mean_days = models.FloatField(null=True, blank=True)
    previous_incident_count = models.PositiveIntegerField(null=True, blank=True)
    previous_median_days = models.FloatField(null=True, blank=True)
    trend = models.CharField(max_length=10, blank=True, help_text="better, worse, steady, or blank: unknown.")
    near_miss_count = models.PositiveIntegerField(default=0)
    game_day_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    objects = RollupQuerySet.as_manager()

    class Meta:
        ordering = ["dimension", "key", "window"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "dimension", "key", "window"], name="mtbf_rollup_unique"),
        ]

    def __str__(self):
        return f"MTBF {self.dimension} {self.key} {self.window} ({self.scope})"


class RepeatIncident(models.Model):
    """An incident of the same root-cause class on the same service within 90 days of the previous one."""

    scope = models.CharField(max_length=10, choices=Scope.choices)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    previous = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    root_cause_class = models.ForeignKey("postmortems.RootCauseClass", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")
    gap_days = models.FloatField()
    # The repeating incident's start, kept on the row: the list sorts and filters by it without joining incidents.
    started_at = models.DateTimeField()
    computed_at = models.DateTimeField()

    objects = RollupQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-incident_id", "service_id"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "incident", "service"], name="repeat_incident_unique"),
        ]
        indexes = [
            models.Index(fields=["scope", "root_cause_class"], name="repeat_scope_class"),
            models.Index(fields=["scope", "-started_at", "-incident", "service"], name="repeat_scope_newest"),
        ]

    def __str__(self):
        return f"INC-{self.incident_id} repeats INC-{self.previous_id} ({self.gap_days:.0f} d)"

    @property
    def within_30_days(self):
        return self.gap_days <= 30


class DurationRollup(models.Model):
    """Median, p90 and count of one duration for one team (or all: "") and severity (or all: "") in a quarter."""

    scope = models.CharField(max_length=10, choices=Scope.choices)
    team = models.SlugField(max_length=100, blank=True, help_text="A team's slug, or blank for all teams.")
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    quarter = models.CharField(max_length=6, help_text="e.g. 2026Q1, by when the incident started.")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    count = models.PositiveIntegerField()
    median_minutes = models.FloatField(null=True, blank=True)
    p90_minutes = models.FloatField(null=True, blank=True)
    mean_minutes = models.FloatField(null=True, blank=True)
    histogram = models.JSONField(default=list, help_text="Counts per bucket of insights.metrics.histogram.")
    computed_at = models.DateTimeField()

    objects = RollupQuerySet.as_manager()

    class Meta:
        ordering = ["quarter", "severity", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "team", "severity", "quarter", "measure"], name="duration_rollup_unique"
            ),
        ]

    def __str__(self):
        return f"{self.measure} {self.team or 'all'} {self.severity or 'all'} {self.quarter} ({self.scope})"


class UnplannedWorkRollup(models.Model):
    """Incidents and the responder effort their reviews recorded, for one team (or all: "") in a quarter."""

    scope = models.CharField(max_length=10, choices=Scope.choices)
    team = models.SlugField(max_length=100, blank=True)
    quarter = models.CharField(max_length=6)
    incident_count = models.PositiveIntegerField()
    reviews_with_effort = models.PositiveIntegerField(help_text="How many of those incidents' reviews record effort.")
    person_hours = models.FloatField()
    computed_at = models.DateTimeField()

    objects = RollupQuerySet.as_manager()

    class Meta:
        ordering = ["quarter", "team"]
        constraints = [
            models.UniqueConstraint(fields=["scope", "team", "quarter"], name="unplanned_work_rollup_unique"),
        ]

    def __str__(self):
        return f"Unplanned work {self.team or 'all'} {self.quarter} ({self.scope})"


class SLOStatus(models.Model):
    """An SLO's error budget and burn as last computed from its SLI reports (one row per SLO).

    SLOs are about a service's users, not about incidents: the row has no scope.
    """

    slo = models.OneToOneField("services.SLO", on_delete=models.CASCADE, related_name="status")
    good = models.PositiveBigIntegerField()
    total = models.PositiveBigIntegerField()
    report_count = models.PositiveIntegerField()
    budget_remaining = models.FloatField(null=True, blank=True, help_text="Fraction of the window's budget left.")
    burn_rate = models.FloatField(null=True, blank=True, help_text="Over the whole window; 1.0 spends it exactly.")
    rates = models.JSONField(default=dict, help_text="Burn rate per alert window, e.g. {'1h': 15.2}.")
    alerts = models.JSONField(default=list, help_text="The burn alerts firing, most urgent first.")
    burn_kind = models.CharField(max_length=10, blank=True, help_text="spike, creep, or blank: not burning.")
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The incident a fast burn opened.",
    )
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "SLO status"
        verbose_name_plural = "SLO statuses"
        ordering = ["slo__service__name", "slo__name"]

    def __str__(self):
        return f"{self.slo}: {self.budget_remaining}"
