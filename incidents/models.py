"""Incidents, what happened during them, and the deployments suspected of causing them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Role, Team
from accounts.permissions import has_team_role, teams_with_role
from core.concurrency import VersionedModel
from core.markdown import MARKDOWN_MAX_LENGTH
from core.models import TimeStampedModel, update_fields_for
from core.tokens import HashedTokenQuerySet, issue_token
from core.validators import validate_plausible_moment
from incidents.choices import (
    ALLOWED_TRANSITIONS,
    OPEN_STATUSES,
    SEVERITY_DESCRIPTIONS,
    AlertStatus,
    DetectionSource,
    IncidentKind,
    IntakeKind,
    Severity,
    Status,
    SuspectState,
    TagKind,
    TimelineKind,
    default_severity_map,
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
        return narrow_to_visible_incidents(self, user)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def deleted_restorable_by(self, user):
        """Deleted incidents user may restore: those they could delete (see Incident.can_delete)."""
        if not user.is_authenticated:
            return self.none()
        deleted = self.filter(archived_at__isnull=False)
        if user.is_superuser:
            return deleted
        leads = teams_with_role(user, Role.LEAD)
        mine = Q(team__in=leads) | Q(team__isnull=True, services__team__in=leads)
        allowed = Q(restricted=False) | Q(allowed_teams__in=teams_with_role(user, Role.VIEWER))
        return deleted.filter(pk__in=deleted.filter(mine).filter(allowed).values("pk"))

    def for_metrics(self):
        """Incidents that count in metrics: not excluded (drills, tests)."""
        return self.filter(exclude_from_metrics=False)

    def by_reference(self, reference):
        """Filter by an `INC-42` reference (or a bare number); an unparsable reference matches nothing."""
        number = parse_reference(reference)
        return self.filter(pk=number) if number is not None else self.none()


def narrow_to_visible_incidents(queryset, user, path=""):
    """Narrow queryset to the rows whose incident user may see (the rule of `IncidentQuerySet.visible_to`).

    Incidents not deleted and either unrestricted or shared with one of user's teams. `path` leads
    from the rows to their incident ("incident__", "review__incident__"); empty for incidents
    themselves. Incidents are narrowed by their own flags plus a subquery of the few shared restricted
    ones, so the database walks the index that orders a list instead of first listing every visible
    incident. Rows hanging off incidents (reviews, actions) instead leave out the few incidents hidden
    from user (`hidden_incidents`, each kind read from a partial index), so a list of reviews never
    joins the whole incidents table.
    """
    if not user.is_authenticated:
        return queryset.none()
    if path:
        for hidden in hidden_incidents(user):
            queryset = queryset.exclude(**{f"{path}in": hidden})
        return queryset
    # A deleted (archived) incident is hidden from everyone, site admins too, until it is restored.
    queryset = queryset.filter(archived_at__isnull=True)
    if user.is_superuser:
        return queryset
    # A subquery rather than a join: no duplicate rows, so counts and pages stay right without DISTINCT.
    return queryset.filter(Q(restricted=False) | Q(pk__in=_shared_with(user)))


def hidden_incidents(user):
    """Subqueries of the ids of the incidents user may not see: the deleted ones, and (but for site admins)
    the restricted ones not shared with their teams. Both are few, whatever the size of the table."""
    deleted = Incident.objects.filter(archived_at__isnull=False).values("pk")
    if user.is_superuser:
        return [deleted]
    return [deleted, Incident.objects.filter(restricted=True).exclude(pk__in=_shared_with(user)).values("pk")]


def _shared_with(user):
    return Incident.allowed_teams.through.objects.filter(team__memberships__user=user).values("incident_id")


def may_edit(user, *, team, services, restricted, allowed_teams, minimum=Role.RESPONDER):
    """Return True if user may edit an incident with this team, these services and this restriction.

    Site admins may; anyone else needs a responder (or `minimum`) role in the responding team or in
    the team owning one of the services, and, for a restricted incident, membership of an allowed team.
    Used both for an existing incident and for the state a form or API request would give it.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if restricted and not {t.pk for t in allowed_teams} & teams_with_role(user, Role.VIEWER):
        return False
    if team is not None and has_team_role(user, team, minimum):
        return True
    return bool({service.team_id for service in services} & teams_with_role(user, minimum))


