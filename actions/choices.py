from django.db import models


class Category(models.TextChoices):
    """The four kinds of action a root cause calls for, from the quickest to the deepest."""

    IMMEDIATE_FIX = "immediate_fix", "Immediate fix"
    CORRECTIVE = "corrective", "Corrective"
    REMEDIAL = "remedial", "Remedial"
    PREVENTIVE = "preventive", "Preventive"


CATEGORY_EXPLANATIONS = {
    Category.IMMEDIATE_FIX: "Patch the hole.",
    Category.CORRECTIVE: "Fix the process that allowed the hole.",
    Category.REMEDIAL: "Look for similar holes elsewhere.",
    Category.PREVENTIVE: "Redesign to remove the whole class of hole.",
}

# Only these categories claim to stop the failure class coming back, so only they are verified.
VERIFIED_CATEGORIES = (Category.CORRECTIVE, Category.PREVENTIVE)


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    WONT_DO = "wont_do", "Won't do"


OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

# Which status may follow which. Closed actions may be reopened.
ALLOWED_TRANSITIONS = {
    Status.OPEN: (Status.IN_PROGRESS, Status.DONE, Status.WONT_DO),
    Status.IN_PROGRESS: (Status.OPEN, Status.DONE, Status.WONT_DO),
    Status.DONE: (Status.OPEN,),
    Status.WONT_DO: (Status.OPEN,),
}


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Verification(models.TextChoices):
    """Whether a done corrective or preventive action stopped its failure class recurring."""

    PENDING = "pending", "Pending"
    RECURRED = "recurred", "Recurred"
    EFFECTIVE = "effective", "Effective"
    INEFFECTIVE = "ineffective", "Ineffective"
    NOT_VERIFIABLE = "not_verifiable", "Not verifiable"


# What a lead may confirm; the check only proposes.
CONFIRMED_VERIFICATIONS = (Verification.EFFECTIVE, Verification.INEFFECTIVE, Verification.NOT_VERIFIABLE)


class ReminderKind(models.TextChoices):
    DAILY = "daily", "Daily reminder"
