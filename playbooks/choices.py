from core.choices import text_choices

Kind = text_choices("Kind", "playbook runbook", module=__name__)

KIND_EXPLANATIONS = {
    Kind.PLAYBOOK: "Strategic, for a class of incident: if these symptoms occur, suspect this; validate before acting.",
    Kind.RUNBOOK: "Tactical: numbered steps to carry out.",
}


Outcome = text_choices("Outcome", "used helped did_not_help", module=__name__)

StaleReason = text_choices(
    "StaleReason",
    "review_due not_helpful",
    labels={"review_due": "Past its review date", "not_helpful": "Did not help twice"},
    module=__name__,
)

# A playbook that did not help this many times is flagged to its owning team.
NOT_HELPFUL_LIMIT = 2