def parse_reference(reference):
    """Return the number in an `INC-42` reference (case-insensitive, or a bare `42`), or None.

    Only ASCII digits, few enough for a database id: `INC-³7` or a forty-digit number is no reference.
    """
    text = str(reference).strip().upper().removeprefix(REFERENCE_PREFIX)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _duration(start, end):
    """A property: the time from the moment field `start` to the moment field `end`; None when either is unknown."""

    def between(incident):
        a, b = getattr(incident, start), getattr(incident, end)
        return b - a if a and b else None

    return property(between)


class Incident(VersionedModel, TimeStampedModel):
    """Something went wrong (or nearly did, or was rehearsed) and people responded."""

    # What the API and an import document write of an incident (the page's form lays out its own, without
    # the reporter). Once the incident exists, a new status goes through `change_status`.
    WRITABLE_FIELDS = (
        "kind",
        "title",
        "summary",
        "severity",
        "status",
        *LIFECYCLE_FIELDS,
        "team",
        "services",
        "commander",
        "reporter",
        "detection_source",
        "labels",
        "exclude_from_metrics",
        "restricted",
        "allowed_teams",
    )

    kind = models.CharField(max_length=20, choices=IncidentKind.choices, default=IncidentKind.INCIDENT)
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True, help_text="Markdown.")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.SEV3, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVESTIGATING, db_index=True)

    started_at = models.DateTimeField(null=True, blank=True, db_index=True, validators=[validate_plausible_moment])
    detected_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible_moment])
    acknowledged_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible_moment])
    mitigated_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible_moment])
    resolved_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible_moment])

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
    # "Unknown" unless someone says: the alert intake says "alert", a person chooses in the page.
    detection_source = models.CharField(max_length=20, choices=DetectionSource.choices, default=DetectionSource.UNKNOWN)
    labels = models.JSONField(
        default=dict, blank=True, help_text="Business context as key/value pairs: customer tier, region, tenant…"
    )
    exclude_from_metrics = models.BooleanField(default=False, help_text="Drills and tests: kept, but not counted.")
    restricted = models.BooleanField(default=False, help_text="Visible only to the allowed teams and site admins.")
    allowed_teams = models.ManyToManyField(Team, related_name="restricted_incidents", blank=True)
    # Set when an alert intake opened the incident: later notifications for the same group find it here.
    intake_source = models.ForeignKey(
        "IntakeSource", on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents"
    )
    group_key = models.CharField(
        max_length=1000, blank=True, help_text="Alertmanager's groupKey, or the generic intake's dedup_key."
    )
    # Where the incident was first recorded, for incidents brought in from another system: creating one
    # again with the same (source, external_id) finds this one instead of making a second.
    source = models.CharField(
        max_length=100, blank=True, help_text="The system it was first recorded in, e.g. jira or confluence."
    )
    external_id = models.CharField(max_length=200, blank=True, help_text="Its id in that system, e.g. PM-142.")
    # Deleting an incident archives it: hidden everywhere (see visible_to), restorable by its team's leads.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = IncidentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["status", "severity"], name="incident_status_severity"),
            # The lists' default order (-started_at, -id) read backwards, and "oldest first" forwards; keyset
            # cursors seek into it. The capped counts walk it too, so none of them reads the whole table.
            models.Index(fields=["started_at", "id"], name="incident_started_id"),
            # A status filter (and each status box's capped count) in list order.
            models.Index(fields=["status", "started_at", "id"], name="incident_status_started_id"),
            # "Most severe first".
            models.Index(fields=["severity", "-started_at", "-id"], name="incident_severity_started_id"),
            # The home page: open incidents, most severe first, then newest; and how many are open.
            models.Index(
                fields=["severity", "-started_at"], condition=Q(status__in=OPEN_STATUSES), name="incident_open_severity"
            ),
            # The home page's "recently resolved".
            models.Index(fields=["-resolved_at"], condition=Q(resolved_at__isnull=False), name="incident_resolved"),
            # The few incidents hidden from someone (see hidden_incidents), found without reading the rest.
            models.Index(fields=["id"], condition=Q(archived_at__isnull=False), name="incident_deleted"),
            models.Index(fields=["id"], condition=Q(restricted=True), name="incident_restricted"),
            # Serves the intake's lookup of the open incident for an alert group.
            models.Index(fields=["intake_source", "group_key"], name="incident_intake_group"),
        ]
        constraints = [
            # One open incident per alert group, even when two notifications race.
            models.UniqueConstraint(
                fields=["intake_source", "group_key"],
                condition=Q(status__in=OPEN_STATUSES) & ~Q(group_key=""),
                name="incident_one_open_per_intake_group",
            ),
            # Imports are re-run; (source, external_id) makes a repeat the same incident.
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="incident_unique_source_external_id",
            ),
        ]

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
        if not user.is_authenticated or self.archived_at is not None:
            return False
        if user.is_superuser or not self.restricted:
            return True
        return bool({team.pk for team in self.allowed_teams.all()} & teams_with_role(user, Role.VIEWER))

    def owning_team_ids(self):
        """The responding team, or, for an incident without one, the teams owning its affected services."""
        if self.team_id is not None:
            return {self.team_id}
        return {service.team_id for service in self.services.all() if service.team_id is not None}

    def has_owner_role(self, user, minimum):
        """Return True if user is a site admin, or holds `minimum` in an owning team (see owning_team_ids)
        and, for a restricted incident, belongs to an allowed team."""
        if not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        if self.restricted and not {t.pk for t in self.allowed_teams.all()} & teams_with_role(user, Role.VIEWER):
            return False
        return bool(self.owning_team_ids() & teams_with_role(user, minimum))

    def can_delete(self, user):
        """Return True if user may delete (archive) or restore this incident: a lead of an owning team."""
        return self.pk is not None and self.has_owner_role(user, Role.LEAD)

    @transaction.atomic
    def archive(self, *, by, at=None):
        """Delete the incident reversibly: hidden from every page, list, count and export until restored.

        Its review, actions and timeline stay as they were; the timeline and history record who did it.
        """
        locked = Incident.objects.select_for_update().get(pk=self.pk)
        if locked.archived_at is not None:
            raise ValidationError(f"{self.reference} is already deleted.")
        self.archived_at, self.archived_by = at or timezone.now(), by
        self._record_archiving(by, "deleted", f"Deleted by {by}; a lead of the team can restore it.")

    @transaction.atomic
    def restore(self, *, by):
        """Bring a deleted incident back everywhere, as it was."""
        locked = Incident.objects.select_for_update().get(pk=self.pk)
        if locked.archived_at is None:
            raise ValidationError(f"{self.reference} is not deleted.")
        self.archived_at, self.archived_by = None, None
        self._record_archiving(by, "restored", f"Restored by {by}.")

    def _record_archiving(self, by, reason, text):
        self._change_reason, self._history_user = reason, by
        self.save(update_fields=["archived_at", "archived_by", "updated_at"])
        TimelineEvent.objects.create(incident=self, kind=TimelineKind.STATUS_CHANGE, text=text, author=by)

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

    @transaction.atomic
    def replace_tags(self, tags):
        """Make the incident's tags exactly `tags` (dicts of kind, value, service).

        Tags that stay keep their rows (so a suspect's confirmed tag stays linked to it); the
        others are deleted, the new ones created. Duplicates in `tags` count once.
        """
        wanted = {(tag["kind"], tag["value"], tag.get("service")) for tag in tags}
        current = {(tag.kind, tag.value, tag.service): tag for tag in self.tags.select_related("service")}
        stale = [tag.pk for key, tag in current.items() if key not in wanted]
        IncidentTag.objects.filter(pk__in=stale).delete()
        IncidentTag.objects.bulk_create(
            [
                IncidentTag(incident=self, kind=kind, value=value, service=service)
                for kind, value, service in sorted(wanted - set(current), key=lambda key: (key[0], key[1]))
            ]
        )

    def allowed_next_statuses(self):
        """The statuses this incident may move to next, in lifecycle order."""
        allowed = ALLOWED_TRANSITIONS[Status(self.status)]
        return [status for status in Status if status in allowed]

    def clean(self):
        """Refuse lifecycle timestamps out of order (e.g. detected before started).

        A resolved or closed incident must say when it was resolved; an external id, its source.
        """
        errors = {}
        if self.external_id and not self.source:
            errors["source"] = "An external id needs the source that issued it."
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

    def clean_many_to_many(self, values):
        """Refuse a restricted incident that no team may see."""
        if self.restricted and not values["allowed_teams"]:
            raise ValidationError({"allowed_teams": "Name at least one team that may see this restricted incident."})

    def change_status(self, status, *, by, at=None, mitigated_at=None):
        """Move to `status` at `at` (now by default) and write a status-change event by `by`.

        Refuses a move the lifecycle does not allow (ValidationError naming both statuses).
        Resolving sets resolved_at (and mitigated_at when still unknown: to `mitigated_at`, or `at`); moving to monitoring sets
        mitigated_at when still unknown. Reopening a resolved incident clears resolved_at and says so
        in the timeline event. Timestamps that end up out of order are refused like any other edit.
        Works on the row as locked and re-read, and writes only the status and the times it moved,
        so an edit saved meanwhile is kept and two people pressing "Resolve" at once make one change.
        """
        status = Status(status)
        with transaction.atomic():
            locked = Incident.objects.select_for_update().get(pk=self.pk)
            current = Status(locked.status)
            if status == current:
                raise ValidationError({"status": f"{locked.reference} is already {current.label.lower()}."})
            if not locked.can_transition_to(status):
                allowed = ", ".join(s.label.lower() for s in locked.allowed_next_statuses()) or "nothing (it is final)"
                raise ValidationError(
                    {
                        "status": f"{locked.reference} cannot go from {current.label.lower()} to "
                        f"{status.label.lower()}; from {current.label.lower()} it can go to {allowed}."
                    }
                )
            at = at or timezone.now()
            text = f"Status changed from **{current.label}** to **{status.label}**."
            if status == Status.RESOLVED:
                locked.resolved_at = at
                if locked.mitigated_at is None:
                    locked.mitigated_at = mitigated_at or at
            elif status == Status.MONITORING and locked.mitigated_at is None:
                locked.mitigated_at = at
            elif current == Status.RESOLVED and status != Status.CLOSED and locked.resolved_at is not None:
                text += f" Reopened: the resolved time ({locked.resolved_at:%Y-%m-%d %H:%M %Z}) was cleared."
                locked.resolved_at = None
            locked.status = status
            locked.clean()
            locked.version += 1  # an edit form opened before this change must not silently undo it
            changed = ["status", "mitigated_at", "resolved_at", "version"]
            locked.save(update_fields=update_fields_for(locked, changed))
            TimelineEvent.objects.create(
                incident=locked, occurred_at=at, kind=TimelineKind.STATUS_CHANGE, text=text, author=by, source="manual"
            )
        for name in update_fields_for(locked, changed):
            setattr(self, name, getattr(locked, name))
        return self

    def can_transition_to(self, status):
        """Return True if the lifecycle allows moving from the current status to `status`."""
        return Status(status) in ALLOWED_TRANSITIONS[Status(self.status)]

    # Durations an on-call lead reads at a glance.
    time_to_detect = _duration("started_at", "detected_at")
    time_to_acknowledge = _duration("detected_at", "acknowledged_at")
    time_to_mitigate = _duration("started_at", "mitigated_at")
    time_to_resolve = _duration("started_at", "resolved_at")


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

    def clean(self):
        """Refuse a tag the incident already has (same kind, value and service, including no service)."""
        if self.incident_id is None or not self.kind or not self.value:
            return
        twins = IncidentTag.objects.filter(
            incident_id=self.incident_id, kind=self.kind, value=self.value, service=self.service
        ).exclude(pk=self.pk)
        if twins.exists():
            raise ValidationError(f"{self.incident.reference} already has the tag {self}.")


