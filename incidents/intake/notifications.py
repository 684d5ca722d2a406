"""Alert intake: turn monitoring notifications into incidents and timeline events.

A notification names an alert *group* (Alertmanager's groupKey, or the generic
intake's dedup_key). Each (source, group) has at most one open incident: the
first firing notification opens it, later ones add timeline events for alerts
that are new or changed, and a resolved notification records when the
symptoms stopped (mitigated_at). Closing the incident stays a human decision;
once it is resolved or closed, the next firing notification opens a new one.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from incidents.choices import AlertStatus, DetectionSource, Severity, TimelineKind
from incidents.models import Incident, IntakeAlert, TimelineEvent
from services.models import Service

# Labels that say what the alert is rather than the business context it happened in.
_ALERT_IDENTITY_LABELS = {"alertname"}
MAX_CONTEXT_LABELS = 20


@dataclass
class ReceivedAlert:
    """One alert as a source reported it."""

    fingerprint: str
    status: str
    name: str = ""
    labels: dict = field(default_factory=dict)
    annotations: dict = field(default_factory=dict)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    url: str = ""
    severity: str | None = None
    services: list = field(default_factory=list)


@dataclass
class Notification:
    """What one webhook call said about one alert group."""

    group_key: str
    status: str
    title: str
    alerts: list
    description: str = ""
    context_labels: dict = field(default_factory=dict)
    link: str = ""


@dataclass
class IntakeResult:
    incident: Incident | None
    created: bool
    events_added: int


def notification_from_alertmanager(payload, *, source):
    """Read a validated Alertmanager webhook payload (version 4) as a Notification."""
    common_labels = payload.get("commonLabels") or {}
    common_annotations = payload.get("commonAnnotations") or {}
    alerts = []
    for alert in payload["alerts"]:
        labels = alert.get("labels") or {}
        annotations = alert.get("annotations") or {}
        service = labels.get(source.service_label)
        alerts.append(
            ReceivedAlert(
                fingerprint=alert.get("fingerprint") or _fingerprint(labels),
                status=alert["status"],
                name=labels.get("alertname", ""),
                labels=labels,
                annotations=annotations,
                starts_at=alert.get("startsAt"),
                ends_at=alert.get("endsAt"),
                url=alert.get("generatorURL") or "",
                severity=source.severity_for(labels.get(source.severity_label)),
                services=[service] if service else [],
            )
        )
    firing = [alert for alert in alerts if alert.status == AlertStatus.FIRING] or alerts
    title = (
        common_annotations.get("summary")
        or next((alert.annotations["summary"] for alert in firing if alert.annotations.get("summary")), "")
        or common_labels.get("alertname")
        or (payload.get("groupLabels") or {}).get("alertname")
        or f"Alert from {source.name}"
    )
    description = common_annotations.get("description") or next(
        (alert.annotations["description"] for alert in firing if alert.annotations.get("description")), ""
    )
    mapped = {"alertname", source.service_label, source.severity_label}
    return Notification(
        group_key=payload["groupKey"],
        status=payload["status"],
        title=title,
        alerts=alerts,
        description=description,
        context_labels={key: value for key, value in common_labels.items() if key not in mapped},
        link=payload.get("externalURL") or "",
    )


def notification_from_generic(payload, *, source):
    """Read a validated generic intake payload as a Notification with one alert (its dedup_key)."""
    services = list(payload.get("services") or [])
    if payload.get("service"):
        services.insert(0, payload["service"])
    labels = payload.get("labels") or {}
    occurred_at = payload.get("occurred_at")
    status = payload.get("status") or AlertStatus.FIRING
    severity = payload.get("severity")
    alert = ReceivedAlert(
        fingerprint=payload["dedup_key"],
        status=status,
        name=payload.get("title") or "",
        labels=labels,
        annotations={"summary": payload.get("title") or "", "description": payload.get("description") or ""},
        starts_at=occurred_at if status == AlertStatus.FIRING else None,
        ends_at=occurred_at if status == AlertStatus.RESOLVED else None,
        severity=severity if severity in Severity.values else source.severity_for(severity),
        services=list(dict.fromkeys(services)),
    )
    return Notification(
        group_key=payload["dedup_key"],
        status=status,
        title=payload.get("title") or payload["dedup_key"],
        alerts=[alert],
        description=payload.get("description") or "",
        context_labels=labels,
    )


# What higher apps add to the "Opened by …" event of an incident an alert opened (playbooks: the
# playbook answering the alert), without the intake importing them. Each is called with the new
# incident and its firing alert names, and returns Markdown paragraphs.
_OPENING_NOTES = {}


def register_opening_note(name, function):
    """Add (or replace) a note writer for the first timeline event of alert-opened incidents."""
    _OPENING_NOTES[name] = function


def opening_notes(*, incident, alert_names):
    return [
        note
        for name in sorted(_OPENING_NOTES)
        for note in _OPENING_NOTES[name](incident=incident, alert_names=alert_names)
    ]


@transaction.atomic
def receive_notification(*, source, notification, now=None):
    """Record one notification for source: open the group's incident, or add to it.

    Return an IntakeResult; its incident is None when the notification needed no
    incident (a resolved notification for a group with none open).
    """
    now = now or timezone.now()
    source.last_received_at = now
    source.save(update_fields=["last_received_at"])

    incident = _open_incident_for(source, notification.group_key)
    created = False
    if incident is None:
        if notification.status != AlertStatus.FIRING:
            return IntakeResult(incident=None, created=False, events_added=0)
        try:
            with transaction.atomic():
                incident = _open_incident(source=source, notification=notification, now=now)
            created = True
        except IntegrityError:
            # A concurrent notification for the same group opened it first: add to that one.
            incident = _open_incident_for(source, notification.group_key)
            if incident is None:
                raise
    recorder = _TimelineRecorder(incident=incident, source=source, now=now)
    _record_alerts(incident=incident, notification=notification, recorder=recorder, opened=created)
    recorder.flush()
    return IntakeResult(incident=incident, created=created, events_added=recorder.count)


def _open_incident_for(source, group_key):
    return (
        Incident.objects.select_for_update()
        .filter(intake_source=source, group_key=group_key)
        .open()
        .order_by("-id")
        .first()
    )


def _open_incident(*, source, notification, now):
    firing = [alert for alert in notification.alerts if alert.status == AlertStatus.FIRING]
    starts = [alert.starts_at for alert in firing if alert.starts_at]
    # A sender's clock may run ahead of ours; an incident cannot start after we detected it.
    started_at = min(min(starts), now) if starts else now
    summary = notification.description
    if notification.link:
        summary = f"{summary}\n\nReported by [{source.name}]({notification.link}).".strip()
    return Incident.objects.create(
        title=notification.title[:200],
        summary=summary,
        severity=_most_severe(alert.severity for alert in firing) or source.default_severity,
        started_at=started_at,
        detected_at=now,
        team=source.team,
        detection_source=DetectionSource.ALERT,
        labels=_context_labels(notification.context_labels),
        intake_source=source,
        group_key=notification.group_key,
    )


def _record_alerts(*, incident, notification, recorder, opened):
    known = {alert.fingerprint: alert for alert in incident.intake_alerts.all()}
    if opened:
        firing = [alert for alert in notification.alerts if alert.status == AlertStatus.FIRING]
        count = len(firing)
        text = f"Opened by **{recorder.source.name}**: {count} alert{'s' if count != 1 else ''} firing."
        notes = opening_notes(incident=incident, alert_names=sorted({alert.name for alert in firing if alert.name}))
        recorder.add("\n\n".join([text, *notes]), kind=TimelineKind.DETECTION, at=recorder.now)
    newly_firing, new_services = [], []
    # Written in at most three queries whatever the number of alerts: a group can hold hundreds (one per pod).
    new_alerts, changed_alerts, unchanged_alerts, fingerprints = [], [], [], set()
    for alert in notification.alerts:
        if alert.fingerprint in fingerprints:
            continue  # The same alert named twice in one notification is one alert.
        fingerprints.add(alert.fingerprint)
        previous = known.get(alert.fingerprint)
        if previous is None:
            new_alerts.append(
                IntakeAlert(
                    incident=incident,
                    fingerprint=alert.fingerprint,
                    name=alert.name[:200],
                    status=alert.status,
                    starts_at=alert.starts_at,
                    ends_at=alert.ends_at,
                    labels=alert.labels,
                    annotations=alert.annotations,
                    last_seen_at=recorder.now,
                )
            )
            recorder.add_alert(alert, verb="Firing" if alert.status == AlertStatus.FIRING else "Resolved")
            new_services.extend(alert.services)
            if alert.status == AlertStatus.FIRING:
                newly_firing.append(alert)
            continue
        verb = _change(previous, alert)
        reported = (alert.status, alert.starts_at, alert.ends_at, alert.annotations)
        if (previous.status, previous.starts_at, previous.ends_at, previous.annotations) == reported:
            unchanged_alerts.append(previous.pk)
        else:
            previous.status, previous.starts_at, previous.ends_at, previous.annotations = reported
            previous.last_seen_at = recorder.now
            changed_alerts.append(previous)
        if verb:
            recorder.add_alert(alert, verb=verb)
            if verb == "Firing again":
                newly_firing.append(alert)
    IntakeAlert.objects.bulk_create(new_alerts)
    IntakeAlert.objects.bulk_update(changed_alerts, ["status", "starts_at", "ends_at", "annotations", "last_seen_at"])
    if unchanged_alerts:
        IntakeAlert.objects.filter(pk__in=unchanged_alerts).update(last_seen_at=recorder.now)

    _link_services(incident=incident, names=new_services, recorder=recorder)
    if not opened:
        _escalate(incident=incident, alerts=newly_firing, recorder=recorder)
    if notification.status == AlertStatus.RESOLVED:
        _record_mitigation(incident=incident, notification=notification, recorder=recorder)
    elif newly_firing and incident.mitigated_at and not opened:
        recorder.change(
            "mitigated_at",
            None,
            saying=f"Alerts are firing again after the mitigation recorded at {incident.mitigated_at:%Y-%m-%d %H:%M %Z}; "
            "that mitigation time is cleared.",
        )


def _change(previous, alert):
    """Name what changed about a known alert, or return "" when nothing worth a timeline event did."""
    if previous.status != alert.status:
        return "Firing again" if alert.status == AlertStatus.FIRING else "Resolved"
    if alert.status == AlertStatus.FIRING and alert.starts_at and previous.starts_at != alert.starts_at:
        return "Firing again"
    if previous.annotations != alert.annotations:
        return "Updated"
    return ""


def _link_services(*, incident, names, recorder):
    names = [name for name in dict.fromkeys(names) if name]
    if not names:
        return
    found = {service.slug: service for service in Service.objects.filter(slug__in=names)}
    linked = set(incident.services.filter(pk__in=[service.pk for service in found.values()]))
    missing = [service for service in found.values() if service not in linked]
    if missing:
        incident.services.add(*missing)
    unknown = [name for name in names if name not in found]
    if unknown:
        listed = ", ".join(f"`{name}`" for name in unknown)
        recorder.add(
            f"The alerts name {listed} in their `{recorder.source.service_label}` label, which "
            f"{'is' if len(unknown) == 1 else 'are'} not in the service catalog; not linked.",
            kind=TimelineKind.OBSERVATION,
            at=recorder.now,
        )


def _escalate(*, incident, alerts, recorder):
    severity = _most_severe(alert.severity for alert in alerts)
    if severity and severity < incident.severity:  # "sev1" < "sev2": lower is more severe.
        recorder.change(
            "severity",
            severity,
            saying=f"Severity raised from {Severity(incident.severity).label} to {Severity(severity).label} "
            "by a newly firing alert.",
            kind=TimelineKind.DECISION,
        )


def _record_mitigation(*, incident, notification, recorder):
    if incident.mitigated_at is not None:
        return
    ends = [alert.ends_at for alert in notification.alerts if alert.ends_at]
    ended = min(max(ends), recorder.now) if ends else recorder.now
    # The lifecycle must stay in order: mitigation cannot come before detection or acknowledgement.
    earlier = [moment for moment in (incident.started_at, incident.detected_at, incident.acknowledged_at) if moment]
    mitigated_at = max([ended, *earlier])
    recorder.change(
        "mitigated_at",
        mitigated_at,
        saying=f"All alerts resolved; mitigation recorded at {mitigated_at:%Y-%m-%d %H:%M %Z}. "
        "The incident stays open until someone resolves it.",
        at=ended,
    )


class _TimelineRecorder:
    """Collects the timeline events one notification adds and writes them in one query."""

    def __init__(self, *, incident, source, now):
        self.incident, self.source, self.now = incident, source, now
        self.events = []

    @property
    def count(self):
        return len(self.events)

    def add(self, text, *, kind, at):
        self.events.append(
            TimelineEvent(
                incident=self.incident, occurred_at=at, kind=kind, text=text, source=self.source.timeline_source
            )
        )

    def change(self, field, value, *, saying, kind=TimelineKind.OBSERVATION, at=None):
        """Set one field of the incident and save it; add `saying` to the timeline (at `at`, or now)."""
        setattr(self.incident, field, value)
        self.incident.save(update_fields=[field, "updated_at"])
        self.add(saying, kind=kind, at=at or self.now)

    def add_alert(self, alert, *, verb):
        summary = alert.annotations.get("summary") or alert.annotations.get("description") or ""
        shown = {key: value for key, value in alert.labels.items() if key not in _ALERT_IDENTITY_LABELS}
        labels = ", ".join(f"`{key}={value}`" for key, value in sorted(shown.items()))
        text = f"**{verb}:** {alert.name or alert.fingerprint}"
        if summary and summary != alert.name:
            text += f" — {summary}"
        if labels:
            text += f" ({labels})"
        if alert.url.startswith(("https://", "http://")):
            text += f" [source]({alert.url})"
        resolved = verb == "Resolved"
        at = (alert.ends_at if resolved else alert.starts_at) or self.now
        self.add(text, kind=TimelineKind.OBSERVATION if resolved else TimelineKind.DETECTION, at=min(at, self.now))

    def flush(self):
        TimelineEvent.objects.bulk_create(self.events)


def _most_severe(severities):
    return min((severity for severity in severities if severity), default=None)


def _context_labels(labels):
    """Business context worth keeping on the incident: string values, bounded in number and length."""
    kept = {}
    for key, value in sorted(labels.items()):
        if key in _ALERT_IDENTITY_LABELS or not isinstance(value, str) or len(kept) >= MAX_CONTEXT_LABELS:
            continue
        kept[str(key)[:100]] = value[:200]
    return kept


def _fingerprint(labels):
    text = "\x00".join(f"{key}={value}" for key, value in sorted(labels.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
