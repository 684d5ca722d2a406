from django.db import models


class FaultCategory(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", "Infrastructure"
    NETWORK = "network", "Network"
    DEPENDENCY = "dependency", "Dependency"
    DATA = "data", "Data"
    CAPACITY = "capacity", "Capacity"
    CONFIGURATION = "configuration", "Configuration"
    TIME = "time", "Time"
    SECURITY = "security", "Security"


class Environment(models.TextChoices):
    STAGING = "staging", "Staging"
    CANARY = "canary", "Canary"
    PRODUCTION = "production", "Production"


class Outcome(models.TextChoices):
    HELD = "held", "Held"
    DEVIATED = "deviated", "Deviated"
    ABORTED = "aborted", "Aborted"
    ERRORED = "errored", "Errored"


# Only these outcomes say how the service behaved; an aborted or errored run proves nothing either way.
EVIDENCE_OUTCOMES = (Outcome.HELD, Outcome.DEVIATED)


class Source(models.TextChoices):
    MANUAL = "manual", "Manual"
    CHAOSTOOLKIT = "chaostoolkit", "Chaos Toolkit journal"
    LITMUS = "litmus", "LitmusChaos ChaosResult"
    JUNIT = "junit", "JUnit XML"


class IncidentLink(models.TextChoices):
    CAUSED = "caused", "Caused by the experiment"
    REPRODUCED = "reproduced", "Reproduced by the experiment"
    GAME_DAY = "game_day", "Game day it belonged to"


class RequirementOrigin(models.TextChoices):
    TIER_POLICY = "tier_policy", "Tier policy"
    PERSON = "person", "Person"
    FAILURE_MODE = "failure_mode", "Failure-mode analysis"
    REVIEW = "review", "Review"


class CellState(models.TextChoices):
    """One cell of the coverage matrix (a service under a fault type)."""

    VERIFIED = "verified", "Verified"
    STALE = "stale", "Stale"
    FAILING = "failing", "Failing"
    MISSING = "missing", "Missing"
    NOT_REQUIRED = "not_required", "Not required"


class Decision(models.TextChoices):
    ALLOW = "allow", "Allow"
    WARN = "warn", "Warn"
    BLOCK = "block", "Block"


class PolicyEffect(models.TextChoices):
    """What a gate condition does for a tier when it holds."""

    BLOCK = "block", "Block"
    WARN = "warn", "Warn"
    IGNORE = "ignore", "Ignore"


class GateCondition(models.TextChoices):
    """The reasons the gate can give; each is one condition, governed per tier by TierPolicy."""

    NO_FRESH_EVIDENCE = "no_fresh_evidence", "Required fault type without fresh held evidence"
    FAILING_EXPERIMENT = "failing_experiment", "Latest experiment deviated"
    VERSION_EVIDENCE_MISSING = "version_evidence_missing", "Evidence required on this version is missing"
    ACTIONS_OVERDUE = "actions_overdue", "Corrective or preventive actions past due"
    SUSPECT_INCIDENT = "suspect_incident", "Open SEV1/SEV2 incident with this version as a confirmed suspect"
    INCIDENT_HISTORY = "incident_history", "Recent incidents of a class need fresh evidence on this version"


# A FMEA older than this says so on the service page and in coverage.
ANALYSIS_MAX_AGE_DAYS = 365
