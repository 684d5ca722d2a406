from core.choices import text_choices

IncidentKind = text_choices("IncidentKind", "incident near_miss game_day", module=__name__)

Severity = text_choices(
    "Severity",
    "sev1 sev2 sev3 sev4",
    labels={"sev1": "SEV1", "sev2": "SEV2", "sev3": "SEV3", "sev4": "SEV4"},
    module=__name__,
)

SEVERITY_DESCRIPTIONS = {
    Severity.SEV1: "Critical: a core customer journey is down or data is at risk for many customers.",
    Severity.SEV2: "Major: a core journey is badly degraded, or a significant subset of customers is affected.",
    Severity.SEV3: "Minor: partial degradation with a workaround, or an internal system is impaired.",
    Severity.SEV4: "Low: cosmetic or contained issue; no meaningful customer impact.",
}


Status = text_choices("Status", "investigating identified monitoring resolved closed", module=__name__)

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


# "unknown": nobody wrote down how it was noticed (old records, imports); what an unsaid source is recorded as.
DetectionSource = text_choices(
    "DetectionSource",
    "alert customer employee chaos other unknown",
    labels={"customer": "Customer report", "chaos": "Chaos experiment"},
    module=__name__,
)

TimelineKind = text_choices(
    "TimelineKind", "detection observation action decision communication status_change deploy", module=__name__
)

TagKind = text_choices(
    "TagKind",
    "component config_version deploy_version",
    labels={"config_version": "Configuration version"},
    module=__name__,
)

SuspectState = text_choices("SuspectState", "suggested confirmed dismissed", module=__name__)

IntakeKind = text_choices(
    "IntakeKind",
    "alertmanager generic",
    labels={"alertmanager": "Prometheus Alertmanager", "generic": "Generic JSON"},
    module=__name__,
)

AlertStatus = text_choices("AlertStatus", "firing resolved", module=__name__)


def default_severity_map():
    """Alertmanager's conventional `severity` label values, mapped to ours."""
    return {"critical": "sev1", "error": "sev2", "warning": "sev3", "info": "sev4"}
