"""Playbooks (strategic: symptoms → suspects → validation) and runbooks (tactical steps), and how they helped."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Team
from accounts.permissions import has_team_role
from core.models import TimeStampedModel
from incidents.models import Incident
from playbooks.choices import NOT_HELPFUL_LIMIT, Kind, Outcome, StaleReason
from postmortems.models import Review, RootCauseClass
from services.models import Service

STEP_START = re.compile(r"^\d+[.)]\s+")
WHY_LINE = re.compile(r"^\s*(?:\*\*)?why:?(?:\*\*)?:?\s*", re.IGNORECASE)
INCIDENT_REFERENCE = re.compile(r"\bINC-(\d{1,18})\b", re.IGNORECASE)


# The fields people write, in form order: the form, the API and the history comparison all use this list.
WRITTEN_FIELDS = (
    "kind",
    "title",
    "slug",
    "summary",
    "symptoms",
    "alert_names",
    "suspects",
    "validation",
    "body",
    "warnings",
    "services",
    "classes",
    "team",
    "review_interval_days",
    "last_reviewed_on",
)
# Paths under /playbooks/ that are pages, not playbooks.
RESERVED_SLUGS = {"new", "refine"}
STALE_EDIT = "Someone saved this playbook after you opened it. Reload to see their changes, then edit again."


def _phrases(value):
    return [str(item).strip() for item in value or () if str(item).strip()]


class PlaybookQuerySet(models.QuerySet):
    def with_use_counts(self):
        """Annotate `helped_count` and `not_helpful_count` (uses in incidents of any visibility: counts only)."""
        return self.annotate(
            helped_count=Count("uses", filter=Q(uses__outcome=Outcome.HELPED), distinct=True),
            not_helpful_count=Count("uses", filter=Q(uses__outcome=Outcome.DID_NOT_HELP), distinct=True),
        )

    def review_due(self, *, today=None):
        """Playbooks past their review date."""
        return self.filter(review_due_on__lt=today or timezone.localdate())

    def not_helpful(self):
        """Playbooks marked as not helping at least NOT_HELPFUL_LIMIT times."""
        unhelpful = (
            PlaybookUse.objects.filter(playbook=OuterRef("pk"), outcome=Outcome.DID_NOT_HELP)
            .values("playbook")
            .annotate(n=Count("pk"))
            .filter(n__gte=NOT_HELPFUL_LIMIT)
        )
        return self.filter(Exists(unhelpful))

    def stale(self, *, today=None):
        """Playbooks flagged to their team: past their review date, or not helpful twice."""
        return self.filter(
            Q(pk__in=self.review_due(today=today).values("pk")) | Q(pk__in=self.not_helpful().values("pk"))
        )

    def answering_alert(self, name):
        """Playbooks listing this Alertmanager alert name (exact, case-sensitive as Alertmanager is)."""
        return self.filter(alert_names_text__contains=f"\n{name}\n")


class Playbook(TimeStampedModel):
    """What to do when a class of incident happens again: a strategic playbook or a tactical runbook."""

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RUNBOOK, db_index=True)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(blank=True, help_text="One or two sentences: when to reach for this.")
    symptoms = models.JSONField(default=list, blank=True, help_text="Short phrases, as a responder would see them.")
    suspects = models.TextField(blank=True, help_text="Markdown: what to suspect when the symptoms occur.")
    validation = models.TextField(blank=True, help_text="Markdown: how to confirm a suspect before acting.")
    body = models.TextField(
        blank=True,
        help_text="Markdown. Number the steps (1. 2. 3.); a line starting “Why:” under a step gives its reason, "
        "and INC-42 links the incident it was learned from.",
    )
    warnings = models.TextField(blank=True, help_text="Markdown: what not to do, e.g. “do not restart X while Y”.")
    services = models.ManyToManyField(Service, related_name="playbooks", blank=True)
    classes = models.ManyToManyField(RootCauseClass, related_name="playbooks", blank=True)
    alert_names = models.JSONField(default=list, blank=True, help_text="Alertmanager alertname values it answers.")
    # The alert names one per line between newlines ("\nA\nB\n"), so "answers alert X" is one LIKE on both databases.
    alert_names_text = models.TextField(default="\n", editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="playbooks", help_text="The owning team.")
    review_interval_days = models.PositiveSmallIntegerField(
        default=180, help_text="How often the owning team should re-read it."
    )
    last_reviewed_on = models.DateField(default=timezone.localdate)
    review_due_on = models.DateField(editable=False, db_index=True)
    source_incidents = models.ManyToManyField(Incident, related_name="playbooks", blank=True)
    source_reviews = models.ManyToManyField(Review, related_name="playbooks", blank=True)
    # Optimistic concurrency: an edit must name the version it started from.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "alert_names_text", "review_due_on"], m2m_fields=[services, classes]
    )

    objects = PlaybookQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("playbooks:playbook_detail", args=[self.slug])

    def clean(self):
        """Symptoms and alert names are lists of short phrases; the review interval is at least a day."""
        errors = {}
        for name in ("symptoms", "alert_names"):
            value = getattr(self, name)
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                errors[name] = "Give a list of short phrases."
            elif any(len(item) > 200 for item in value) or len(value) > 50:
                errors[name] = "At most 50 phrases of at most 200 characters each."
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"“{self.slug}” names a page of its own; choose another slug."
        if self.review_interval_days is not None and self.review_interval_days < 1:
            errors["review_interval_days"] = "Review at least every so many days: 1 or more."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.symptoms = _phrases(self.symptoms)
        self.alert_names = _phrases(self.alert_names)
        self.alert_names_text = "\n" + "".join(f"{name}\n" for name in self.alert_names)
        self.review_due_on = self.last_reviewed_on + timedelta(days=self.review_interval_days)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "alert_names_text", "review_due_on"}
        super().save(*args, **kwargs)

    @transaction.atomic
    def save_edit(self, *, expected_version, by, reason="Edited"):
        """Save this edit, which started from `expected_version`; refuse it if someone saved in between.

        One conditional UPDATE claims the next version, so of two racing edits exactly one wins.
        """
        claimed = Playbook.objects.filter(pk=self.pk, version=expected_version).update(version=expected_version + 1)
        if claimed != 1:
            raise ValidationError(STALE_EDIT)
        self.version = expected_version + 1
        self._history_user = by
        self._change_reason = reason
        self.save()

    def can_edit(self, user):
        """Return True if user may edit the playbook: a responder (or higher) of its owning team."""
        return has_team_role(user, self.team)

    def is_review_due(self, *, today=None):
        return self.review_due_on < (today or timezone.localdate())

    def stale_reasons(self, *, not_helpful_count=None, today=None):
        """Why the playbook is flagged to its team (an empty list when it is not)."""
        reasons = []
        if self.is_review_due(today=today):
            reasons.append(StaleReason.REVIEW_DUE)
        if not_helpful_count is None:
            not_helpful_count = getattr(self, "not_helpful_count", None)
        if not_helpful_count is None:
            not_helpful_count = self.uses.filter(outcome=Outcome.DID_NOT_HELP).count()
        if not_helpful_count >= NOT_HELPFUL_LIMIT:
            reasons.append(StaleReason.NOT_HELPFUL)
        return reasons

    def steps(self):
        """The body as an introduction and numbered steps, each with its “Why” (see `parse_steps`)."""
        return parse_steps(self.body)


@dataclass
class Step:
    number: int
    text: str
    why: str = ""
    incident_numbers: list = field(default_factory=list)


def parse_steps(body):
    """Split Markdown into (introduction, [Step]): a step starts at a numbered line; its “Why:” line is its reason.

    Lines after a step belong to it (code blocks, notes) until the next numbered line; numbered lines
    inside fenced code blocks are not steps. The reason's INC-42 references are kept as numbers.
    """
    intro, steps, fenced = [], [], False
    for line in (body or "").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and not line.startswith((" ", "\t")) and STEP_START.match(line):
            steps.append(Step(number=len(steps) + 1, text=STEP_START.sub("", line, count=1)))
            continue
        if steps and not fenced and WHY_LINE.match(line) and line.strip().lower().startswith(("why", "**why")):
            why = WHY_LINE.sub("", line, count=1).strip()
            steps[-1].why = f"{steps[-1].why} {why}".strip()
            continue
        if steps:
            steps[-1].text += "\n" + (line[3:] if line.startswith("   ") else line)
        else:
            intro.append(line)
    for step in steps:
        step.incident_numbers = [int(number) for number in INCIDENT_REFERENCE.findall(step.why)]
    return "\n".join(intro).strip(), steps


class PlaybookUse(TimeStampedModel):
    """A playbook used in an incident, and whether it helped: feeds its rank and flags it when it does not."""

    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="uses")
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="playbook_uses")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.USED)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["playbook", "incident"], name="playbook_use_once_per_incident")]

    def __str__(self):
        return f"{self.playbook} in {self.incident.reference}: {self.get_outcome_display()}"
