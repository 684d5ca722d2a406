from django.db import models


class Kind(models.TextChoices):
    PLAYBOOK = "playbook", "Playbook"
    RUNBOOK = "runbook", "Runbook"


KIND_EXPLANATIONS = {
    Kind.PLAYBOOK: "Strategic, for a class of incident: if these symptoms occur, suspect this; validate before acting.",
    Kind.RUNBOOK: "Tactical: numbered steps to carry out.",
}


class Outcome(models.TextChoices):
    USED = "used", "Used"
    HELPED = "helped", "Helped"
    DID_NOT_HELP = "did_not_help", "Did not help"


class StaleReason(models.TextChoices):
    REVIEW_DUE = "review_due", "Past its review date"
    NOT_HELPFUL = "not_helpful", "Did not help twice"


# A playbook that did not help this many times is flagged to its owning team.
NOT_HELPFUL_LIMIT = 2
