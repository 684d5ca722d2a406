"""Actions that come out of a review, in four categories, tracked to closure and to proven effectiveness."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Role, Team
from accounts.permissions import has_team_role
from actions.choices import (
    ALLOWED_TRANSITIONS,
    CATEGORY_EXPLANATIONS,
    CONFIRMED_VERIFICATIONS,
    OPEN_STATUSES,
    VERIFIED_CATEGORIES,
    Category,
    Priority,
    ReminderKind,
    Status,
    Verification,
)
from core.concurrency import VersionedModel
from core.models import TimeStampedModel
from incidents.models import Incident, narrow_to_visible_incidents
from postmortems.models import CausalFactor, Review
from services.models import Service


def default_due_date(*, category, severity, start=None):
    """Return the due date settings give an action of `category` for an incident of `severity`."""
    start = start or timezone.localdate()
    days = settings.HINDSIGHT_ACTION_DUE_DAYS[str(category)][str(severity)]
    return start + timedelta(days=days)


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions user may see: those whose review's incident is visible to them."""
        return narrow_to_visible_incidents(self, user, "review__incident__")

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, *, today=None):
        """Open actions whose due date has passed."""
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_within(self, days, *, today=None):
        """Open actions due from today to `days` days from now (not yet overdue)."""
        today = today or timezone.localdate()
        return self.open().filter(due_date__gte=today, due_date__lte=today + timedelta(days=days))

    def awaiting_verification(self):
        """Done corrective and preventive actions whose effectiveness is not settled yet."""
        return self.filter(
            status=Status.DONE,
            category__in=VERIFIED_CATEGORIES,
            verification__in=(Verification.PENDING, Verification.RECURRED),
        )

    def search(self, text):
        return self.filter(Q(title__icontains=text) | Q(description__icontains=text))


