"""The panels playbooks adds to lower apps' pages (see core/panels.py)."""

from django.db.models import Q

from accounts.permissions import can_write_anywhere
from core import search
from core.panels import register_panel
from playbooks.choices import Outcome
from playbooks.models import Playbook, PlaybookUse
from playbooks.suggestions import playbooks_for, similar_incidents, similarity_query


def _similarity_query(request, incident):
    """The incident's similarity query, corrected once per request for both panels."""
    cache = request.__dict__.setdefault("hindsight_similarity_queries", {})
    if incident.pk not in cache:
        cache[incident.pk] = search.prepare(similarity_query(incident))
    return cache[incident.pk]


def incident_playbooks_context(request, incident):
    suggestions = playbooks_for(incident, query=_similarity_query(request, incident))
    uses = {
        use.playbook_id: use
        for use in PlaybookUse.objects.filter(incident=incident, playbook__in=[playbook.pk for playbook in suggestions])
    }
    for playbook in suggestions:
        playbook.use = uses.get(playbook.pk)
    return {
        "suggestions": suggestions,
        "can_give_feedback": incident.can_edit(request.user),
        "outcomes": Outcome.choices,
    }


def similar_incidents_context(request, incident):
    return {"similar": similar_incidents(incident, user=request.user, query=_similarity_query(request, incident))}


def review_playbooks_context(request, review):
    """The playbooks that came from this review, and, once it is published, the ways to write or refine one."""
    return {
        "playbooks": list(review.playbooks.select_related("team").order_by("title")),
        "can_write": review.is_published() and can_write_anywhere(request.user),
        "refinable": list(
            Playbook.objects.exclude(source_reviews=review).order_by("title").values_list("slug", "title")
        )
        if review.is_published() and can_write_anywhere(request.user)
        else [],
    }


def playbooks_answering(*, incident, alert_names):
    """The note the intake writes into an alert-opened incident's first event: the playbooks answering its alerts."""
    if not alert_names:
        return []
    match = Q(pk__in=[])
    for name in alert_names:
        match |= Q(alert_names_text__contains=f"\n{name}\n")
    return [
        f"Playbook for {', '.join(f'`{name}`' for name in playbook.alert_names if name in alert_names)}: "
        f"[{playbook.title}]({playbook.get_absolute_url()})"
        for playbook in Playbook.objects.filter(match).order_by("title")[:3]
    ]


def register():
    from incidents.intake.notifications import register_opening_note

    register_opening_note("playbooks", playbooks_answering)
    register_panel(
        "incident_detail_side",
        "playbooks/inc/_incident_playbooks.html",
        context=incident_playbooks_context,
        order=20,
        stylesheet="hindsight/playbooks.css",
    )
    register_panel(
        "incident_detail_main",
        "playbooks/inc/_similar_incidents.html",
        context=similar_incidents_context,
        order=50,
        stylesheet="hindsight/playbooks.css",
    )
    register_panel(
        "review_detail_side",
        "playbooks/inc/_review_playbooks.html",
        context=review_playbooks_context,
        order=50,
        stylesheet="hindsight/playbooks.css",
    )
