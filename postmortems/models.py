"""The post-incident review, its causal-factor chart, and the root-cause taxonomy."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Role
from core.markdown import MARKDOWN_MAX_LENGTH
from core.models import NamedQuerySet, TimeStampedModel
from core.validators import validate_plausible_moment
from incidents.choices import Severity
from incidents.models import Incident, TimelineEvent, narrow_to_visible_incidents
from postmortems import charts
from postmortems.choices import FactorCategory, FactorKind, ReviewStatus
from services.models import Deployment, Service

# The sections of a review, in reading order. Every page, form and export walks this list.
READ_ONLY_MESSAGE = "This review is published. Reopen it to change it."
SECTION_FIELDS = (
    "summary",
    "impact",
    "narrative",
    "detection",
    "response",
    "recovery",
    "went_well",
    "went_wrong",
    "got_lucky",
    "surprises",
    "lessons",
)


def review_deadline_days():
    """Days after resolution within which a review must be published, per severity (None: not required)."""
    configured = getattr(settings, "HINDSIGHT_REVIEW_DEADLINE_DAYS", {})
    return {Severity(severity): configured.get(severity) for severity in Severity}


def overdue_incident_q(*, now=None, prefix=""):
    """A Q matching incidents (or, with prefix="incident__", reviews) whose review deadline has passed."""
    now = now or timezone.now()
    condition = Q(pk__in=[])
    for severity, days in review_deadline_days().items():
        if days is None:
            continue
        cutoff = now - timezone.timedelta(days=days)
        condition |= Q(**{f"{prefix}severity": severity, f"{prefix}resolved_at__lt": cutoff})
    return condition


class RootCauseClass(models.Model):
    """A class of failure (configuration change, capacity, …): the dimension recurrence is measured by."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")

    objects = NamedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "root-cause classes"

    def __str__(self):
        return self.name

    def clean(self):
        """Refuse a parent chain that loops back to this class."""
        seen = {self.pk} if self.pk else set()
        parent = self.parent
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": "A class cannot be its own ancestor."})
            seen.add(parent.pk)
            parent = parent.parent


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviews of incidents user may see (see IncidentQuerySet.visible_to)."""
        return narrow_to_visible_incidents(self, user, "incident__")

    def published(self):
        return self.filter(status=ReviewStatus.PUBLISHED)

    def unpublished(self):
        return self.exclude(status=ReviewStatus.PUBLISHED)

    def by_reference(self, reference):
        """The review of the incident with this `INC-42` reference (at most one)."""
        return self.filter(incident__in=Incident.objects.by_reference(reference).values("pk"))

    def with_attention_order(self, *, now=None):
        """Order what needs attention first: overdue, then other unpublished (oldest first), then published (newest first)."""
        attention = models.Case(
            models.When(Q(status=ReviewStatus.PUBLISHED), then=models.Value(2)),
            models.When(overdue_incident_q(now=now, prefix="incident__"), then=models.Value(0)),
            default=models.Value(1),
        )
        return self.annotate(attention=attention).order_by(
            "attention", F("published_at").desc(nulls_last=True), "created_at", "pk"
        )

    def with_class(self, slug):
        """Reviews naming the root-cause class (primary or secondary) with this slug, or one of its children."""
        secondary = Review.secondary_classes.through.objects.filter(review=OuterRef("pk")).filter(
            Q(rootcauseclass__slug=slug) | Q(rootcauseclass__parent__slug=slug)
        )
        return self.filter(Q(primary_class__slug=slug) | Q(primary_class__parent__slug=slug) | Exists(secondary))

    def with_service(self, slug):
        services = Incident.services.through.objects.filter(incident=OuterRef("incident"), service__slug=slug)
        return self.filter(Exists(services))


class Review(TimeStampedModel):
    """The post-incident review of one incident: what happened, why, and what we learned."""

    # What its writers edit (the page's form, the API, postmortems.editing); the status moves through
    # postmortems.publishing only.
    EDITABLE_FIELDS = (
        "owner",
        "facilitator",
        "authors",
        "primary_class",
        "secondary_classes",
        *SECTION_FIELDS,
        "customers_affected",
        "requests_failed",
        "responder_hours",
    )

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True)
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="authored_reviews", blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="facilitated_reviews"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_reviews",
        help_text="Who is accountable for finishing and publishing the review.",
    )
    primary_class = models.ForeignKey(
        RootCauseClass, on_delete=models.PROTECT, null=True, blank=True, related_name="primary_reviews"
    )
    secondary_classes = models.ManyToManyField(RootCauseClass, related_name="secondary_reviews", blank=True)

    # Sections, all Markdown.
    summary = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)
    impact = models.TextField(
        max_length=MARKDOWN_MAX_LENGTH,
        blank=True,
        help_text="Who and what was affected, how long, in words and numbers.",
    )
    narrative = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)
    detection = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)
    response = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)
    recovery = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)
    went_well = models.TextField("what went well", max_length=MARKDOWN_MAX_LENGTH, blank=True)
    went_wrong = models.TextField("what went wrong", max_length=MARKDOWN_MAX_LENGTH, blank=True)
    got_lucky = models.TextField("where we got lucky", max_length=MARKDOWN_MAX_LENGTH, blank=True)
    surprises = models.TextField("why we were surprised", max_length=MARKDOWN_MAX_LENGTH, blank=True)
    lessons = models.TextField(max_length=MARKDOWN_MAX_LENGTH, blank=True)

    # Impact in numbers (optional), for insights.
    customers_affected = models.PositiveIntegerField(null=True, blank=True)
    requests_failed = models.PositiveBigIntegerField(null=True, blank=True)
    responder_hours = models.DecimalField(
        "responder effort (person-hours)",
        max_digits=8,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="People × hours spent responding and reviewing: the unplanned work this incident cost.",
    )

    published_at = models.DateTimeField(null=True, blank=True, validators=[validate_plausible_moment])
    # Optimistic concurrency: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)

    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[authors, secondary_classes])

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        # The review lists' order (-created_at, -id), read backwards; the page stops after a page of rows.
        indexes = [models.Index(fields=["created_at", "id"], name="review_created_id")]

    def __str__(self):
        return f"Review of {self.incident}"

    @property
    def reference(self):
        """A review is addressed by its incident's reference."""
        return f"INC-{self.incident_id}"

    def get_absolute_url(self):
        return reverse("postmortems:review_detail", args=[self.reference])

    def is_published(self):
        return self.status == ReviewStatus.PUBLISHED

    def is_read_only(self):
        """Return True if nobody may change the review or its chart: it is published, until a lead reopens it."""
        return self.is_published()

    def require_changeable(self):
        """Refuse (PermissionDenied: a 403 in pages and the API) a change to a read-only review or its chart."""
        if self.is_read_only():
            raise PermissionDenied(READ_ONLY_MESSAGE)

    def can_be_changed_by(self, user):
        """Return True if user may change the review and its chart now: an editor, while it is not read-only."""
        return not self.is_read_only() and self.can_be_edited_by(user)

    def deadline(self):
        """Return when the review is due (resolution + the severity's deadline), or None if none applies."""
        return review_deadline(self.incident)

    def is_overdue(self, *, now=None):
        """Return True if the review is unpublished and its deadline has passed."""
        due = self.deadline()
        return not self.is_published() and due is not None and due < (now or timezone.now())

    def sections(self):
        """Return [(field name, label, Markdown text)] for every section, in reading order."""
        return [
            (name, self._meta.get_field(name).verbose_name.capitalize(), getattr(self, name)) for name in SECTION_FIELDS
        ]

    def clean(self):
        self.clean_publication()

    def clean_publication(self):
        """Refuse a publication time in the future or before the incident started."""
        if self.published_at is None:
            return
        if self.published_at > timezone.now():
            raise ValidationError({"published_at": "A review cannot be published in the future."})
        # The incident may be one being imported with it, not saved yet.
        incident = self.incident if self.incident_id or Review.incident.is_cached(self) else None
        if incident is not None and incident.started_at and self.published_at < incident.started_at:
            raise ValidationError({"published_at": "A review cannot be published before its incident started."})

    def clean_many_to_many(self, values):
        """Refuse a primary root-cause class that is also named as a secondary one."""
        if self.primary_class_id is not None and self.primary_class_id in {c.pk for c in values["secondary_classes"]}:
            raise ValidationError({"secondary_classes": "The primary class cannot also be a secondary one."})

    def can_be_edited_by(self, user):
        """Return True if user may edit the review and its chart: a responder of the incident's team
        (or, for an incident without a team, of a team owning one of its affected services)."""
        return self.incident.has_owner_role(user, Role.RESPONDER)

    def can_be_published_by(self, user):
        """Return True if user may publish or reopen the review: a lead of the incident's owning team."""
        return self.incident.has_owner_role(user, Role.LEAD)

    def publish_problems(self, *, factors=None):
        """Return why the review cannot be published, in words (an empty list when it can).

        A review needs an owner, a primary root-cause class, and at least one
        causal factor marked as a root cause.
        """
        factors = list(self.factors.all()) if factors is None else factors
        problems = []
        if self.owner_id is None:
            problems.append("Name an owner: someone accountable for the review.")
        if self.primary_class_id is None:
            problems.append("Choose a primary root-cause class.")
        if not any(factor.is_root_cause for factor in factors):
            problems.append("Mark at least one causal factor as a root cause in the chart.")
        return problems


