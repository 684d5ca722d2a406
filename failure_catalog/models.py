"""The failure catalog: known faults, evidence of how services behave under them, what they must withstand,
failure-mode analyses, and the record of what the deployment gate answered."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionItem
from core.models import NamedQuerySet, TimeStampedModel
from failure_catalog.choices import (
    ANALYSIS_MAX_AGE_DAYS,
    EVIDENCE_OUTCOMES,
    Decision,
    Environment,
    FaultCategory,
    GateCondition,
    IncidentLink,
    Outcome,
    PolicyEffect,
    RequirementOrigin,
    Source,
)
from incidents.models import Incident
from postmortems.models import CausalFactor, Review, RootCauseClass
from services.choices import Tier
from services.models import Service


class FaultType(models.Model):
    """A kind of fault a service can meet (instance loss, dependency latency, clock skew…) and how to inject it."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    category = models.CharField(max_length=20, choices=FaultCategory.choices)
    description = models.TextField(blank=True)
    how_to_inject = models.TextField(blank=True, help_text="Markdown: tools and commands that inject this fault.")
    root_cause_classes = models.ManyToManyField(
        RootCauseClass,
        related_name="fault_types",
        blank=True,
        help_text="Incidents of these classes call for evidence under this fault type.",
    )

    objects = NamedQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class TierPolicy(models.Model):
    """What every service of one tier must be verified against, and which gate conditions warn or block it."""

    tier = models.PositiveSmallIntegerField(choices=Tier.choices, unique=True)
    required_fault_types = models.ManyToManyField(FaultType, related_name="tier_policies", blank=True)
    max_evidence_age_days = models.PositiveIntegerField(
        default=90, validators=[MinValueValidator(1)], help_text="For the requirements this policy creates."
    )
    evidence_on_version = models.BooleanField(
        default=False, help_text="The requirements it creates need evidence on the version being deployed."
    )
    history_window_days = models.PositiveIntegerField(
        default=90,
        validators=[MinValueValidator(1)],
        help_text="Incidents of a class within this many days call for fresh evidence under its fault types.",
    )
    no_fresh_evidence = models.CharField(max_length=10, choices=PolicyEffect.choices, default=PolicyEffect.BLOCK)
    failing_experiment = models.CharField(max_length=10, choices=PolicyEffect.choices, default=PolicyEffect.BLOCK)
    version_evidence_missing = models.CharField(max_length=10, choices=PolicyEffect.choices, default=PolicyEffect.BLOCK)
    actions_overdue = models.CharField(max_length=10, choices=PolicyEffect.choices, default=PolicyEffect.WARN)
    suspect_incident = models.CharField(max_length=10, choices=PolicyEffect.choices, default=PolicyEffect.BLOCK)
    incident_history = models.CharField(max_length=10, choices=PolicyEffect.choices, default=PolicyEffect.WARN)

    class Meta:
        ordering = ["tier"]
        verbose_name_plural = "tier policies"

    def __str__(self):
        return f"Policy for {self.get_tier_display()}"

    def effect(self, condition):
        """Return the PolicyEffect this tier gives a gate condition."""
        return PolicyEffect(getattr(self, GateCondition(condition).value))

    @classmethod
    def for_tier(cls, tier):
        """Return the tier's policy, or an unsaved default one (block what a missing policy cannot vouch for)."""
        return cls.objects.filter(tier=tier).first() or cls(tier=tier)


class ResilienceRequirementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Requirements learned from no review, or from a review of an incident the user may see."""
        return self.filter(Q(review__isnull=True) | Q(review__in=Review.objects.visible_to(user).values("pk")))

    def for_display(self):
        return self.select_related(
            "service__team", "fault_type", "review__incident", "factor", "failure_mode_row__analysis", "created_by"
        )


class ResilienceRequirement(TimeStampedModel):
    """A service must be verified to behave as expected under a fault type, with evidence this fresh."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="resilience_requirements")
    fault_type = models.ForeignKey(FaultType, on_delete=models.PROTECT, related_name="requirements")
    expected_behaviour = models.TextField(help_text="In words: what users should see while the fault lasts.")
    max_evidence_age_days = models.PositiveIntegerField(default=90, validators=[MinValueValidator(1)])
    evidence_on_version = models.BooleanField(
        default=False, help_text="Evidence must come from the version being deployed."
    )
    origin = models.CharField(max_length=20, choices=RequirementOrigin.choices, default=RequirementOrigin.PERSON)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="resilience_requirements"
    )
    factor = models.ForeignKey(
        CausalFactor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resilience_requirements",
        help_text="The root-cause factor of the review this guardrail was learned from.",
    )
    failure_mode_row = models.ForeignKey(
        "FailureModeRow", on_delete=models.CASCADE, null=True, blank=True, related_name="requirements"
    )

    objects = ResilienceRequirementQuerySet.as_manager()

    class Meta:
        ordering = ["service__name", "fault_type__name", "id"]
        indexes = [models.Index(fields=["service", "fault_type"], name="requirement_service_fault")]
        constraints = [
            # A tier policy asks once per service and fault type; re-applying it must not duplicate.
            models.UniqueConstraint(
                fields=["service", "fault_type"],
                condition=Q(origin="tier_policy"),
                name="requirement_one_per_tier_policy_cell",
            ),
            models.UniqueConstraint(
                fields=["service", "fault_type", "review"],
                condition=Q(review__isnull=False),
                name="requirement_one_per_review_cell",
            ),
        ]

    def __str__(self):
        return f"{self.service} under {self.fault_type}"

    def clean(self):
        """The origin names where the requirement came from: a review origin needs its review, and so on."""
        errors = {}
        if self.origin == RequirementOrigin.REVIEW and not self.review_id:
            errors["review"] = "A requirement learned from a review needs that review."
        if self.origin != RequirementOrigin.REVIEW and (self.review_id or self.factor_id):
            errors["origin"] = "Only a requirement learned from a review links to a review or factor."
        if self.origin == RequirementOrigin.FAILURE_MODE and not self.failure_mode_row_id:
            errors["failure_mode_row"] = "A requirement from a failure-mode analysis needs its row."
        if self.factor_id and self.review_id and self.factor.review_id != self.review_id:
            errors["factor"] = "That factor belongs to another review."
        if (
            self.failure_mode_row_id
            and self.service_id
            and self.failure_mode_row.analysis.service_id != self.service_id
        ):
            errors["failure_mode_row"] = "That failure mode belongs to another service's analysis."
        if errors:
            raise ValidationError(errors)

    def origin_link(self):
        """Return (label, url) of where this requirement came from, or None for a person or a tier policy."""
        if self.review_id:
            return (f"Review of {self.review.reference}", self.review.get_absolute_url())
        if self.failure_mode_row_id:
            analysis = self.failure_mode_row.analysis
            return (f"Failure-mode analysis: {analysis.title}", analysis.get_absolute_url())
        return None


class ExperimentQuerySet(models.QuerySet):
    def evidence(self):
        """Experiments that say how the service behaved: held or deviated (not aborted or errored)."""
        return self.filter(outcome__in=EVIDENCE_OUTCOMES)

    def latest_evidence(self):
        """The latest held-or-deviated experiment of each service and fault type among these.

        A window function ranks each cell's experiments newest first; filtering on the rank keeps one row per cell.
        """
        ranked = self.evidence().annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("service_id"), F("fault_type_id")],
                order_by=[F("started_at").desc(), F("id").desc()],
            )
        )
        return ranked.filter(rank=1)

    def search(self, text):
        return self.filter(Q(title__icontains=text) | Q(hypothesis__icontains=text) | Q(version__icontains=text))


class Experiment(TimeStampedModel):
    """One hypothesis-driven run of a fault against a service, and how the service behaved."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="experiments")
    fault_type = models.ForeignKey(FaultType, on_delete=models.PROTECT, related_name="experiments")
    environment = models.CharField(max_length=20, choices=Environment.choices, default=Environment.STAGING)
    version = models.CharField(max_length=100, blank=True, help_text="The deployed version under test.")
    title = models.CharField(max_length=200)
    hypothesis = models.TextField(blank=True, help_text="The steady state expected to hold.")
    method = models.TextField(blank=True, help_text="How the fault was injected.")
    blast_radius = models.TextField(blank=True)
    abort_conditions = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, db_index=True)
    observations = models.TextField(blank=True, help_text="Markdown.")
    incidents = models.ManyToManyField(Incident, through="ExperimentIncident", related_name="experiments", blank=True)
    actions = models.ManyToManyField(ActionItem, related_name="experiments", blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    external_id = models.CharField(
        max_length=200, blank=True, help_text="Identifies an imported document, so importing it again changes nothing."
    )
    raw_document = models.TextField(blank=True, help_text="The imported document, as it was sent.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ExperimentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # Serves the latest evidence of each cell (coverage, gate).
            models.Index(fields=["service", "fault_type", "-started_at"], name="experiment_cell_latest"),
            # Serves the experiment list, newest first.
            models.Index(fields=["-started_at", "-id"], name="experiment_newest_first"),
            # Serves "evidence on this version" at the gate.
            models.Index(fields=["service", "version"], name="experiment_service_version"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], condition=~Q(external_id=""), name="experiment_unique_import"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="experiment_ended_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("failure_catalog:experiment_detail", args=[self.pk])

    def clean(self):
        if self.ended_at and self.started_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": "An experiment cannot end before it started."})

    @property
    def duration(self):
        """How long the run took, or None if it has no end."""
        return self.ended_at - self.started_at if self.ended_at else None

    def is_evidence(self):
        """Return True if the outcome says how the service behaved (held or deviated)."""
        return self.outcome in EVIDENCE_OUTCOMES


class ExperimentIncident(models.Model):
    """An incident an experiment caused or reproduced, or the game day it belonged to."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="incident_links")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="experiment_links")
    relation = models.CharField(max_length=20, choices=IncidentLink.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "incident", "relation"], name="experiment_incident_once")
        ]

    def __str__(self):
        return f"{self.experiment} {self.relation} {self.incident.reference}"