class ActionItem(VersionedModel, TimeStampedModel):
    """One thing to do because of a review: patch, fix the process, sweep for similar holes, or redesign."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="Markdown.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="action_items")
    services = models.ManyToManyField(Service, related_name="action_items", blank=True)
    factors = models.ManyToManyField(
        CausalFactor, related_name="actions", blank=True, help_text="The causal factors of the review it addresses."
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    due_date = models.DateField(
        blank=True,
        help_text="Defaults from the category and the incident's severity (setting HINDSIGHT_ACTION_DUE_DAYS).",
    )
    external_url = models.URLField("external tracker URL", max_length=500, blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    wont_do_reason = models.TextField(blank=True)
    # When the action was raised; the basis of its age and of the backlog over time.
    opened_at = models.DateTimeField(default=timezone.now, db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="When it became done or won't do.")

    # Effectiveness: set to pending when a corrective or preventive action is done; empty otherwise.
    verification = models.CharField(max_length=20, choices=Verification.choices, blank=True, db_index=True)
    proposed_verification = models.CharField(max_length=20, choices=Verification.choices, blank=True)
    recurrence_incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="recurrence_of_actions"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(blank=True)

    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # Serves the overdue / due-soon counts and lists.
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            models.Index(fields=["team", "status"], name="action_team_status"),
            # The action lists' order (due_date, id): a page without sorting every action.
            models.Index(fields=["due_date", "id"], name="action_due_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=Status.WONT_DO) | ~Q(wont_do_reason=""), name="action_wont_do_has_reason"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:action_detail", args=[self.pk])

    @property
    def category_explanation(self):
        return CATEGORY_EXPLANATIONS[Category(self.category)]

    def save(self, *args, **kwargs):
        if self.due_date is None:
            self.due_date = default_due_date(
                category=self.category,
                severity=self.review.incident.severity,
                start=timezone.localdate(self.opened_at) if self.opened_at else None,
            )
        super().save(*args, **kwargs)

    # --- Rules ---------------------------------------------------------------------

    def is_verified_category(self):
        """Return True if this category is verified for effectiveness (corrective or preventive)."""
        return self.category in VERIFIED_CATEGORIES

    def is_open(self):
        """Return True while the action is open or in progress."""
        return self.status in OPEN_STATUSES

    def is_overdue(self, *, today=None):
        """Return True if the action is still open after its due date."""
        return self.is_open() and self.due_date < (today or timezone.localdate())

    def was_done_on_time(self):
        """Return True if done by its due date, False if done late, None if not done."""
        if self.status != Status.DONE or self.done_at is None:
            return None
        return timezone.localdate(self.done_at) <= self.due_date

    def allowed_statuses(self):
        """Return the statuses this action may move to next."""
        return ALLOWED_TRANSITIONS[Status(self.status)]

    def can_edit(self, user):
        """Return True if user may change this action: a responder or higher in its team."""
        return has_team_role(user, self.team_id, Role.RESPONDER)

    def recurrence_shown_to(self, user):
        """Return the incident the failure class recurred in if user may see it, else None.

        The effectiveness check counts every incident of the class, restricted ones too (a recurrence
        is a recurrence, and a verdict must not depend on who asks), but names a restricted one only
        to the people who may see it; anyone else reads that it recurred in an incident they cannot see.
        """
        incident = self.recurrence_incident
        return incident if incident is not None and incident.is_visible_to(user) else None

    def can_verify(self, user):
        """Return True if user may confirm effectiveness: a lead or higher in the action's team."""
        return has_team_role(user, self.team_id, Role.LEAD)

    def clean(self):
        """Refuse causal factors of another review."""
        if self.pk and self.review_id:
            foreign = self.factors.exclude(review_id=self.review_id)
            if foreign.exists():
                raise ValidationError({"factors": "An action can only address causal factors of its own review."})

    def set_factors(self, factors):
        """Set the causal factors this action addresses; refuse any of another review."""
        factors = list(factors)
        if any(factor.review_id != self.review_id for factor in factors):
            raise ValidationError({"factors": "An action can only address causal factors of its own review."})
        self.factors.set(factors)

    def transition(self, status, *, by, reason="", at=None):
        """Move to `status` if the lifecycle allows it; won't do needs a reason; done stamps done_at, reopening clears it."""
        status = Status(status)
        if not self.can_edit(by):
            raise PermissionDenied("You need a responder (or higher) role in the action's team to change it.")
        if status == self.status:
            return
        if status not in self.allowed_statuses():
            raise ValidationError(
                {"status": f"An action cannot go from {self.get_status_display()} to {status.label}."}
            )
        at = at or timezone.now()
        if status == Status.WONT_DO:
            if not reason.strip():
                raise ValidationError({"wont_do_reason": "Say why this action will not be done."})
            self.wont_do_reason = reason.strip()
        if status == Status.DONE:
            self.done_at = at
            if self.is_verified_category():
                self.verification = Verification.PENDING
        if status in (Status.DONE, Status.WONT_DO):
            self.closed_at = at
        if status in OPEN_STATUSES:
            self.done_at = None
            self.closed_at = None
            self.wont_do_reason = ""
        if status != Status.DONE:
            self._reset_verification()
        self.status = status
        self._change_reason = f"status → {status.label}"
        self.version += 1  # an edit form opened before this change must not silently undo it
        self.save()

    def _reset_verification(self):
        self.verification = ""
        self.proposed_verification = ""
        self.recurrence_incident = None
        self.verified_by = None
        self.verified_at = None
        self.verification_note = ""

    def watch_ends_at(self):
        """Return when the effectiveness watch window ends, or None if the action is not done."""
        if self.done_at is None:
            return None
        return self.done_at + timedelta(days=settings.HINDSIGHT_ACTION_WATCH_DAYS)

    def awaits_verdict(self):
        """Return True if a done action's check has proposed a verdict, or cannot check it (no root-cause class)."""
        if self.status != Status.DONE or self.verification not in (Verification.PENDING, Verification.RECURRED):
            return False
        return bool(self.proposed_verification) or self.review.primary_class_id is None

    def confirm_verification(self, outcome, *, by, note="", at=None):
        """Record a lead's verdict on a done corrective or preventive action: effective, ineffective or not verifiable."""
        outcome = Verification(outcome)
        if not self.can_verify(by):
            raise PermissionDenied("Only a lead of the action's team may confirm whether it was effective.")
        if outcome not in CONFIRMED_VERIFICATIONS:
            raise ValidationError({"verification": f"Choose one of: {', '.join(CONFIRMED_VERIFICATIONS)}."})
        if not self.is_verified_category():
            raise ValidationError({"verification": "Only corrective and preventive actions are verified."})
        if self.status != Status.DONE:
            raise ValidationError({"verification": "Only a done action can be verified."})
        self.verification = outcome
        self.proposed_verification = ""
        self.verified_by = by
        self.verified_at = at or timezone.now()
        self.verification_note = note.strip()
        self._change_reason = f"verification → {outcome.label}"
        self.version += 1  # an edit form opened before this change must not silently undo it
        self.save()

    def remedial_answer(self):
        """Answer 'did the sweep find similar holes?': 'yes', 'none' (done, nothing found), or None if unknown."""
        if self.category != Category.REMEDIAL:
            return None
        count = self.finding_count if hasattr(self, "finding_count") else self.findings.count()
        if count:
            return "yes"
        return "none" if self.status == Status.DONE else None


class RemedialFinding(TimeStampedModel):
    """A similar hole a remedial sweep found elsewhere: where, and what."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="findings")
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    text = models.TextField(help_text="Markdown: what was found, and what was done about it.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text[:60]

    def clean(self):
        if self.action_id and self.action.category != Category.REMEDIAL:
            raise ValidationError("Only remedial actions record findings.")


class ReminderSent(models.Model):
    """Proof that one person got their reminder email on one day: the unique row is claimed before sending."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=ReminderKind.choices, default=ReminderKind.DAILY)
    action_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "date", "kind"], name="reminder_once_per_day")]

    def __str__(self):
        return f"{self.user} {self.date} {self.kind}"