def review_deadline(incident):
    """Return when the incident's review is due, or None (not resolved yet, or no review required)."""
    days = review_deadline_days().get(Severity(incident.severity))
    if days is None or incident.resolved_at is None:
        return None
    return incident.resolved_at + timezone.timedelta(days=days)


class CausalFactor(TimeStampedModel):
    """A node in the causal-factor chart: an event, a condition or a contributing factor."""

    # What a chart's editor writes (the page's form, the API, postmortems.editing, its history).
    EDITABLE_FIELDS = (
        "description",
        "kind",
        "category",
        "is_root_cause",
        "is_symptom",
        "timeline_event",
        "deployment",
        "service",
    )

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(max_length=20, choices=FactorKind.choices, default=FactorKind.EVENT)
    category = models.CharField(max_length=20, choices=FactorCategory.choices, default=FactorCategory.TECHNICAL)
    description = models.TextField(max_length=MARKDOWN_MAX_LENGTH)
    is_symptom = models.BooleanField("symptom", default=False)
    is_root_cause = models.BooleanField("root cause", default=False)
    # Optional evidence.
    timeline_event = models.ForeignKey(
        TimelineEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deployment = models.ForeignKey(Deployment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    # Chart edits show on the review's history page, beside the document's saves.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description[:60]

    def clean(self):
        """Refuse evidence from another incident."""
        if self.timeline_event_id and self.review_id and self.timeline_event.incident_id != self.review.incident_id:
            raise ValidationError({"timeline_event": "That timeline event belongs to another incident."})


SELF_LINK = "A factor cannot cause itself: choose two different factors."


class CausalLink(models.Model):
    """An edge of the causal-factor chart: `cause` led to `effect`, within one review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="links")
    cause = models.ForeignKey(CausalFactor, on_delete=models.CASCADE, related_name="effects")
    effect = models.ForeignKey(CausalFactor, on_delete=models.CASCADE, related_name="causes")

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cause", "effect"], name="causal_link_unique"),
            models.CheckConstraint(condition=~Q(cause=F("effect")), name="causal_link_not_self"),
        ]

    def __str__(self):
        return f"{self.cause_id} → {self.effect_id}"

    def clean(self):
        """Refuse a self-link, a link across reviews, a duplicate, and a link that would close a cycle."""
        if self.cause_id is None or self.effect_id is None:
            return
        if self.cause_id == self.effect_id:
            raise ValidationError(SELF_LINK)
        if self.cause.review_id != self.effect.review_id or (self.review_id and self.cause.review_id != self.review_id):
            raise ValidationError("Both factors of a link must belong to the same review.")
        others = CausalLink.objects.filter(review_id=self.cause.review_id).exclude(pk=self.pk)
        problem = CausalLink.refusal(self.cause, self.effect, edges=list(others.values_list("cause_id", "effect_id")))
        if problem:
            raise ValidationError(problem)

    @staticmethod
    def refusal(cause, effect, *, edges, key=lambda factor: factor.pk):
        """Return why a link cause → effect cannot join a chart whose other links are `edges`, or None.

        `edges` are (cause, effect) pairs of `key(factor)`: factor ids, or, for a chart not saved yet,
        whatever its factors are named by. Refuses a self-link, a duplicate and a link closing a cycle.
        """
        start, goal = key(cause), key(effect)
        if start == goal:
            return SELF_LINK
        if (start, goal) in edges:
            return "These two factors are already linked."
        if charts.path_exists(edges, start=goal, goal=start):
            return (
                f"This link would make a cycle: “{effect}” already leads to “{cause}”. "
                "A causal chart must flow one way, from causes to symptoms."
            )
        return None
