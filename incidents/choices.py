from django.db import models


class IncidentKind(models.TextChoices):
    INCIDENT = "incident", "Incident"
    NEAR_MISS = "near_miss", "Near miss"
    GAME_DAY = "game_day", "Game day"


class Severity(models.TextChoices):
    SEV1 = "sev1", "SEV1"
    SEV2 = "sev2", "SEV2"
    SEV3 = "sev3", "SEV3"
    SEV4 = "sev4", "SEV4"


SEVERITY_DESCRIPTIONS = {
    Severity.SEV1: "Critical: a core customer journey is down or data is at risk for many customers.",
    Severity.SEV2: "Major: a core journey is badly degraded, or a significant subset of customers is affected.",
    Severity.SEV3: "Minor: partial degradation with a workaround, or an internal system is impaired.",
    Severity.SEV4: "Low: cosmetic or contained issue; no meaningful customer impact.",
}


class Status(models.TextChoices):
    INVESTIGATING = "investigating", "Investigating"
    IDENTIFIED = "identified", "Identified"
    MONITORING = "monitoring", "Monitoring"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


# Which status may follow which. Going back is allowed while the incident is live
# (a fix that did not hold), and a resolved incident may reopen; closed is final.
ALLOWED_TRANSITIONS = {
    Status.INVESTIGATING: {Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED},
    Status.IDENTIFIED: {Status.INVESTIGATING, Status.MONITORING, Status.RESOLVED},
    Status.MONITORING: {Status.INVESTIGATING, Status.IDENTIFIED, Status.RESOLVED},
    Status.RESOLVED: {Status.INVESTIGATING, Status.CLOSED},
    Status.CLOSED: set(),
}

OPEN_STATUSES = (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING)


class DetectionSource(models.TextChoices):
    ALERT = "alert", "Alert"
    CUSTOMER = "customer", "Customer report"
    EMPLOYEE = "employee", "Employee"
    CHAOS = "chaos", "Chaos experiment"
    OTHER = "other", "Other"
    # Not recorded: what an incident says when nobody wrote down how it was noticed (old records, imports).
    UNKNOWN = "unknown", "Unknown"


class TimelineKind(models.TextChoices):
    DETECTION = "detection", "Detection"
    OBSERVATION = "observation", "Observation"
    ACTION = "action", "Action"
    DECISION = "decision", "Decision"
    COMMUNICATION = "communication", "Communication"
    STATUS_CHANGE = "status_change", "Status change"
    DEPLOY = "deploy", "Deploy"


class TagKind(models.TextChoices):
    COMPONENT = "component", "Component"
    CONFIG_VERSION = "config_version", "Configuration version"
    DEPLOY_VERSION = "deploy_version", "Deploy version"


class SuspectState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class IntakeKind(models.TextChoices):
    ALERTMANAGER = "alertmanager", "Prometheus Alertmanager"
    GENERIC = "generic", "Generic JSON"


class AlertStatus(models.TextChoices):
    FIRING = "firing", "Firing"
    RESOLVED = "resolved", "Resolved"


def default_severity_map():
    """Alertmanager's conventional `severity` label values, mapped to ours."""
    return {"critical": "sev1", "error": "sev2", "warning": "sev3", "info": "sev4"}
