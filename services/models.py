"""The service catalog: services, what they depend on, what was deployed when, and their SLOs."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from core.markdown import MARKDOWN_MAX_LENGTH
from core.models import NamedQuerySet, TimeStampedModel
from core.validators import validate_plausible_moment
from services import burn
from services.choices import DependencyKind, DeploymentStatus, DeploymentStrategy, Tier


class ServiceQuerySet(NamedQuerySet):
    def with_counts(self):
        """Annotate how many services each depends on and how many depend on it."""
        return self.annotate(
            dependency_count=models.Count("dependencies", distinct=True),
            dependent_count=models.Count("dependents", distinct=True),
        )


class Service(TimeStampedModel):
    """A deployable system a team owns; incidents affect services."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="services")
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.TIER_2)
    description = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)
    links = models.JSONField(
        default=list, blank=True, help_text='Runbooks, dashboards, repos: [{"title": "…", "url": "https://…"}]'
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:service_detail", args=[self.slug])

    def clean(self):
        errors = []
        if not isinstance(self.links, list):
            raise ValidationError({"links": "Links must be a list of {title, url} objects."})
        for index, link in enumerate(self.links, start=1):
            if not isinstance(link, dict) or not str(link.get("url", "")).startswith(("https://", "http://")):
                errors.append(f"Link {index} needs a url starting with http:// or https://.")
            elif not str(link.get("title", "")).strip():
                errors.append(f"Link {index} needs a title.")
        if errors:
            raise ValidationError({"links": errors})


class Dependency(models.Model):
    """`service` calls or relies on `depends_on`: a failure of depends_on can surface in service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dependencies")
    depends_on = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="dependents")
    kind = models.CharField(max_length=20, choices=DependencyKind.choices, default=DependencyKind.SYNC)
    critical = models.BooleanField(default=False, help_text="The service cannot work without it.")

    class Meta:
        verbose_name_plural = "dependencies"
        ordering = ["service__name", "depends_on__name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "depends_on"], name="dependency_unique_pair"),
            models.CheckConstraint(condition=~Q(service=models.F("depends_on")), name="dependency_not_self"),
        ]

    def __str__(self):
        return f"{self.service} → {self.depends_on}"

    def clean(self):
        if self.service_id and self.service_id == self.depends_on_id:
            raise ValidationError({"depends_on": "A service cannot depend on itself."})


class DeploymentQuerySet(models.QuerySet):
    def recent(self, *, hours):
        """Deployments that started in the last `hours` hours."""
        return self.filter(started_at__gte=timezone.now() - timedelta(hours=hours))

    def search(self, text):
        return self.filter(
            Q(version__icontains=text)
            | Q(commit_sha__istartswith=text)
            | Q(service__name__icontains=text)
            | Q(config_version__icontains=text)
        )


class Deployment(models.Model):
    """One rollout of a service version to an environment, as reported by a pipeline or a person."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="deployments")
    version = models.CharField(max_length=100)
    environment = models.CharField(max_length=50, default="production")
    commit_sha = models.CharField(max_length=64, blank=True)
    config_version = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(validators=[validate_plausible_moment])
    finished_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible_moment])
    status = models.CharField(max_length=20, choices=DeploymentStatus.choices, default=DeploymentStatus.SUCCEEDED)
    strategy = models.CharField(max_length=20, choices=DeploymentStrategy.choices, default=DeploymentStrategy.GLOBAL)
    source = models.CharField(max_length=100, blank=True, help_text="Who reported it: a pipeline name, or 'manual'.")
    external_id = models.CharField(max_length=200, blank=True, help_text="The pipeline's own id for this rollout.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # Serves correlation: deployments of given services in a window before an incident.
            models.Index(fields=["service", "started_at"], name="deployment_service_started"),
            models.Index(fields=["started_at"], name="deployment_started"),
        ]
        constraints = [
            # Pipelines re-send events; (source, external_id) makes a repeat the same row.
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="deployment_unique_source_event",
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(finished_at__gte=models.F("started_at")),
                name="deployment_finished_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.service} {self.version} ({self.environment})"

    def get_absolute_url(self):
        return reverse("services:deployment_list") + f"?service={self.service.slug}"

    def clean(self):
        if self.finished_at and self.started_at and self.finished_at < self.started_at:
            raise ValidationError({"finished_at": "A deployment cannot finish before it started."})

    @property
    def duration(self):
        """How long the rollout took, or None while it is running."""
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at


class SLOQuerySet(models.QuerySet):
    def for_display(self):
        return self.select_related("service__team").order_by("service__name", "name")


class SLO(TimeStampedModel):
    """A service level objective: the share of a user journey's events that must be good over a rolling window."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="slos")
    name = models.SlugField(max_length=100, help_text="Unique within the service, e.g. checkout-availability.")
    user_journey = models.CharField(max_length=200, help_text="What the user is trying to do, in their words.")
    description = models.TextField(blank=True)
    objective_percent = models.DecimalField(
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("99.999"))],
        help_text="Share of good events, e.g. 99.9.",
    )
    window_days = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(1), MaxValueValidator(366)], help_text="The rolling window."
    )

    objects = SLOQuerySet.as_manager()

    class Meta:
        verbose_name = "SLO"
        ordering = ["service__name", "name"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="slo_unique_service_name")]

    def __str__(self):
        return f"{self.service.slug}/{self.name}"

    @property
    def window(self):
        return timedelta(days=self.window_days)

    def budget(self, *, now=None, reports=None):
        """The error budget over the window ending at now: a `Budget` with the counts behind it.

        reports: [(period_start, period_end, good, total)] if already loaded (else read from the database).
        """
        now = now or timezone.now()
        if reports is None:
            reports = list(
                self.reports.filter(period_end__gt=now - self.window, period_end__lte=now).values_list(
                    "period_start", "period_end", "good", "total"
                )
            )
        objective = float(self.objective_percent)
        inside = [report for report in reports if now - self.window < report[1] <= now]
        good, total = sum(r[2] for r in inside), sum(r[3] for r in inside)
        rates = burn.rates_by_window(inside, now=now, objective_percent=objective)
        return Budget(
            good=good,
            total=total,
            report_count=len(inside),
            remaining=burn.budget_remaining(good, total, objective),
            burn_rate=burn.burn_rate(good, total, objective),
            rates=rates,
            alerts=burn.burn_alerts(rates),
        )


@dataclass(frozen=True)
class Budget:
    """An SLO's error budget over its window: what is left, how fast it burns, which alerts fire."""

    good: int
    total: int
    report_count: int
    remaining: float | None
    burn_rate: float | None
    rates: dict
    alerts: list

    @property
    def fast_burn(self):
        """The first paging alert that fires (fast or medium), or None."""
        return next((alert for alert in self.alerts if alert.rule.severity == "page"), None)


class SLIReport(models.Model):
    """Good and total events of an SLO's indicator over one period, as a monitoring system reported them."""

    slo = models.ForeignKey(SLO, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    good = models.PositiveBigIntegerField()
    total = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "SLI report"
        ordering = ["-period_end", "-id"]
        indexes = [
            # Serves an SLO's budget: its reports ending inside the window.
            models.Index(fields=["slo", "period_end"], name="sli_report_slo_end"),
        ]
        constraints = [
            # A reporter re-sending the same period updates that row.
            models.UniqueConstraint(fields=["slo", "period_start", "period_end"], name="sli_report_unique_period"),
            models.CheckConstraint(condition=Q(good__lte=models.F("total")), name="sli_report_good_within_total"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="sli_report_period_forwards"
            ),
        ]

    def __str__(self):
        return f"{self.slo} {self.period_start:%Y-%m-%d %H:%M}–{self.period_end:%H:%M} {self.good}/{self.total}"

    def clean(self):
        errors = {}
        if self.good is not None and self.total is not None and self.good > self.total:
            errors["good"] = "Good events cannot outnumber all events."
        if self.period_start and self.period_end and self.period_end <= self.period_start:
            errors["period_end"] = "The period must end after it starts."
        if errors:
            raise ValidationError(errors)
