"""The incident page's "Playbooks that may help" and "Similar past incidents", and a review's playbook panel."""

import pytest
from django.urls import reverse

from incidents.models import Incident, IntakeAlert
from playbooks.choices import Outcome
from playbooks.models import Playbook, PlaybookUse
from playbooks.suggestions import playbooks_for
from playbooks.tests.conftest import make_playbook
from postmortems.models import Review

pytestmark = pytest.mark.django_db

# The incident page's own budget (incidents/tests/test_views.py) already includes these panels.
INCIDENT_PAGE_QUERIES = 28


@pytest.fixture
def rivals(team, service, django_capture_on_commit_callbacks):
    """Two playbooks for the same service, equal but for their titles."""
    with django_capture_on_commit_callbacks(execute=True):
        return [
            make_playbook(team=team, services=[service], slug=f"rival-{n}", title=f"Payments rival {n}")
            for n in ("a", "b")
        ]


def test_it_puts_the_playbook_answering_the_alert_first(incident, runbook, rivals):
    IntakeAlert.objects.create(incident=incident, fingerprint="f1", name="PgBouncerPoolSaturated")
    assert playbooks_for(incident)[0] == runbook


def test_helpful_feedback_moves_a_playbook_up_for_a_similar_incident(team, service, incident, rivals):
    assert [playbook.slug for playbook in playbooks_for(incident)][:2] == ["rival-a", "rival-b"]
    earlier = Incident.objects.create(title="Earlier payments outage", team=team)
    earlier.services.set([service])
    PlaybookUse.objects.create(playbook=rivals[1], incident=earlier, outcome=Outcome.HELPED)
    assert playbooks_for(incident)[0] == rivals[1]


def test_it_shows_both_panels_on_the_incident_page(
    client, responder, incident, runbook, team, service, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        past = Incident.objects.create(title="Connection pool exhausted on payments", team=team)
        past.services.set([service])
        Review.objects.create(incident=past, summary="Pool limit removed by a config push")
    client.force_login(responder)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Playbooks that may help" in page
    assert runbook.title in page
    assert "Did this help?" in page
    assert "Pool limit removed by a config push" in page


def test_it_hides_restricted_similar_incidents_from_outsiders(
    client, viewer, incident, other_team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        secret = Incident.objects.create(title="Payments failing: secret cause", team=other_team, restricted=True)
        secret.allowed_teams.set([other_team])
    client.force_login(viewer)
    assert "secret cause" not in client.get(incident.get_absolute_url()).content.decode()


@pytest.mark.parametrize("count", [1, 12])
def test_it_renders_the_panels_in_fixed_queries(
    responder, incident, team, service, count, django_capture_on_commit_callbacks, page_within
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(count):
            playbook = make_playbook(
                team=team,
                services=[service],
                slug=f"pool-{n}",
                title=f"Payments pool {n}",
                alert_names=["PoolSaturated"],
            )
            past = Incident.objects.create(title=f"Payments failing {n}", team=team)
            past.services.set([service])
            Review.objects.create(incident=past, summary=f"Review {n}")
            PlaybookUse.objects.create(playbook=playbook, incident=past, outcome=Outcome.HELPED)
            PlaybookUse.objects.create(playbook=playbook, incident=incident, outcome=Outcome.USED)
        IntakeAlert.objects.create(incident=incident, fingerprint="f", name="PoolSaturated")
    response = page_within(responder, incident.get_absolute_url(), queries=INCIDENT_PAGE_QUERIES)
    assert "Payments pool" in response.content.decode()


def test_it_records_feedback_from_the_incident_page(client, responder, incident, runbook):
    client.force_login(responder)
    response = client.post(
        reverse("playbooks:playbook_use", args=[runbook.slug]),
        {"incident": incident.reference, "outcome": "did_not_help", "note": "Pool was fine"},
    )
    assert response.status_code == 302
    assert PlaybookUse.objects.get().outcome == Outcome.DID_NOT_HELP


def test_it_refuses_feedback_from_an_outsider(client, outsider, incident, runbook):
    client.force_login(outsider)
    response = client.post(
        reverse("playbooks:playbook_use", args=[runbook.slug]), {"incident": incident.reference, "outcome": "helped"}
    )
    assert response.status_code == 403


def test_it_flags_a_playbook_that_did_not_help_twice(team, service, runbook):
    for n in range(2):
        PlaybookUse.objects.create(
            playbook=runbook, incident=Incident.objects.create(title=f"I{n}", team=team), outcome=Outcome.DID_NOT_HELP
        )
    assert list(Playbook.objects.not_helpful()) == [runbook]
    assert list(Playbook.objects.stale()) == [runbook]


def test_it_sends_stale_playbooks_to_their_teams_leads_in_the_daily_email(lead, viewer, team, mailoutbox):
    from datetime import date

    from django.utils import timezone

    from actions.reminders import send_reminders

    lead.email, viewer.email = "lee@example.com", "vic@example.com"
    lead.save()
    viewer.save()
    make_playbook(team=team, slug="old", title="Failover the primary", last_reviewed_on=date(2020, 1, 1))
    make_playbook(team=team, slug="fresh", title="Fresh runbook")
    send_reminders(today=timezone.localdate())
    assert [message.to for message in mailoutbox] == [["lee@example.com"]]
    assert "Failover the primary — past its review date" in mailoutbox[0].body
    assert "Fresh runbook" not in mailoutbox[0].body