class FailureModeAnalysisQuerySet(models.QuerySet):
    def current(self, *, now=None):
        """Analyses no older than a year."""
        return self.filter(analysed_at__gte=(now or timezone.now()) - timedelta(days=ANALYSIS_MAX_AGE_DAYS))


class FailureModeAnalysis(TimeStampedModel):
    """A design review with a failure lens (FMEA) of one service: per dependency and fault, what fails and how badly."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="failure_mode_analyses")
    title = models.CharField(max_length=200, help_text="What was analysed: the design, change or release.")
    notes = models.TextField(blank=True, help_text="Markdown.")
    analysed_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FailureModeAnalysisQuerySet.as_manager()

    class Meta:
        ordering = ["-analysed_at", "-id"]
        verbose_name_plural = "failure-mode analyses"

    def __str__(self):
        return f"{self.service}: {self.title}"

    def get_absolute_url(self):
        return reverse("failure_catalog:analysis_detail", args=[self.pk])

    def is_old(self, *, now=None):
        """Return True if the analysis is more than a year old."""
        return self.analysed_at < (now or timezone.now()) - timedelta(days=ANALYSIS_MAX_AGE_DAYS)


SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(10)]


class FailureModeRow(models.Model):
    """One failure mode of an analysis: a dependency under a fault, its effect, detection, mitigation and risk."""

    # What an analyst writes for a row (the page's form, the API); the risk priority number is computed.
    EDITABLE_FIELDS = (
        "dependency",
        "fault_type",
        "failure_mode",
        "effect",
        "detection",
        "mitigation",
        "recovery_time_objective_minutes",
        "severity",
        "likelihood",
        "detectability",
    )

    analysis = models.ForeignKey(FailureModeAnalysis, on_delete=models.CASCADE, related_name="rows")
    dependency = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The dependency that fails; empty for the service itself.",
    )
    fault_type = models.ForeignKey(FaultType, on_delete=models.PROTECT, related_name="failure_modes")
    failure_mode = models.CharField(max_length=300)
    effect = models.TextField(blank=True, help_text="What users see.")
    detection = models.TextField(blank=True, help_text="The alert or SLO that notices it.")
    mitigation = models.TextField(blank=True, help_text="Timeout, retry budget, circuit breaker, fallback, bulkhead…")
    recovery_time_objective_minutes = models.PositiveIntegerField(null=True, blank=True)
    severity = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS, default=5)
    likelihood = models.PositiveSmallIntegerField(validators=SCORE_VALIDATORS, default=5)
    detectability = models.PositiveSmallIntegerField(
        validators=SCORE_VALIDATORS, default=5, help_text="10: nothing would notice it."
    )
    # Stored so rows sort by risk in the database.
    risk_priority_number = models.PositiveSmallIntegerField(editable=False, default=125)

    class Meta:
        ordering = ["-risk_priority_number", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=10)
                & Q(likelihood__gte=1, likelihood__lte=10)
                & Q(detectability__gte=1, detectability__lte=10),
                name="failure_mode_scores_1_to_10",
            )
        ]

    def __str__(self):
        return self.failure_mode

    def save(self, *args, **kwargs):
        self.risk_priority_number = self.severity * self.likelihood * self.detectability
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "risk_priority_number"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.dependency_id and self.analysis_id and self.dependency_id == self.analysis.service_id:
            raise ValidationError({"dependency": "Leave the dependency empty for the service itself."})

    def lacks_detection(self):
        """Return True if nothing is said to detect this failure mode."""
        return not self.detection.strip()

    def lacks_mitigation(self):
        """Return True if nothing is said to mitigate this failure mode."""
        return not self.mitigation.strip()


class GateDecisionQuerySet(models.QuerySet):
    def for_display(self):
        return self.select_related("service", "asked_by")


class GateDecision(models.Model):
    """What the deployment gate answered: who asked about which service, version and environment, and why."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="gate_decisions")
    version = models.CharField(max_length=100)
    environment = models.CharField(max_length=50)
    decision = models.CharField(max_length=10, choices=Decision.choices, db_index=True)
    reasons = models.JSONField(default=list)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(default=timezone.now)

    objects = GateDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["service", "-checked_at"], name="gate_decision_service_time")]

    def __str__(self):
        return f"{self.service} {self.version} → {self.decision}"
