"""Actions that come out of a review, in four categories, tracked to closure and to proven effectiveness."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import TruncDate
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
from core.markdown import MARKDOWN_MAX_LENGTH
from core.models import TimeStampedModel, update_fields_for
from incidents.models import Incident, narrow_to_visible_incidents
from postmortems.models import CausalFactor, Review
from services.models import Service


def default_due_date(*, category, severity, start=None):
    """Return the due date settings give an action of `category` for an incident of `severity`."""
    start = start or timezone.localdate()
    days = settings.HINDSIGHT_ACTION_DUE_DAYS[str(category)][str(severity)]
    return start + timedelta(days=days)


# What the effectiveness check and a lead's verdict write; cleared when an action leaves "done".
VERIFICATION_FIELDS = (
    "verification",
    "proposed_verification",
    "recurrence_incident",
    "verified_by",
    "verified_at",
    "verification_note",
)
# What a status change writes.
TRANSITION_FIELDS = ("status", "wont_do_reason", "done_at", "closed_at", *VERIFICATION_FIELDS)


# The query words, written once: the QuerySet methods below filter by them, the dashboard counts with
# them, and the row methods (ActionItem.is_open, is_overdue, was_done_on_time) say the same of one row.
def open_q():
    """Open or in progress."""
    return Q(status__in=OPEN_STATUSES)


def overdue_q(today):
    """Still open after its due date."""
    return open_q() & Q(due_date__lt=today)


def due_within_q(days, today):
    """Open and due from today to `days` days from now (not yet overdue)."""
    return open_q() & Q(due_date__gte=today, due_date__lte=today + timedelta(days=days))


def done_on_time_q(on_time=True):
    """Done by its due date (or, with on_time=False, after it); needs the `done_on` annotation (`with_done_on`)."""
    return Q(status=Status.DONE) & (Q(done_on__lte=F("due_date")) if on_time else Q(done_on__gt=F("due_date")))


class ActionItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Actions user may see: those whose review's incident is visible to them."""
        return narrow_to_visible_incidents(self, user, "review__incident__")

    def open(self):
        return self.filter(open_q())

    def overdue(self, *, today=None):
        """Open actions whose due date has passed."""
        return self.filter(overdue_q(today or timezone.localdate()))

    def due_within(self, days, *, today=None):
        """Open actions due from today to `days` days from now (not yet overdue)."""
        return self.filter(due_within_q(days, today or timezone.localdate()))

    def due_by(self, day):
        """Open actions due on or before `day`: the overdue ones and those due by then."""
        return self.open().filter(due_date__lte=day)

    def done_since(self, moment):
        """Actions done at or after `moment`."""
        return self.filter(status=Status.DONE, done_at__gte=moment)

    def with_done_on(self):
        """Annotate `done_on`, the local date an action was done: "on time" compares it with the due date."""
        return self.annotate(done_on=TruncDate("done_at"))

    def done_on_time(self, on_time=True):
        """Done actions done by their due date (or, with on_time=False, late)."""
        return self.with_done_on().filter(done_on_time_q(on_time))

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

    # What a person writes when raising or editing an action (the page's form, the API); status and
    # verification change only through their own methods.
    EDITABLE_FIELDS = (
        "category",
        "title",
        "description",
        "owner",
        "team",
        "services",
        "factors",
        "priority",
        "due_date",
        "external_url",
    )

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="actions")
    category = models.CharField(max_length=20, choices=Category.choices, db_index=True)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True, help_text="Markdown.")
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
    wont_do_reason = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)
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
    verification_note = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)

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
        """Refuse a done time before the action was raised, and moving an action to another review or
        another category: its factors belong to its review, and whether (and how) it is verified depends on
        its category."""
        if self.done_at and self.opened_at and self.done_at < self.opened_at:
            raise ValidationError({"done_at": "An action cannot be done before it was raised (opened_at)."})
        if self.pk is None:
            return
        stored = ActionItem.objects.filter(pk=self.pk).values("review_id", "category").first()
        if stored is None:
            return
        if stored["review_id"] != self.review_id:
            raise ValidationError({"review": "An action cannot move to another review."})
        if stored["category"] != self.category:
            raise ValidationError(
                {"category": "An action keeps its category (its verification depends on it); add a new action instead."}
            )

    def clean_many_to_many(self, values):
        """Refuse causal factors of another review."""
        if any(factor.review_id != self.review_id for factor in values["factors"]):
            raise ValidationError({"factors": "An action can only address causal factors of its own review."})

    def transition(self, status, *, by, reason="", at=None):
        """Move to `status` if the lifecycle allows it; won't do needs a reason; done stamps done_at, reopening clears it.

        Works on the row as locked and re-read, and writes only the status and what it implies, so an
        edit or an effectiveness check saved meanwhile is kept. Whether `by` may do it is the caller's
        question (`can_edit`).
        """
        status = Status(status)
        with transaction.atomic():
            locked = self._locked()
            if status == locked.status:
                return self
            if status not in locked.allowed_statuses():
                raise ValidationError(
                    {"status": f"An action cannot go from {locked.get_status_display()} to {status.label}."}
                )
            locked.apply_status(status, at=at or timezone.now(), reason=reason)
            self._save_locked(locked, by=by, reason=f"status → {status.label}", fields=TRANSITION_FIELDS)
        return self

    def apply_status(self, status, *, at, reason=""):
        """Set `status` and what it implies on this instance, unsaved: won't do needs a reason; done
        stamps done_at (and, for corrective and preventive actions, waits for verification); closing
        stamps closed_at; reopening clears them. `transition` calls it on the locked row; an action
        brought in from elsewhere already done is built with it."""
        status = Status(status)
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

    def _locked(self):
        return ActionItem.objects.select_for_update().get(pk=self.pk)

    def _save_locked(self, locked, *, by, reason, fields):
        """Save `fields` of the locked copy with a history record, and show them on this instance too."""
        locked._change_reason = reason
        locked._history_user = by
        locked.version += 1  # an edit form opened before this change must not silently undo it
        fields = update_fields_for(locked, [*fields, "version"])
        locked.save(update_fields=fields)
        for name in fields:
            setattr(self, name, getattr(locked, name))

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
        """Record a lead's verdict on a done corrective or preventive action: effective, ineffective or not verifiable.

        Locks and re-reads the row like `transition`; whether `by` may judge is the caller's question (`can_verify`).
        """
        outcome = Verification(outcome)
        if outcome not in CONFIRMED_VERIFICATIONS:
            raise ValidationError({"verification": f"Choose one of: {', '.join(CONFIRMED_VERIFICATIONS)}."})
        with transaction.atomic():
            locked = self._locked()
            if not locked.is_verified_category():
                raise ValidationError({"verification": "Only corrective and preventive actions are verified."})
            if locked.status != Status.DONE:
                raise ValidationError({"verification": "Only a done action can be verified."})
            locked.verification = outcome
            locked.proposed_verification = ""
            locked.verified_by = by
            locked.verified_at = at or timezone.now()
            locked.verification_note = note.strip()
            self._save_locked(locked, by=by, reason=f"verification → {outcome.label}", fields=VERIFICATION_FIELDS)
        return self

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
    text = models.TextField(
        max_length=MARKDOWN_MAX_LENGTH, help_text="Markdown: what was found, and what was done about it."
    )
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
