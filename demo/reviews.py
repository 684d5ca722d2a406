"""Demo post-incident reviews for the incidents already in the database.

Deterministic and idempotent: an incident that already has a review is left
alone, so a second run changes nothing. Most resolved incidents above SEV4 get
a published review with a causal-factor chart; some get a draft; a few get
none, so the review list has overdue work to show.
"""

import re
import zlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Role
from demo.incidents import cause_of, duration, sentence, story_numbers
from demo.stories import (
    DRAFT_SECTIONS,
    EXPERIMENTS,
    FALLBACK_SCENARIOS,
    JOURNEYS,
    NEAR_MISSES,
    PROVIDERS,
    SCENARIO_FOR_CAUSE,
    SCENARIOS,
    UNALERTED,
)
from incidents.choices import DetectionSource, Severity, TimelineKind
from incidents.models import Incident
from postmortems.choices import ReviewStatus
from postmortems.editing import add_factor, add_link, update_review
from postmortems.models import SECTION_FIELDS, Review, RootCauseClass
from postmortems.publishing import publish_review, start_review, submit_for_review


def scenario_key(incident):
    """Return the key in SCENARIOS of the story an incident's review tells."""
    cause, symptom = cause_of(incident.title)
    key = SCENARIO_FOR_CAUSE.get((cause, symptom)) or SCENARIO_FOR_CAUSE.get(cause)
    if key:
        return key
    title = " " + " ".join(re.findall(r"[a-z0-9]+", incident.title.lower())) + " "
    for key in FALLBACK_SCENARIOS:
        if any(f" {word} " in title for word in SCENARIOS[key]["match"]):
            return key
    return FALLBACK_SCENARIOS[_draw(incident) % len(FALLBACK_SCENARIOS)]


def _draw(incident):
    """A number fixed by the incident's title: the story is the same whatever ids the database hands out."""
    return zlib.crc32(incident.title.encode())


