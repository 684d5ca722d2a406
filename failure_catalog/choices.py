from core.choices import text_choices

FaultCategory = text_choices(
    "FaultCategory", "infrastructure network dependency data capacity configuration time security", module=__name__
)

Environment = text_choices("Environment", "staging canary production", module=__name__)

Outcome = text_choices("Outcome", "held deviated aborted errored", module=__name__)

# Only these outcomes say how the service behaved; an aborted or errored run proves nothing either way.
EVIDENCE_OUTCOMES = (Outcome.HELD, Outcome.DEVIATED)


Source = text_choices(
    "Source",
    "manual chaostoolkit litmus junit",
    labels={"chaostoolkit": "Chaos Toolkit journal", "litmus": "LitmusChaos ChaosResult", "junit": "JUnit XML"},
    module=__name__,
)

IncidentLink = text_choices(
    "IncidentLink",
    {
        "caused": "Caused by the experiment",
        "reproduced": "Reproduced by the experiment",
        "game_day": "Game day it belonged to",
    },
    module=__name__,
)

RequirementOrigin = text_choices(
    "RequirementOrigin",
    "tier_policy person failure_mode review",
    labels={"failure_mode": "Failure-mode analysis"},
    module=__name__,
)

# One cell of the coverage matrix (a service under a fault type).
CellState = text_choices("CellState", "verified stale failing missing not_required", module=__name__)

Decision = text_choices("Decision", "allow warn block", module=__name__)

# What a gate condition does for a tier when it holds.
PolicyEffect = text_choices("PolicyEffect", "block warn ignore", module=__name__)

# The reasons the gate can give; each is one condition, governed per tier by TierPolicy.
GateCondition = text_choices(
    "GateCondition",
    {
        "no_fresh_evidence": "Required fault type without fresh held evidence",
        "failing_experiment": "Latest experiment deviated",
        "version_evidence_missing": "Evidence required on this version is missing",
        "actions_overdue": "Corrective or preventive actions past due",
        "suspect_incident": "Open SEV1/SEV2 incident with this version as a confirmed suspect",
        "incident_history": "Recent incidents of a class need fresh evidence on this version",
    },
    module=__name__,
)

# A FMEA older than this says so on the service page and in coverage.
ANALYSIS_MAX_AGE_DAYS = 365