class TimelineEvent(TimeStampedModel):
    """One moment in an incident: what was seen, done, decided or said, and when."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    occurred_at = models.DateTimeField(default=timezone.now, validators=[validate_plausible_moment])
    kind = models.CharField(max_length=20, choices=TimelineKind.choices, default=TimelineKind.OBSERVATION)
    text = models.TextField(max_length=MARKDOWN_MAX_LENGTH, help_text="Markdown.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    source = models.CharField(max_length=100, default="manual", help_text="manual, or the intake that wrote it.")

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["incident", "occurred_at"], name="timeline_incident_time")]

    def __str__(self):
        return f"{self.incident.reference} {self.occurred_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class SuspectDeploymentQuerySet(models.QuerySet):
    def for_display(self):
        """Suspects with their deployment and service loaded, best first; for lists and the incident page."""
        return self.select_related("deployment__service", "decided_by").order_by(
            "-score", "-deployment__started_at", "id"
        )

    def visible_to(self, user):
        """Suspects of incidents user may see."""
        return self.filter(incident__in=Incident.objects.visible_to(user).values("pk"))


class SuspectDeployment(TimeStampedModel):
    """A deployment that may have caused an incident, scored by the correlation task; people decide."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="suspect_deployments")
    deployment = models.ForeignKey(Deployment, on_delete=models.CASCADE, related_name="suspected_in")
    score = models.FloatField(help_text="0–1: how likely this deployment is to be involved.")
    reasons = models.JSONField(default=list, help_text="Why it was suggested, in words.")
    state = models.CharField(max_length=20, choices=SuspectState.choices, default=SuspectState.SUGGESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The deploy-version tag that confirming added, so that dismissing removes it again
    # (but never a tag someone had added by hand before).
    confirmed_tag = models.OneToOneField(
        IncidentTag, on_delete=models.SET_NULL, null=True, blank=True, related_name="confirmed_suspect"
    )

    objects = SuspectDeploymentQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "-deployment__started_at"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "deployment"], name="suspect_unique_incident_deployment")
        ]

    def __str__(self):
        return f"{self.incident.reference} ← {self.deployment} ({self.score:.2f}, {self.state})"


