"""What the incident page offers a responder: playbooks that may help, and similar past incidents.

Both run a fixed number of queries whatever the number of playbooks, incidents or uses.
"""

from collections import Counter, defaultdict

from django.db.models import Count, Q

from core import search
from core.search.text import vocabulary
from incidents.models import Incident, IntakeAlert
from playbooks.choices import Kind, Outcome
from playbooks.models import Playbook, PlaybookUse
from postmortems.models import Review

# What each kind of evidence adds to a playbook's score.
ALERT_NAME = 100.0
SERVICE = 6.0
CLASS = 3.0
TEXT = 8.0
HELPED = 4.0
DID_NOT_HELP = -3.0
# The words of an incident's title and summary that make a similarity query.
QUERY_WORDS = 12
STOP = {"the", "and", "for", "with", "from", "after", "was", "were", "are", "not", "all", "our", "that", "this", "into"}


def similarity_query(incident):
    """A query matching documents that share the incident's most telling words (any of them)."""
    words = [word for word in _ordered_words(incident.title, incident.summary) if word not in STOP and len(word) > 3]
    return " or ".join(words[:QUERY_WORDS])


def _ordered_words(*texts):
    seen = []
    for text in texts:
        for word in sorted(vocabulary(text), key=(text or "").lower().find):
            if word not in seen:
                seen.append(word)
    return seen


def alert_names_of(incident):
    return sorted(set(IntakeAlert.objects.filter(incident=incident).exclude(name="").values_list("name", flat=True)))


def playbooks_for(incident, *, query=None, limit=5):
    """The playbooks most likely to help with this incident, best first, each with `reasons` in words.

    Evidence: a playbook answering one of its alert names comes first; then shared services, the
    root-cause classes of past incidents on those services, text similarity with its title and
    summary, and whether the playbook helped (or did not) in incidents on the same services.
    """
    service_ids = [service.pk for service in incident.services.all()]
    alert_names = alert_names_of(incident)
    past_classes = Counter(
        dict(
            Review.objects.filter(incident__services__in=service_ids, primary_class__isnull=False)
            .exclude(incident=incident)
            .values_list("primary_class")
            .annotate(n=Count("incident", distinct=True))
        )
    )
    query = query if query is not None else search.prepare(similarity_query(incident))
    # Playbooks are never restricted: searching them as a site admin shows nobody anything extra.
    everything = search.Viewer(everything=True)
    text_hits = search.search(query, viewer=everything, types=Kind.values, limit=10, counts=False).hits if query else []
    best = max((hit.rank for hit in text_hits), default=0) or 1
    text_rank = {hit.object_id: hit.rank / best for hit in text_hits}

    alert_match = Q(pk__in=[])
    for name in alert_names:
        alert_match |= Q(alert_names_text__contains=f"\n{name}\n")
    candidates = list(
        Playbook.objects.filter(
            alert_match | Q(services__in=service_ids) | Q(classes__in=list(past_classes)) | Q(pk__in=list(text_rank))
        )
        .distinct()
        .select_related("team")
        .prefetch_related("services", "classes")
    )
    feedback = defaultdict(Counter)
    for playbook_id, outcome, n in (
        PlaybookUse.objects.filter(playbook__in=candidates, incident__services__in=service_ids)
        .exclude(incident=incident)
        .values_list("playbook", "outcome")
        .annotate(n=Count("incident", distinct=True))
    ):
        feedback[playbook_id][outcome] = n

    scored = []
    for playbook in candidates:
        score, reasons = 0.0, []
        answered = sorted(set(playbook.alert_names) & set(alert_names))
        if answered:
            score += ALERT_NAME
            reasons.append(f"answers the alert {', '.join(answered)}")
        shared = [service.name for service in playbook.services.all() if service.pk in service_ids]
        if shared:
            score += SERVICE * len(shared)
            reasons.append(f"for {', '.join(shared)}")
        classes = [cls for cls in playbook.classes.all() if cls.pk in past_classes]
        if classes:
            score += CLASS * sum(past_classes[cls.pk] for cls in classes) ** 0.5
            reasons.append(f"{', '.join(cls.name for cls in classes)} happened here before")
        if playbook.pk in text_rank:
            score += TEXT * text_rank[playbook.pk]
            reasons.append("reads like this incident")
        helped, unhelpful = feedback[playbook.pk][Outcome.HELPED], feedback[playbook.pk][Outcome.DID_NOT_HELP]
        if helped:
            score += HELPED * helped
            reasons.append(f"helped {helped} time{'s' if helped != 1 else ''} on these services")
        if unhelpful:
            score += DID_NOT_HELP * unhelpful
        playbook.score, playbook.reasons = score, reasons
        scored.append(playbook)
    scored.sort(key=lambda playbook: (-playbook.score, playbook.title))
    return scored[:limit]


def similar_incidents(incident, *, user, query=None, limit=5):
    """Past incidents most like this one that user may see, best first, with their review's summary and class."""
    from playbooks.search_views import viewer_for

    query = query if query is not None else search.prepare(similarity_query(incident))
    if query is None:
        return []
    hits = search.search(query, viewer=viewer_for(user), types=["incident"], limit=limit + 1, counts=False).hits
    ids = [hit.object_id for hit in hits if hit.object_id != incident.pk][:limit]
    incidents = Incident.objects.visible_to(user).filter(pk__in=ids).select_related("review__primary_class")
    by_id = {found.pk: found for found in incidents}
    return [by_id[pk] for pk in ids if pk in by_id]
