"""The review page with a 30-factor, 40-link causal chart, and its Markdown and JSON exports."""

from datetime import timedelta
from functools import partial

from django.test import Client
from django.utils import timezone

from actions.models import ActionItem
from bench.builders import build_deployments, build_services
from bench.conftest import answered
from incidents.models import Incident, SuspectDeployment, TimelineEvent
from postmortems.choices import FactorCategory, FactorKind
from postmortems.models import CausalFactor, CausalLink, Review, RootCauseClass

FACTORS = 30
LINKS = 40
EVENTS = 60
ACTIONS = 12


def causal_pairs(factors, count):
    """count (cause, effect) pairs that only point forward (no cycles): neighbours first, then two apart."""
    pairs = [(i, i + 1) for i in range(factors - 1)] + [(i, i + 2) for i in range(factors - 2)]
    return pairs[:count]


def test_review_page_and_export(bench, responder, team, other_team):
    services = build_services([team, other_team], 40)
    now = timezone.now()
    deployments = build_deployments(services[:3], 300, end=now)
    incident = Incident.objects.create(
        title="Checkout failing after a configuration push",
        team=team,
        started_at=now - timedelta(hours=6),
        resolved_at=now - timedelta(hours=4),
        status="resolved",
    )
    incident.services.set(services[:3])
    events = TimelineEvent.objects.bulk_create(
        TimelineEvent(incident=incident, occurred_at=now - timedelta(hours=6, minutes=-i), text=f"Observation {i}")
        for i in range(EVENTS)
    )
    SuspectDeployment.objects.bulk_create(
        SuspectDeployment(incident=incident, deployment=deployment, score=0.5, reasons=["Deployed before"])
        for deployment in deployments[:5]
    )
    review = Review.objects.create(
        incident=incident,
        owner=responder,
        primary_class=RootCauseClass.objects.first(),
        **{
            name: f"## {name}\n\nWhat we learned, with **emphasis**, `code` and a [link](https://example.com).\n"
            for name in ("summary", "impact", "narrative", "detection", "response", "recovery", "lessons")
        },
    )
    factors = CausalFactor.objects.bulk_create(
        CausalFactor(
            review=review,
            kind=list(FactorKind)[i % len(FactorKind)],
            category=list(FactorCategory)[i % len(FactorCategory)],
            description=f"Factor {i}: the connection pool limit was removed by push #{i}",
            is_root_cause=i == 0,
            is_symptom=i == FACTORS - 1,
            timeline_event=events[i] if i % 3 == 0 else None,
            deployment=deployments[i] if i % 5 == 0 else None,
            service=services[i % 3] if i % 4 == 0 else None,
        )
        for i in range(FACTORS)
    )
    CausalLink.objects.bulk_create(
        CausalLink(review=review, cause=factors[a], effect=factors[b]) for a, b in causal_pairs(FACTORS, LINKS)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            review=review,
            team=team,
            category="corrective",
            title=f"Action {i}",
            owner=responder,
            due_date=now.date() + timedelta(days=i),
        )
        for i in range(ACTIONS)
    )
    client = Client()
    client.force_login(responder)

    get = partial(answered, 200, client.get)

    table = bench(
        f"Review with {FACTORS} causal factors and {LINKS} links",
        note=f"rows: factors + links; the incident has {EVENTS} timeline events, 5 suspects, {ACTIONS} actions; "
        f"{len(services)} services in the catalog. Viewed by a responder (the editing forms are on the page).",
    )
    rows = FACTORS + LINKS
    for name, url in [
        ("review page", review.get_absolute_url()),
        ("export.md", f"/reviews/{incident.reference}/export.md"),
        ("export.json", f"/reviews/{incident.reference}/export.json"),
    ]:
        measured = table.measure(name, lambda url=url: get(url), rows=rows)
    assert measured.result.json()["factors"][0]["id"] == factors[0].pk
