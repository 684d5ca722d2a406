"""Demo actions on the published reviews the reviews seed created.

Each review gets the actions its story calls for (titles and descriptions from a table per
scenario, filled with the incident's service, dependency, region and release), and each action
lives the life a team that uses its tracker gives it: immediate fixes done within days, most
others done by their due date, some late, a few dropped with a reason. Old reviews' actions are
closed; the last weeks' are open or in progress, a handful overdue by days or weeks. Done
corrective and preventive actions are verified against recurrence of their failure class, one
preventive action's class comes back, and most remedial sweeps record what they found.

Deterministic (every choice is drawn from the incident's title; dates are relative to now) and
idempotent: actions are found by (review, title) and only created when missing, so a second run
changes nothing.
"""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Role, Team
from actions.choices import Category, Priority, Status, Verification
from actions.effectiveness import find_recurrence, verify_effectiveness
from actions.models import ActionItem, RemedialFinding, default_due_date
from demo.insights import trend_titles
from demo.reviews import scenario_key, scenario_words
from demo.stories import FINDINGS, TEMPLATES, WONT_DO_REASONS
from postmortems.models import Review
from services.models import Service

# How many open actions may be past their due date: a team that uses its tracker has a handful.
OVERDUE_RANGE = (6, 9)
# Overdue actions are late by days or weeks, never by months.
MOST_DAYS_LATE = 30
PREVENTIVE_DAYS = {"sev1": 90, "sev2": 120, "sev3": 150, "sev4": 150}
# The dashboard's "due this week" should have something in it.
DUE_SOON_AT_LEAST = 2
EFFECTIVE_NOTES = [
    "No recurrence in the watch window.",
    "Quiet for 90 days on this service; the new alert fired twice, both times well before impact.",
    "No repeat since; checked the class's incidents on every service this touches.",
    "Effective: the same conditions came back at the next peak and nothing broke.",
]
INEFFECTIVE_NOTE = "Recurred in {reference}: the fix covered this path but not the one that failed next."


def _team_for(review):
    incident = review.incident
    if incident.team_id:
        return incident.team
    service = next(iter(incident.services.all()), None)
    return service.team if service else Team.objects.order_by("slug").first()


def _members(team, roles):
    return [
        membership.user
        for membership in Membership.objects.filter(team=team, role__in=roles)
        .select_related("user")
        .order_by("user__username")
    ]


@transaction.atomic
def seed_actions(*, now=None):
    """Create demo actions on published reviews; return how many were created."""
    now = now or timezone.now()
    actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    reviews = list(
        Review.objects.filter(status="published", incident__started_at__isnull=False)
        .exclude(incident__title__in=trend_titles())  # the insights stories bring their own actions
        .select_related("incident__team", "primary_class")
        .prefetch_related("factors", "incident__services")
        .order_by("incident__started_at", "pk")
    )
    story = _recurrence_story(reviews, now=now)
    plans = [plan for review in reviews for plan in _plans(review, now=now, story=story)]
    _keep_overdue_believable(plans, today=timezone.localdate(now), now=now)
    existing = set(ActionItem.objects.filter(review__in=reviews).values_list("review_id", "title"))
    people = {}
    services = list(Service.objects.order_by("slug"))
    created = 0
    for plan in plans:
        review = plan["review"]
        if (review.pk, plan["title"]) in existing:
            continue
        team = _team_for(review)
        if team is None:
            continue
        if team.pk not in people:
            people[team.pk] = (
                _members(team, [Role.RESPONDER, Role.LEAD]) or [actor],
                _members(team, [Role.LEAD, Role.ADMIN]) or [actor],
            )
        owners, leads = people[team.pk]
        rng = plan["rng"]
        action = ActionItem(
            review=review,
            team=team,
            category=plan["category"],
            title=plan["title"],
            description=plan["description"],
            owner=owners[rng.randrange(len(owners))],
            priority=plan["priority"],
            opened_at=plan["opened_at"],
            due_date=plan["due_date"],
        )
        action._history_user = review.owner or actor
        action._history_date = plan["opened_at"]
        action._change_reason = "Raised in the review"
        action.save()
        action.services.set(list(review.incident.services.all())[:2])
        root_causes = [factor for factor in review.factors.all() if factor.is_root_cause]
        if root_causes and plan["category"] != Category.IMMEDIATE_FIX:
            action.factors.set([root_causes[plan["cause_index"] % len(root_causes)]])
        _live(action, plan, lead=leads[0], now=now, services=services)
        created += 1
    return created


