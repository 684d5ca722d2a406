"""Incidents, what happened during them, and the deployments suspected of causing them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, Team
from accounts.permissions import has_team_role, teams_with_role
from core.models import TimeStampedModel
from incidents.choices import (
    ALLOWED_TRANSITIONS,
    OPEN_STATUSES,
    SEVERITY_DESCRIPTIONS,
    DetectionSource,
    IncidentKind,
    Severity,
    Status,
    SuspectState,
    TagKind,
    TimelineKind,
)
from services.models import Deployment, Service

REFERENCE_PREFIX = "INC-"

# The lifecycle timestamps, in the order they must happen.
LIFECYCLE_FIELDS = ("started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at")


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Incidents user may see: all unrestricted ones, plus restricted ones shared with their teams.

        Site admins see everything; anonymous users see nothing.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        # A subquery rather than a join: no duplicate rows, so counts and pages stay right without DISTINCT.
        shared = Incident.allowed_teams.through.objects.filter(team__memberships__user=user).values("incident_id")
        return self.filter(Q(restricted=False) | Q(pk__in=shared))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def for_metrics(self):
        """Incidents that count in metrics: not excluded (drills, tests)."""
        return self.filter(exclude_from_metrics=False)

    def by_reference(self, reference):
        """Filter by an `INC-42` reference (or a bare number); an unparsable reference matches nothing."""
        number = parse_reference(reference)
        return self.filter(pk=number) if number is not None else self.none()


def may_edit(user, *, team, services, restricted, allowed_teams):
    """Return True if user may edit an incident with this team, these services and this restriction.

    Site admins may; anyone else needs a responder (or higher) role in the responding team or in
    the team owning one of the services, and, for a restricted incident, membership of an allowed team.
    Used both for an existing incident and for the state a form or API request would give it.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if restricted and not {t.pk for t in allowed_teams} & teams_with_role(user, Role.VIEWER):
        return False
    if team is not None and has_team_role(user, team, Role.RESPONDER):
        return True
    return bool({service.team_id for service in services} & teams_with_role(user, Role.RESPONDER))


def parse_reference(reference):
    """Return the number in an `INC-42` reference (case-insensitive, or a bare `42`), or None."""
    text = str(reference).strip().upper().removeprefix(REFERENCE_PREFIX)
    return int(text) if text.isdigit() else None


class Incident(TimeStampedModel):
    """Something went wrong (or nearly did, or was rehearsed) and people responded."""

    kind = models.CharField(max_length=20, choices=IncidentKind.choices, default=IncidentKind.INCIDENT)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="Markdown.")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.SEV3, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVESTIGATING, db_index=True)

    started_at = models.DateTimeField(null=True, blank=True, db_index=True)
    detected_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    mitigated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        related_name="incidents",
        null=True,
        blank=True,
        help_text="The team responding.",
    )
    services = models.ManyToManyField(Service, related_name="incidents", blank=True)
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="commanded_incidents"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reported_incidents"
    )
    detection_source = models.CharField(max_length=20, choices=DetectionSource.choices, default=DetectionSource.ALERT)
    labels = models.JSONField(
        default=dict, blank=True, help_text="Business context as key/value pairs: customer tier, region, tenant…"
    )
    exclude_from_metrics = models.BooleanField(default=False, help_text="Drills and tests: kept, but not counted.")
    restricted = models.BooleanField(default=False, help_text="Visible only to the allowed teams and site admins.")
    allowed_teams = models.ManyToManyField(Team, related_name="restricted_incidents", blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "severity"], name="incident_status_severity")]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self):
        return f"{REFERENCE_PREFIX}{self.pk}" if self.pk else f"{REFERENCE_PREFIX}new"

    @property
    def severity_description(self):
        return SEVERITY_DESCRIPTIONS[Severity(self.severity)]

    def get_absolute_url(self):
        return reverse("incidents:incident_detail", args=[self.reference])

    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_visible_to(self, user):
        """Return True if user may see this incident (the same rule as `Incident.objects.visible_to`)."""
        if not user.is_authenticated:
            return False
        if user.is_superuser or not self.restricted:
            return True
        return bool({team.pk for team in self.allowed_teams.all()} & teams_with_role(user, Role.VIEWER))

    def can_edit(self, user):
        """Return True if user may change this incident and its timeline (see `may_edit`)."""
        if self.pk is None:
            return False
        return may_edit(
            user,
            team=self.team,
            services=self.services.all(),
            restricted=self.restricted,
            allowed_teams=self.allowed_teams.all(),
        )

    def allowed_next_statuses(self):
        """The statuses this incident may move to next, in lifecycle order."""
        allowed = ALLOWED_TRANSITIONS[Status(self.status)]
        return [status for status in Status if status in allowed]

    def clean(self):
        """Refuse lifecycle timestamps out of order (e.g. detected before started).

        A resolved or closed incident must say when it was resolved.
        """
        errors = {}
        if self.status in (Status.RESOLVED, Status.CLOSED) and self.resolved_at is None:
            errors["resolved_at"] = "A resolved incident needs the time it was resolved."
        previous_name, previous = None, None
        for name in LIFECYCLE_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if previous is not None and value < previous:
                label = self._meta.get_field(name).verbose_name
                errors[name] = (
                    f"{label.capitalize()} cannot be before {self._meta.get_field(previous_name).verbose_name}."
                )
            previous_name, previous = name, value
        if errors:
            raise ValidationError(errors)

    def can_transition_to(self, status):
        """Return True if the lifecycle allows moving from the current status to `status`."""
        return Status(status) in ALLOWED_TRANSITIONS[Status(self.status)]

    # Durations an on-call lead reads at a glance; None when either end is unknown.
    def _between(self, start, end):
        a, b = getattr(self, start), getattr(self, end)
        return b - a if a and b else None

    @property
    def time_to_detect(self):
        return self._between("started_at", "detected_at")

    @property
    def time_to_acknowledge(self):
        return self._between("detected_at", "acknowledged_at")

    @property
    def time_to_mitigate(self):
        return self._between("started_at", "mitigated_at")

    @property
    def time_to_resolve(self):
        return self._between("started_at", "resolved_at")


class IncidentTag(models.Model):
    """Links an incident to a component, configuration version or deploy version."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=20, choices=TagKind.choices)
    value = models.CharField(max_length=200)
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "kind", "value", "service"], name="incident_tag_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"


class TimelineEvent(TimeStampedModel):
    """One moment in an incident: what was seen, done, decided or said, and when."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=TimelineKind.choices, default=TimelineKind.OBSERVATION)
    text = models.TextField(help_text="Markdown.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    source = models.CharField(max_length=100, default="manual", help_text="manual, or the intake that wrote it.")

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["incident", "occurred_at"], name="timeline_incident_time")]

    def __str__(self):
        return f"{self.incident.reference} {self.occurred_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class SuspectDeployment(TimeStampedModel):
    """A deployment that may have caused an incident, scored by the correlation task; people decide."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="suspect_deployments")
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="suspected_in")
    score = models.FloatField(help_text="0–1: how likely this deployment is to be involved.")
    reasons = models.JSONField(default=list, help_text="Why it was suggested, in words.")
    state = models.CharField(max_length=20, choices=SuspectState.choices, default=SuspectState.SUGGESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "-deployment__started_at"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "deployment"], name="suspect_unique_incident_deployment")
        ]

    def __str__(self):
        return f"{self.incident.reference} ← {self.deployment} ({self.score:.2f}, {self.state})"
