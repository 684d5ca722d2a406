"""Demo actions on the published reviews the reviews seed created.

Deterministic and idempotent: actions are found by (review, title) and only
created when missing, so a second run changes nothing. Covers all four
categories, overdue and done actions, verified ones, remedial findings, and
one preventive action whose failure class recurred.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, Team
from actions.choices import Category, Priority, Status, Verification
from actions.effectiveness import verify_effectiveness
from actions.models import ActionItem, RemedialFinding
from postmortems.models import Review

# (category, title, description, plan): plan says how far along the demo puts it.
PLANS = [
    (
        Category.IMMEDIATE_FIX,
        "Roll back and pin the last good version",
        "Stop the bleeding; pin until the fix ships.",
        "done_on_time",
    ),
    (
        Category.CORRECTIVE,
        "Require a second reviewer for risky changes",
        "Changes to this path need two approvals and a canary.",
        "done_verified",
    ),
    (
        Category.REMEDIAL,
        "Sweep sibling services for the same weakness",
        "Check every service with the same client library and config pattern.",
        "done_with_findings",
    ),
    (
        Category.PREVENTIVE,
        "Design out the failure class",
        "Make the dangerous state impossible rather than unlikely.",
        "overdue",
    ),
    (
        Category.CORRECTIVE,
        "Alert on the leading signal, not the outage",
        "Page on the saturation that preceded the incident.",
        "in_progress",
    ),
    (
        Category.IMMEDIATE_FIX,
        "Add a kill switch for the new code path",
        "A flag to turn the new path off without a deploy.",
        "wont_do",
    ),
]

FINDINGS = [
    "Same unbounded retry loop in the client; fixed in the same sprint.",
    "Timeout left at the library default (infinite); set to 2 s.",
]


def _team_for(review):
    incident = review.incident
    if incident.team_id:
        return incident.team
    service = incident.services.order_by("slug").first()
    return service.team if service else Team.objects.order_by("slug").first()


def _member(team, roles):
    membership = (
        Membership.objects.filter(team=team, role__in=roles).select_related("user").order_by("user__username").first()
    )
    return membership.user if membership else None


@transaction.atomic
def seed_actions(*, now=None):
    """Create demo actions on published reviews; return how many were created."""
    now = now or timezone.now()
    actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    reviews = list(
        Review.objects.filter(status="published", incident__started_at__isnull=False)
        .select_related("incident__team", "primary_class")
        .prefetch_related("factors")
        .order_by("incident__started_at", "pk")
    )
    created = 0
    preventive_for_recurrence = _recurring_pair(reviews)
    for index, review in enumerate(reviews):
        team = _team_for(review)
        if team is None:
            continue
        owner = _member(team, [Role.RESPONDER, Role.LEAD]) or actor
        lead = _member(team, [Role.LEAD, Role.ADMIN]) or actor
        opened = max(review.published_at or review.incident.started_at, review.incident.started_at)
        root_causes = [factor for factor in review.factors.all() if factor.is_root_cause]
        plans = PLANS[: 3 + index % 4]
        if preventive_for_recurrence and review.pk == preventive_for_recurrence[0].pk:
            plans = [
                *plans,
                (
                    Category.PREVENTIVE,
                    "Guard the change path with an automated check",
                    "A pipeline gate refuses the dangerous change.",
                    "recurs",
                ),
            ]
        for position, (category, title, description, plan) in enumerate(plans):
            if ActionItem.objects.filter(review=review, title=title).exists():
                continue
            action = ActionItem.objects.create(
                review=review,
                team=team,
                category=category,
                title=title,
                description=description,
                owner=owner,
                priority=(Priority.HIGH, Priority.MEDIUM, Priority.LOW)[(index + position) % 3],
                opened_at=opened,
            )
            action.services.set(review.incident.services.all()[:2])
            if root_causes:
                action.factors.set([root_causes[position % len(root_causes)]])
            _advance(action, plan=plan, by=actor, lead=lead, now=now, later=preventive_for_recurrence)
            created += 1
    return created


def _recurring_pair(reviews):
    """Two reviews of the same class on a shared service, the second later: (earlier, later), or None."""
    for position, earlier in enumerate(reviews):
        if earlier.primary_class_id is None:
            continue
        services = set(earlier.incident.services.values_list("pk", flat=True))
        for later in reviews[position + 1 :]:
            if (
                later.primary_class_id == earlier.primary_class_id
                and not later.incident.exclude_from_metrics
                and services & set(later.incident.services.values_list("pk", flat=True))
                and later.incident.started_at - earlier.incident.started_at > timedelta(days=2)
            ):
                return earlier, later
    return None


def _advance(action, *, plan, by, lead, now, later):
    opened = action.opened_at
    if plan == "done_on_time":
        action.transition(Status.DONE, by=by, at=min(opened + timedelta(days=1), now))
    elif plan == "done_verified":
        action.transition(Status.DONE, by=by, at=min(opened + timedelta(days=10), now))
        checked = verify_effectiveness(action_id=action.pk, now=now)
        if checked.proposed_verification == Verification.EFFECTIVE:
            checked.confirm_verification(Verification.EFFECTIVE, by=lead, note="No recurrence in the watch window.")
    elif plan == "done_with_findings":
        for number, text in enumerate(FINDINGS[: 1 + action.pk % 2]):
            service = action.services.order_by("slug")[number : number + 1].first() if number == 0 else None
            RemedialFinding.objects.create(action=action, service=service, text=text, recorded_by=action.owner)
        action.transition(Status.DONE, by=by, at=min(opened + timedelta(days=20), now))
    elif plan == "overdue":
        action.due_date = min(action.due_date, timezone.localdate(now) - timedelta(days=4))
        action._change_reason = "due date agreed with the owner"
        action.save(update_fields=["due_date", "updated_at"])
    elif plan == "in_progress":
        action.transition(Status.IN_PROGRESS, by=by)
    elif plan == "wont_do":
        action.transition(
            Status.WONT_DO, by=by, reason="The code path was removed instead.", at=min(opened + timedelta(days=3), now)
        )
    elif plan == "recurs" and later is not None:
        done_at = later[1].incident.started_at - timedelta(days=1)
        action.transition(Status.DONE, by=by, at=max(done_at, opened))
        verify_effectiveness(action_id=action.pk, now=now)