def _plans(review, *, now, story):
    """Plan a review's actions: what, when raised, when due, and how each ends (or not yet)."""
    incident = review.incident
    key = scenario_key(incident)
    words = scenario_words(incident)
    templates = TEMPLATES[key]
    pick = random.Random(incident.title)
    categories = [Category.IMMEDIATE_FIX, Category.CORRECTIVE]
    if pick.random() < 0.85:
        categories.append(Category.REMEDIAL)
    if incident.severity in ("sev1", "sev2") or pick.random() < 0.6 or (story and story[0] == review):
        categories.append(Category.PREVENTIVE)
    if pick.random() < 0.3 and len(templates[Category.CORRECTIVE]) > 1:
        categories.insert(2, Category.CORRECTIVE)  # a second corrective action: both alternatives
    published = min(review.published_at or incident.resolved_at, now - timedelta(hours=2))
    mitigated = min(incident.mitigated_at or incident.resolved_at or published, published)
    plans, used = [], set()
    for position, category in enumerate(categories):
        options = [option for option in templates[category] if option[0] not in used]
        title, description = options[pick.randrange(len(options))]
        used.add(title)
        rng = random.Random(f"{incident.title}/{title}")
        opened = mitigated if category == Category.IMMEDIATE_FIX else published
        due = default_due_date(category=category, severity=incident.severity, start=timezone.localdate(opened))
        if category == Category.PREVENTIVE:
            # Redesigns are planned into the next quarter: the owner agrees a later date than the default.
            due = max(due, timezone.localdate(opened) + timedelta(days=PREVENTIVE_DAYS[incident.severity]))
        plan = {
            "review": review,
            "category": category,
            "title": title.format(**words),
            "description": description.format(**words),
            # Corrective work addresses the first root cause (a second one, the next); preventive, the last.
            "cause_index": -1 if category == Category.PREVENTIVE else categories[:position].count(category),
            "opened_at": opened,
            "due_date": due,
            "priority": _priority(category, incident.severity, rng),
            "words": words,
            "key": key,
            "rng": rng,
        }
        plan.update(_fate(plan, now=now, rng=rng))
        if story and story[0] == review and category == Category.PREVENTIVE:
            # Done a few weeks before the class came back: the recurrence falls in its watch window.
            done = max(story[1].started_at - timedelta(days=rng.uniform(12, 30)), opened + timedelta(days=5))
            plan.update(status=Status.DONE, closed_at=done, story=True)
        plans.append(plan)
    return plans


def _priority(category, severity, rng):
    if category == Category.IMMEDIATE_FIX or severity == "sev1":
        return Priority.HIGH
    if category == Category.CORRECTIVE:
        return Priority.HIGH if rng.random() < 0.5 else Priority.MEDIUM
    return Priority.MEDIUM if rng.random() < 0.7 else Priority.LOW


def _fate(plan, *, now, rng):
    """Decide how an action ends: done on time (mostly), done late, won't do, or still open."""
    opened, category = plan["opened_at"], plan["category"]
    days = (plan["due_date"] - timezone.localdate(opened)).days
    if category == Category.IMMEDIATE_FIX:
        late = rng.random() < 0.1
        took = days + rng.uniform(1, 4) if late else rng.uniform(0.1, max(days * 0.8, 0.5))
    else:
        if rng.random() < 0.06:
            dropped = opened + timedelta(days=rng.uniform(7, 40))
            if dropped <= now:
                return {"status": Status.WONT_DO, "closed_at": dropped}
        late = rng.random() < 0.2
        # Work lands close to its due date: people schedule by it.
        took = days + rng.uniform(1, MOST_DAYS_LATE) if late else days * rng.uniform(0.72, 1.0)
    finished = opened + timedelta(days=took)
    if finished <= now:
        return {"status": Status.DONE, "closed_at": finished}
    started = (now - opened).days > 5 or rng.random() < 0.4
    return {"status": Status.IN_PROGRESS if started else Status.OPEN, "closed_at": None}


def _keep_overdue_believable(plans, *, today, now):
    """Keep a handful of open actions overdue by days or weeks: finish the longest late, hold back recent ones."""
    low, high = OVERDUE_RANGE
    overdue = sorted(
        (plan for plan in plans if plan["closed_at"] is None and plan["due_date"] < today),
        key=lambda plan: (plan["due_date"], plan["title"]),
    )
    for plan in overdue[: max(len(overdue) - high, 0)]:
        plan.update(status=Status.DONE, closed_at=max(now - timedelta(days=1), plan["opened_at"]))
    # Actions done in the last weeks after their due date, or due this week: some would still be open.
    _hold_open(plans, low - len(overdue), first=today - timedelta(days=MOST_DAYS_LATE), last=today - timedelta(days=1))
    due_soon = [
        plan for plan in plans if plan["closed_at"] is None and today <= plan["due_date"] <= today + timedelta(7)
    ]
    missing = DUE_SOON_AT_LEAST - len(due_soon)
    missing -= _hold_open(plans, missing, first=today, last=today + timedelta(days=7))
    # Whatever the day the demo is seeded on, some open work falls due this week.
    later = sorted(
        (
            plan
            for plan in plans
            if plan["closed_at"] is None and not plan.get("story") and plan["due_date"] > today + timedelta(days=7)
        ),
        key=lambda plan: (plan["due_date"], plan["title"]),
    )
    for days, plan in zip((3, 6), later[: max(missing, 0)], strict=False):
        plan["due_date"] = today + timedelta(days=days)


