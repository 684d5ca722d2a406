from core.choices import text_choices

# The four kinds of action a root cause calls for, from the quickest to the deepest.
Category = text_choices("Category", "immediate_fix corrective remedial preventive", module=__name__)

CATEGORY_EXPLANATIONS = {
    Category.IMMEDIATE_FIX: "Patch the hole.",
    Category.CORRECTIVE: "Fix the process that allowed the hole.",
    Category.REMEDIAL: "Look for similar holes elsewhere.",
    Category.PREVENTIVE: "Redesign to remove the whole class of hole.",
}

# Only these categories claim to stop the failure class coming back, so only they are verified.
VERIFIED_CATEGORIES = (Category.CORRECTIVE, Category.PREVENTIVE)


Status = text_choices("Status", "open in_progress done wont_do", labels={"wont_do": "Won't do"}, module=__name__)

OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

# Which status may follow which. Closed actions may be reopened.
ALLOWED_TRANSITIONS = {
    Status.OPEN: (Status.IN_PROGRESS, Status.DONE, Status.WONT_DO),
    Status.IN_PROGRESS: (Status.OPEN, Status.DONE, Status.WONT_DO),
    Status.DONE: (Status.OPEN,),
    Status.WONT_DO: (Status.OPEN,),
}


Priority = text_choices("Priority", "high medium low", module=__name__)

# Whether a done corrective or preventive action stopped its failure class recurring.
Verification = text_choices("Verification", "pending recurred effective ineffective not_verifiable", module=__name__)

# What a lead may confirm; the check only proposes.
CONFIRMED_VERIFICATIONS = (Verification.EFFECTIVE, Verification.INEFFECTIVE, Verification.NOT_VERIFIABLE)


ReminderKind = text_choices("ReminderKind", "daily", labels={"daily": "Daily reminder"}, module=__name__)
