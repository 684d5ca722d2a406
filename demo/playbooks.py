"""Demo playbooks and runbooks, seeded the way people write them: the form's rules, history, sources, feedback.

Deterministic and idempotent: playbooks are found by slug and only created when missing; the
incidents they cite and the uses recorded are chosen from the demo incidents by symptom, newest first.
"""

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership, Role, Team
from demo.incidents import cause_of
from demo.organisation import SERVICES
from demo.stories import load
from incidents.models import Incident
from playbooks import authoring
from playbooks.models import Playbook
from postmortems.models import RootCauseClass
from services.models import Service

DEFAULT_INTERVAL = 180
# The keys of a story that are its playbook's fields as they stand (the rest are looked up or filled in).
STORY_FIELDS = ("kind", "title", "summary", "symptoms", "suspects", "validation", "warnings", "alert_names")


def stories():
    """Every demo playbook: slug → story (the hand-written ones, then the per-service runbooks).

    From demo/stories/playbooks.yaml, whose comments say its shape.
    """
    tables = load("playbooks")
    all_stories = dict(tables["playbooks"])
    for kind in tables["service_runbooks"]:
        for slug in kind["services"]:
            name, team, _tier, _description = SERVICES[slug]
            words = {"{service}": slug, "{name}": name, "{name_joined}": name.replace(" ", ""), "{team}": team}
            all_stories[_filled(kind["slug"], words)] = _filled(kind["runbook"], words)
    return all_stories


def _filled(value, words):
    """A template string (or list or dict of them) with each of `words` replaced; other braces are left alone."""
    if isinstance(value, dict):
        return {key: _filled(item, words) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, words) for item in value]
    for placeholder, word in words.items():
        value = value.replace(placeholder, word)
    return value


def seed_playbooks(*, now=None):
    """Create the demo playbooks that are missing; return how many were created."""
    today = (now or timezone.now()).date()
    by_symptom = defaultdict(list)
    for incident in (
        Incident.objects.select_related("review", "team").prefetch_related("services").order_by("-started_at", "-pk")
    ):
        _cause, symptom = cause_of(incident.title)
        if symptom:
            by_symptom[symptom].append(incident)
    teams = {team.slug: team for team in Team.objects.all()}
    services = {service.slug: service for service in Service.objects.all()}
    classes = {cls.slug: cls for cls in RootCauseClass.objects.all()}
    writers = _writers()
    existing = set(Playbook.objects.values_list("slug", flat=True))
    created = 0
    for index, (slug, story) in enumerate(sorted(stories().items())):
        if slug in existing:
            continue
        incidents = _incidents_for(story, by_symptom)
        writer = writers.get(story["team"])
        playbook = Playbook(
            slug=slug,
            **{name: story[name] for name in STORY_FIELDS},
            body=_cite(story["body"], incidents[0] if incidents else None),
            team=teams[story["team"]],
            review_interval_days=story.get("interval", DEFAULT_INTERVAL),
            last_reviewed_on=today - timedelta(days=story.get("reviewed_days_ago", 7 + (index * 11) % 120)),
        )
        playbook.full_clean()
        playbook._history_user = writer
        playbook._change_reason = "Written"
        playbook.save()
        playbook.services.set([services[name] for name in story["services"] if name in services])
        playbook.classes.set([classes[name] for name in story["classes"] if name in classes])
        review = next((incident.review for incident in incidents if _published_review(incident)), None)
        if review is not None:
            authoring.add_source_review(playbook, review=review, by=writer)
        for incident, outcome in zip(incidents, story.get("feedback", ()), strict=False):
            authoring.record_use(playbook=playbook, incident=incident, outcome=outcome, by=writer, note=_NOTES[outcome])
        created += 1
    return created


_NOTES = {
    "helped": "Followed it step by step; it pointed straight at the cause.",
    "did_not_help": "Symptoms matched but the cause was elsewhere; the playbook needs another suspect.",
    "used": "",
}


def _incidents_for(story, by_symptom):
    """The incidents of the story's symptom, newest first, those on its services before the others."""
    found = by_symptom.get(story.get("from_symptom"), [])
    wanted = set(story["services"])
    return sorted(found, key=lambda incident: not ({s.slug for s in incident.services.all()} & wanted))


def _published_review(incident):
    review = getattr(incident, "review", None)
    return review is not None and review.is_published()


def _cite(body, incident):
    """Name the incident a step's reason was learned from; without one, leave that reason out."""
    if incident is not None:
        return body.replace("{incident}", incident.reference)
    return "\n".join(line for line in body.splitlines() if "{incident}" not in line) + "\n"


def _writers():
    """A lead (or else any member) of each team: who writes its playbooks."""
    writers = {}
    for membership in Membership.objects.select_related("team", "user").order_by(
        "team__slug", "-role", "user__username"
    ):
        current = writers.get(membership.team.slug)
        if current is None or (membership.role == Role.LEAD and current[1] != Role.LEAD):
            writers[membership.team.slug] = (membership.user, membership.role)
    return {slug: user for slug, (user, _role) in writers.items()}