def _hold_open(plans, count, *, first, last):
    """Reopen `count` done actions due between first and last (spread over the range) as still in progress.

    Return how many were reopened: fewer than `count` when too few were done in that range.
    """
    if count <= 0:
        return 0
    candidates = sorted(
        (
            plan
            for plan in plans
            if plan["status"] == Status.DONE
            and not plan.get("story")
            and plan["category"] != Category.IMMEDIATE_FIX
            and first <= plan["due_date"] <= last
        ),
        key=lambda plan: (plan["due_date"], plan["title"]),
    )
    step = max(len(candidates) / count, 1)
    held = min(count, len(candidates))
    for index in range(held):
        candidates[int(index * step)].update(status=Status.IN_PROGRESS, closed_at=None)
    return held


def _recurrence_story(reviews, *, now):
    """The latest pair of reviews of one class on a shared service, 6 weeks to 5 months apart: (earlier, later incident)."""
    best = None
    for position, earlier in enumerate(reviews):
        if earlier.primary_class_id is None or earlier.published_at is None:
            continue
        services = {service.pk for service in earlier.incident.services.all()}
        for later in reviews[position + 1 :]:
            gap = later.incident.started_at - earlier.published_at
            if (
                later.primary_class_id == earlier.primary_class_id
                and not later.incident.exclude_from_metrics
                and services & {service.pk for service in later.incident.services.all()}
                and timedelta(days=45) <= gap <= timedelta(days=150)
                and later.incident.started_at < now - timedelta(days=14)
            ):
                best = (earlier, later.incident)
                break
    return best


def _live(action, plan, *, lead, now, services):
    """Play the action's life as its owner would have: progress, closure, findings, the effectiveness verdict."""
    rng = plan["rng"]
    status, closed_at = plan["status"], plan["closed_at"]
    action._history_user = action.owner
    if status == Status.IN_PROGRESS:
        started = min(action.opened_at + timedelta(days=rng.uniform(1, 10)), now)
        action._history_date = started
        action.transition(Status.IN_PROGRESS, by=action.owner, at=started)
    elif status == Status.WONT_DO:
        reasons = WONT_DO_REASONS[Category(action.category)]
        reason = reasons[rng.randrange(len(reasons))].format(**plan["words"])
        action._history_date = closed_at
        action.transition(Status.WONT_DO, by=action.owner, reason=reason, at=closed_at)
    if action.category == Category.REMEDIAL and status in (Status.DONE, Status.IN_PROGRESS):
        _record_findings(action, plan, done=status == Status.DONE, services=services)
    if status != Status.DONE:
        return
    action._history_date = closed_at
    action.transition(Status.DONE, by=action.owner, at=closed_at)
    if action.is_verified_category():
        _verify(action, plan, lead=lead, now=now)


def _record_findings(action, plan, *, done, services):
    """Most sweeps find something: one to three findings on other services; one in progress already has one."""
    rng = plan["rng"]
    texts = FINDINGS.get(plan["key"], [])
    if not texts or rng.random() < (0.2 if done else 0.5):
        return
    count = min(len(texts), 1 + (rng.random() < 0.5) + (rng.random() < 0.25)) if done else 1
    own = {service.pk for service in action.services.all()}
    others = [service for service in services if service.pk not in own]
    rng.shuffle(others)
    for text, other in zip(rng.sample(texts, count), others, strict=False):
        RemedialFinding.objects.create(action=action, service=other, text=text, recorded_by=action.owner)


def _verify(action, plan, *, lead, now):
    """Leads confirm what the watch window showed; the rest waits in the check's hands."""
    rng = plan["rng"]
    watch_end = action.watch_ends_at()
    recurrence = find_recurrence(action)
    confirm_at = watch_end + timedelta(days=rng.uniform(3, 20))
    quiet = recurrence is None or recurrence.started_at > confirm_at
    if quiet and confirm_at <= now:
        note = EFFECTIVE_NOTES[rng.randrange(len(EFFECTIVE_NOTES))]
        action._history_user, action._history_date = lead, confirm_at
        action.confirm_verification(Verification.EFFECTIVE, by=lead, note=note, at=confirm_at)
        return
    judged_at = recurrence.started_at + timedelta(days=rng.uniform(5, 15)) if recurrence else None
    if recurrence and not plan.get("story") and judged_at <= now - timedelta(days=7) and rng.random() < 0.6:
        # The lead looked at the recurrence and judged the action: it did not stop the class.
        action.recurrence_incident = recurrence
        action._history_user, action._history_date = lead, judged_at
        note = INEFFECTIVE_NOTE.format(reference=recurrence.reference)
        action.confirm_verification(Verification.INEFFECTIVE, by=lead, note=note, at=judged_at)
        return
    verify_effectiveness(action_id=action.pk, now=now)