def scenario_words(incident):
    """The words a scenario's text is filled with: the names and numbers the incident's own story was told with."""
    services = list(incident.services.all())
    named = incident.title.split(": ", 1)[0]
    service = next((s for s in services if s.name == named), services[0] if services else None)
    dep = next((s for s in services if s != service), None)
    cause, symptom = cause_of(incident.title)
    end = incident.mitigated_at or incident.resolved_at or incident.started_at
    minutes = max(int((end - incident.started_at).total_seconds() // 60), 5)
    version = re.search(r"v\d+\.\d+\.\d+", incident.title)
    slug = service.slug if service else ""
    journey, audience = JOURNEYS.get(slug, ("requests", "Customers"))
    words = {
        "title": incident.title,
        "service": service.name if service else (incident.team.name if incident.team else "the service"),
        "service_slug": slug,
        "dep": dep.name
        if dep
        else (
            (incident.labels or {}).get("provider", "a third-party API")
            if cause == "provider"
            else "a downstream dependency"
        ),
        "provider": PROVIDERS.get(slug, "the upstream provider"),
        "journey": journey,
        "audience": audience,
        "region": (incident.labels or {}).get("region", "eu-west"),
        "version": version.group(0) if version else "the latest release",
        "minutes": minutes,
        "duration": duration(minutes),
        "start_time": timezone.localtime(incident.started_at).strftime("%H:%M"),
        # The same numbers the incident's summary and timeline were written with.
        **story_numbers(incident.title, incident.severity),
    }
    words["near_miss"] = NEAR_MISSES.get(symptom, "{service} was hours away from failing").format(**words)
    words["experiment"] = EXPERIMENTS.get(symptom, "removing {dep}").format(**words)
    return words


def detection_words(incident):
    """Return (how it was detected, one sentence; what went well or wrong about it, as a list line) from the incident.

    Told from the incident's detection source and its detection timeline event, so review and incident agree.
    """
    event = next((e for e in incident.timeline.all() if e.kind == TimelineKind.DETECTION), None)
    told = re.sub(r"^\*\*\[FIRING\]\*\* ", "", event.text) if event else ""
    detected = incident.detected_at or incident.started_at
    after = duration(max(int((detected - incident.started_at).total_seconds() // 60), 1))
    source = incident.detection_source
    if source == DetectionSource.ALERT:
        return (
            f"The alert “{told}” fired {after} after the problem began and paged the on-call engineer.",
            ("went_well", f"- An alert caught it {after} in, before customers told us."),
        )
    if source == DetectionSource.CUSTOMER:
        return (
            f"A customer told us first, {after} in. {_full_stop(told)} No alert had fired.",
            ("went_wrong", f"- Customers noticed before any alert did ({after} in)."),
        )
    if source == DetectionSource.CHAOS:
        return (_full_stop(told), ("went_well", "- The drill was announced and watched from the start."))
    return (
        f"Noticed by one of us, not by an alert, {after} in: {_full_stop(told)}",
        ("went_wrong", f"- A person noticed it {after} in; no alert fired."),
    )


def _full_stop(text):
    """Text ending a sentence: a full stop unless it ends with a quotation already closing one."""
    return text if text.endswith(("”", ".")) else f"{text}."


def _team_people(incident):
    """Return (the team's first lead or None, every member), by username."""
    users = get_user_model().objects.order_by("username")
    lead = users.filter(memberships__team=incident.team, memberships__role=Role.LEAD).first()
    return lead, list(users.filter(memberships__team=incident.team).distinct())


def seed_reviews(*, now=None):
    """Create reviews for the resolved incidents above SEV4 that have none; return how many were created.

    Each review is written as its team writes one: started by its owner, its sections and chart
    edited, sent for review and published by a lead, all through the review's own workflow.
    """
    incidents = (
        Incident.objects.exclude(severity=Severity.SEV4)
        .filter(resolved_at__isnull=False, review__isnull=True)
        .select_related("team", "commander")
        .prefetch_related("services", "timeline")
        .order_by("pk")
    )
    now = now or timezone.now()
    classes = {cls.slug: cls for cls in RootCauseClass.objects.all()}
    created = 0
    for incident in incidents:
        draw = _draw(incident)
        fate = draw % 10
        if fate >= 8:
            continue  # left without a review: shows up as overdue once past its deadline
        lead, people = _team_people(incident) if incident.team else (None, [])
        owner = incident.commander or lead or (people[0] if people else None)
        if owner is None:
            continue  # nobody to write it
        scenario = SCENARIOS[scenario_key(incident)]
        words = scenario_words(incident)
        published_at = incident.resolved_at + timedelta(days=2 + draw % 4)
        # A review is published days after resolution; one resolved too recently is still being written.
        published = fate < 6 and published_at <= now
        status = ReviewStatus.PUBLISHED if published else ReviewStatus.IN_REVIEW if fate in (5, 7) else None
        review, _ = start_review(incident=incident, by=owner)
        changes = {"facilitator": lead if lead != owner else None}
        if published:
            changes.update(_published_sections(incident, scenario, words))
            changes["primary_class"] = classes.get(scenario["primary"])
            changes["secondary_classes"] = [classes[slug] for slug in scenario["secondary"] if slug in classes]
            changes["customers_affected"] = int(words["customers"].replace(",", ""))
            changes["requests_failed"] = 12000 * (1 + draw % 23)
        else:
            changes.update({name: text.format(**words) for name, text in DRAFT_SECTIONS.items()})
        review = update_review(review, version=review.version, changes=changes, by=owner)
        if status is not None:
            _seed_chart(review, scenario, words=words, detection=incident.detection_source, full=published, by=owner)
            review = submit_for_review(review, by=owner)
        if published:
            publish_review(review, by=lead or owner, at=published_at)
        # Reviews start the day after resolution (the demo is seeded all at once).
        Review.objects.filter(pk=review.pk).update(created_at=min(incident.resolved_at + timedelta(days=1), now))
        created += 1
    return created


def _published_sections(incident, scenario, words):
    """The sections of a finished review: the scenario's text, told with the incident's detection."""
    sections = {name: scenario[name].format(**words) for name in SECTION_FIELDS}
    detected, (verdict, line) = detection_words(incident)
    sections["detection"] = f"{detected} {sections['detection'][:1].upper()}{sections['detection'][1:]}"
    sections[verdict] = f"{sections[verdict]}\n{line}" if sections[verdict] else line
    return {name: text[:1].upper() + text[1:] for name, text in sections.items()}  # "the card acquirer…"


def _seed_chart(review, scenario, *, words, detection, full, by):
    rows = scenario["factors"] if full else scenario["factors"][:3]
    links = list(scenario["links"])
    if full and detection in UNALERTED and "noalert" not in {row[0] for row in rows}:
        # Found by people rather than an alert: the chart shows why detection was late.
        rows = [*rows, *UNALERTED[detection]]
        links.append(("_noalert", "_late"))
    factors = {}
    for key, description, kind, category, root, symptom in rows:
        factors[key] = add_factor(
            review,
            by=by,
            description=sentence(description.format(**words)),
            kind=kind,
            category=category,
            is_root_cause=root and full,
            is_symptom=symptom,
        )
    for cause, effect in links:
        if cause in factors and effect in factors:
            add_link(review, cause=factors[cause], effect=factors[effect], by=by)
