"""Fixtures for the project-wide tests: a restricted incident with every kind of child."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership, Role, Team
from actions.models import ActionItem, RemedialFinding
from incidents.conftest import other_service, service  # noqa: F401 - the incident tests' service fixtures, here too
from incidents.models import Incident, IncidentTag, IntakeAlert, SuspectDeployment, TimelineEvent
from postmortems.models import CausalFactor, CausalLink, Review, RootCauseClass
from services.models import Deployment, Service
from tests.url_walk import HIDDEN_ID, SECRET, SLUG


@pytest.fixture
def vault(db):
    """The restricted incident of the Vault team and every kind of child it can have, all with id 7777."""
    team = Team.objects.create(name="Vault", slug=SLUG)
    insider = get_user_model().objects.create_user("ivy-insider", password="pw-ivy-insider")
    Membership.objects.create(user=insider, team=team, role=Role.LEAD)
    service = Service.objects.create(name="Vault", slug=SLUG, team=team)  # noqa: F811 - a local, not the imported fixture
    root_class = RootCauseClass.objects.create(name="Vault class", slug=SLUG)
    started = timezone.now() - timedelta(days=10)
    incident = Incident.objects.create(
        pk=HIDDEN_ID,
        title=f"{SECRET} key exfiltrated",
        summary=f"The {SECRET} HSM leaked.",
        team=team,
        restricted=True,
        started_at=started,
        labels={"customer": f"{SECRET} bank"},
    )
    incident.services.set([service])
    incident.allowed_teams.set([team])
    TimelineEvent.objects.create(pk=HIDDEN_ID, incident=incident, occurred_at=started, text=f"{SECRET} alarm")
    IncidentTag.objects.create(pk=HIDDEN_ID, incident=incident, kind="component", value=f"{SECRET}-hsm")
    IntakeAlert.objects.create(pk=HIDDEN_ID, incident=incident, fingerprint="f", name=f"{SECRET}Alert")
    deployment = Deployment.objects.create(service=service, version="v1", started_at=started)  # the catalog is open
    SuspectDeployment.objects.create(
        pk=HIDDEN_ID, incident=incident, deployment=deployment, score=0.9, reasons=[f"{SECRET} deploy"]
    )
    review = Review.objects.create(
        pk=HIDDEN_ID, incident=incident, summary=f"{SECRET} review", primary_class=root_class
    )
    cause = CausalFactor.objects.create(pk=HIDDEN_ID, review=review, description=f"{SECRET} cause")
    effect = CausalFactor.objects.create(pk=HIDDEN_ID + 1, review=review, description=f"{SECRET} effect")
    CausalLink.objects.create(pk=HIDDEN_ID, review=review, cause=cause, effect=effect)
    action = ActionItem.objects.create(
        pk=HIDDEN_ID,
        review=review,
        team=team,
        category="remedial",
        title=f"Rotate the {SECRET} keys",
        description=f"{SECRET} rotation",
        due_date=timezone.localdate(),
    )
    action.factors.set([cause])
    RemedialFinding.objects.create(pk=HIDDEN_ID, action=action, text=f"{SECRET} finding")
    return incident
