"""The service catalog: services, what they depend on, and what was deployed when."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team
from core.markdown import MARKDOWN_MAX_LENGTH
from core.models import TimeStampedModel
from core.validators import validate_plausible_moment
from services.choices import DependencyKind, DeploymentStatus, DeploymentStrategy, Tier


class ServiceQuerySet(models.QuerySet):
    def search(self, text):
        """Services whose name, slug or description contains text (case-insensitive)."""
        return self.filter(Q(name__icontains=text) | Q(slug__icontains=text) | Q(description__icontains=text))

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
