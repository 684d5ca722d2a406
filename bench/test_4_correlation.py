"""Deploy correlation for an incident whose services have 10,000 deployments in the catalog.

The deployments of the affected services and of their dependencies (two hops) are
spread over a year, so about 1 in 365 falls within the 24-hour window before the
incident started; the rest must stay out of the query.
"""

import itertools
from datetime import timedelta

from django.utils import timezone

from bench.builders import build_deployments, build_services
from incidents.correlation.suspects import MAX_SUGGESTIONS, correlate_incident, related_services, score_deployments
from incidents.models import Incident, SuspectDeployment

DEPLOYMENTS = 10_000
INCIDENTS = 15


def test_correlation_with_10000_deployments(bench, team, other_team):
    services = build_services([team, other_team], 12)
    affected = services[:3]
    related = related_services([service.pk for service in affected])
    now = timezone.now()
    build_deployments([service for service in services if service.pk in related], DEPLOYMENTS, end=now)
    # Identical incidents, so that each first run of the correlation starts from nothing.
    incidents = Incident.objects.bulk_create(
        Incident(title=f"Checkout errors {i}", team=team, started_at=now - timedelta(hours=1)) for i in range(INCIDENTS)
    )
    Incident.services.through.objects.bulk_create(
        Incident.services.through(incident_id=incident.pk, service_id=service.pk)
        for incident in incidents
        for service in affected
    )
    incident = Incident.objects.get(pk=incidents[0].pk)
    table = bench(
        "Deploy correlation: 10,000 deployments of the incident's services and dependencies",
        note=f"{len(related)} services within two hops; correlation window 24 h. "
        "Calls incidents.correlation.suspects directly (what the Celery task runs).",
    )
    scored = table.measure("score_deployments", lambda: score_deployments(incident), rows=DEPLOYMENTS, repeat=21)
    fresh = iter(incidents[1:])
    table.measure(
        "correlate_incident, first run (writes suspects)",
        lambda: correlate_incident(incident=next(fresh)),
        rows=DEPLOYMENTS,
        repeat=INCIDENTS - 2,
    )
    correlate_incident(incident=incident)
    table.measure(
        "correlate_incident, re-run (nothing changed)",
        lambda: correlate_incident(incident=incident),
        rows=DEPLOYMENTS,
        repeat=21,
    )
    assert scored.result, "some deployments fall within the window"
    table.note += f" {len(scored.result)} suspects (at most {MAX_SUGGESTIONS} are kept)."
    assert SuspectDeployment.objects.filter(incident=incident).count() == len(scored.result)
    assert next(itertools.chain(fresh, [None])) is None
