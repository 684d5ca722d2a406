"""The post-incident review, its causal-factor chart, and the root-cause taxonomy."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from incidents.models import Incident, TimelineEvent
from postmortems.choices import FactorCategory, FactorKind, ReviewStatus
from services.models import Deployment, Service


class RootCauseClass(models.Model):
    """A class of failure (configuration change, capacity, …): the dimension recurrence is measured by."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "root-cause classes"

    def __str__(self):
        return self.name


class Review(TimeStampedModel):
    """The post-incident review of one incident: what happened, why, and what we learned."""

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="authored_reviews", blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="facilitated_reviews"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_reviews",
        help_text="Who is accountable for finishing and publishing the review.",
    )
    primary_class = models.ForeignKey(
        RootCauseClass, on_delete=models.PROTECT, null=True, blank=True, related_name="primary_reviews"
    )
    secondary_classes = models.ManyToManyField(RootCauseClass, related_name="secondary_reviews", blank=True)

    # Sections, all Markdown.
    summary = models.TextField(blank=True)
    impact = models.TextField(blank=True, help_text="Who and what was affected, how long, in words and numbers.")
    narrative = models.TextField(blank=True)
    detection = models.TextField(blank=True)
    response = models.TextField(blank=True)
    recovery = models.TextField(blank=True)
    went_well = models.TextField("what went well", blank=True)
    went_wrong = models.TextField("what went wrong", blank=True)
    got_lucky = models.TextField("where we got lucky", blank=True)
    surprises = models.TextField("why we were surprised", blank=True)
    lessons = models.TextField(blank=True)

    # Impact in numbers (optional), for insights.
    customers_affected = models.PositiveIntegerField(null=True, blank=True)
    requests_failed = models.PositiveBigIntegerField(null=True, blank=True)

    published_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Review of {self.incident}"


class CausalFactor(TimeStampedModel):
    """A node in the causal-factor chart: an event, a condition or a contributing factor."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(max_length=20, choices=FactorKind.choices, default=FactorKind.EVENT)
    category = models.CharField(max_length=20, choices=FactorCategory.choices, default=FactorCategory.TECHNICAL)
    description = models.TextField()
    is_symptom = models.BooleanField("symptom", default=False)
    is_root_cause = models.BooleanField("root cause", default=False)
    # Optional evidence.
    timeline_event = models.ForeignKey(
        TimelineEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deployment = models.ForeignKey(Deployment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description[:60]


class CausalLink(models.Model):
    """An edge of the causal-factor chart: `cause` led to `effect`, within one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="links")
    cause = models.ForeignKey(CausalFactor, on_delete=models.CASCADE, related_name="effects")
    effect = models.ForeignKey(CausalFactor, on_delete=models.CASCADE, related_name="causes")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cause", "effect"], name="causal_link_unique"),
            models.CheckConstraint(condition=~Q(cause=F("effect")), name="causal_link_not_self"),
        ]

    def __str__(self):
        return f"{self.cause_id} → {self.effect_id}"
