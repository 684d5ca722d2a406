"""Decisions on suspects and re-correlation of the same incident take turns (PostgreSQL, real threads)."""

from datetime import timedelta

import pytest

from conftest import race
from incidents.choices import SuspectState, TagKind
from incidents.conftest import T0, make_incident
from incidents.correlation.suspects import confirm_suspect, correlate_incident, dismiss_suspect
from incidents.models import IncidentTag, SuspectDeployment
from services.models import Deployment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_twenty_confirm_dismiss_recorrelate_cycles_lose_no_decision(team, service, responder):
    incident = make_incident(team=team, services=[service])
    lost = []
    for cycle in range(20):
        deployment = Deployment.objects.create(service=service, version=f"v{cycle}", started_at=T0 - timedelta(hours=1))
        correlate_incident(incident=incident)
        suspect = incident.suspect_deployments.get(deployment=deployment)
        # The deployment leaves the window: the next correlation wants to drop its suggestion.
        Deployment.objects.filter(pk=deployment.pk).update(started_at=T0 - timedelta(days=30))

        confirmed, _ = race(
            lambda suspect=suspect: confirm_suspect(suspect=suspect, by=responder),
            lambda: correlate_incident(incident=incident),
        )
        if isinstance(confirmed, SuspectDeployment.DoesNotExist):
            continue  # the correlation ran first and dropped the suggestion before anyone confirmed it
        assert isinstance(confirmed, SuspectDeployment), confirmed
        if not SuspectDeployment.objects.filter(pk=suspect.pk, state=SuspectState.CONFIRMED).exists():
            lost.append(f"confirmation {cycle}")
            continue

        dismissed, _ = race(
            lambda suspect=suspect: dismiss_suspect(suspect=suspect, by=responder),
            lambda: correlate_incident(incident=incident),
        )
        assert isinstance(dismissed, SuspectDeployment), dismissed
        if not SuspectDeployment.objects.filter(pk=suspect.pk, state=SuspectState.DISMISSED).exists():
            lost.append(f"dismissal {cycle}")

    assert lost == []
    assert not IncidentTag.objects.filter(incident=incident, kind=TagKind.DEPLOY_VERSION).exists()


def test_a_confirmation_racing_a_recorrelation_keeps_its_tag(team, service, responder):
    incident = make_incident(team=team, services=[service])
    deployment = Deployment.objects.create(service=service, version="v1", started_at=T0 - timedelta(hours=1))
    correlate_incident(incident=incident)
    suspect = incident.suspect_deployments.get()

    race(lambda: confirm_suspect(suspect=suspect, by=responder), lambda: correlate_incident(incident=incident))

    suspect.refresh_from_db()
    assert suspect.state == SuspectState.CONFIRMED
    assert suspect.confirmed_tag.value == deployment.version