class IntakeSourceQuerySet(HashedTokenQuerySet):
    def authenticate(self, key):
        """Return the active source whose token is key, or None."""
        return self.with_key(key).filter(active=True).select_related("team").first()

    def create_with_token(self, **fields):
        """Create a source and return (source, token); the token is not stored and cannot be shown again."""
        source = self.model(**fields)
        key = source.issue_token()
        source.full_clean()
        source.save()
        return source, key


class IntakeSource(TimeStampedModel):
    """A monitoring system allowed to open incidents for a team, with its own token.

    Only a hash of the token is stored; the token itself is shown once, when it is issued.
    """

    # What an admin sets (in the admin and the API); the token and its use are the source's own.
    EDITABLE_FIELDS = (
        "name",
        "kind",
        "team",
        "service_label",
        "severity_label",
        "severity_map",
        "default_severity",
        "active",
    )

    name = models.SlugField(
        max_length=100, unique=True, help_text="Names the source in timelines, e.g. alertmanager-prod."
    )
    kind = models.CharField(max_length=20, choices=IntakeKind.choices, default=IntakeKind.ALERTMANAGER)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="intake_sources")
    service_label = models.CharField(
        max_length=100, default="service", help_text="The alert label whose value is a service slug."
    )
    severity_label = models.CharField(
        max_length=100, default="severity", help_text="The alert label whose value decides the severity."
    )
    severity_map = models.JSONField(
        default=default_severity_map, blank=True, help_text='Label value → severity, e.g. {"critical": "sev1"}.'
    )
    default_severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.SEV3)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        max_length=8, editable=False, help_text="The token's first characters, to tell tokens apart."
    )
    active = models.BooleanField(default=True, help_text="An inactive source's notifications are refused (401).")
    last_received_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = IntakeSourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def issue_token(self):
        """Give the source a new token (the old one stops working) and return it; it is not stored."""
        return issue_token(self)

    @property
    def timeline_source(self):
        """How timeline events written by this source are labelled, e.g. `alertmanager:alertmanager-prod`."""
        return f"{self.kind}:{self.name}"

    def clean(self):
        valid = set(Severity.values)
        if not isinstance(self.severity_map, dict):
            raise ValidationError({"severity_map": "The severity mapping must be an object of label value → severity."})
        wrong = sorted(str(value) for value in self.severity_map.values() if value not in valid)
        if wrong:
            raise ValidationError(
                {"severity_map": f"Unknown severities {', '.join(wrong)}; use one of {', '.join(sorted(valid))}."}
            )

    def severity_for(self, value):
        """Return the severity a label value maps to (case-insensitive), or the default severity."""
        if value is None:
            return self.default_severity
        lowered = {str(key).lower(): severity for key, severity in self.severity_map.items()}
        return lowered.get(str(value).lower(), self.default_severity)


class IntakeAlert(models.Model):
    """One alert of an incident's group as its source last reported it; repeats are compared with this."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="intake_alerts")
    fingerprint = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=AlertStatus.choices, default=AlertStatus.FIRING)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    labels = models.JSONField(default=dict, blank=True)
    annotations = models.JSONField(default=dict, blank=True)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "fingerprint"], name="intake_alert_unique")]

    def __str__(self):
        return f"{self.incident.reference} {self.name or self.fingerprint} ({self.status})"
