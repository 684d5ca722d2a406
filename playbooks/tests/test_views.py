"""The playbook pages: list, detail with steps and their reasons, create, edit, history and compare."""

import pytest
from django.urls import reverse

from incidents.models import Incident
from playbooks.models import Playbook, parse_steps
from playbooks.tests.conftest import make_playbook

pytestmark = pytest.mark.django_db

LIST_PAGE_QUERIES = 12


def test_it_parses_steps_and_their_reasons():
    intro, steps = parse_steps("Intro.\n\n1. Do this\n   Why: INC-7 showed it.\n2. Then that\n```\n3. not a step\n```")
    assert intro == "Intro."
    assert [(step.number, step.why, step.incident_numbers) for step in steps] == [
        (1, "INC-7 showed it.", [7]),
        (2, "", []),
    ]
    assert "3. not a step" in steps[1].text


def test_it_shows_a_runbook_with_the_reason_beside_its_step(client, runbook, viewer, team):
    Incident.objects.create(pk=1, title="Pgbouncer restart dropped payments", team=team)
    client.force_login(viewer)
    page = client.get(runbook.get_absolute_url()).content.decode()
    assert "restarting pgbouncer in" in page
    assert "Pgbouncer restart dropped payments" in page
    assert "Do not restart pgbouncer while payments are in flight." in page


def test_it_links_a_why_only_to_incidents_the_reader_may_see(client, runbook, viewer, other_team):
    secret = Incident.objects.create(pk=1, title="Secret incident title", team=other_team, restricted=True)
    secret.allowed_teams.set([other_team])
    client.force_login(viewer)
    assert "Secret incident title" not in client.get(runbook.get_absolute_url()).content.decode()


def test_it_flags_a_playbook_past_its_review_date(client, team, viewer):
    from datetime import date

    make_playbook(team=team, slug="old", title="Old one", last_reviewed_on=date(2020, 1, 1), review_interval_days=30)
    client.force_login(viewer)
    assert "Past its review date" in client.get(reverse("playbooks:playbook_list")).content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_it_lists_playbooks_in_fixed_queries(team, service, viewer, count, page_within):
    for n in range(count):
        make_playbook(team=team, services=[service], slug=f"p-{n}", title=f"Playbook {n}")
    response = page_within(viewer, reverse("playbooks:playbook_list"), queries=LIST_PAGE_QUERIES)
    assert response.status_code == 200


def test_it_creates_a_playbook(client, responder, team, service):
    client.force_login(responder)
    response = client.post(
        reverse("playbooks:playbook_create"),
        {
            "kind": "playbook",
            "title": "Kafka lag",
            "slug": "kafka-lag",
            "symptoms": "events late\ndashboards stale",
            "alert_names": "KafkaConsumerLagHigh",
            "team": team.pk,
            "services": [service.pk],
            "review_interval_days": 90,
            "last_reviewed_on": "2026-01-01",
        },
    )
    playbook = Playbook.objects.get(slug="kafka-lag")
    assert response.status_code == 302
    assert playbook.symptoms == ["events late", "dashboards stale"]
    assert playbook.history.first().history_user == responder


def test_it_refuses_an_outsider_to_write_playbooks(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("playbooks:playbook_create")).status_code == 403


def test_it_refuses_an_edit_by_another_team(client, runbook, other_responder):
    client.force_login(other_responder)
    assert client.get(reverse("playbooks:playbook_edit", args=[runbook.slug])).status_code == 403


def _edit_data(playbook, **changes):
    data = {
        "kind": playbook.kind,
        "title": playbook.title,
        "slug": playbook.slug,
        "body": playbook.body,
        "team": playbook.team_id,
        "review_interval_days": playbook.review_interval_days,
        "last_reviewed_on": playbook.last_reviewed_on.isoformat(),
        "version": playbook.version,
    }
    data.update(changes)
    return data


def test_it_refuses_a_stale_edit(client, runbook, responder):
    client.force_login(responder)
    stale = _edit_data(runbook, title="Mine")
    client.post(reverse("playbooks:playbook_edit", args=[runbook.slug]), _edit_data(runbook, title="Theirs"))
    response = client.post(reverse("playbooks:playbook_edit", args=[runbook.slug]), stale)
    assert response.status_code == 400
    assert Playbook.objects.get(pk=runbook.pk).title == "Theirs"


def test_it_compares_an_earlier_version_with_the_current_one(client, runbook, responder):
    client.force_login(responder)
    client.post(reverse("playbooks:playbook_edit", args=[runbook.slug]), _edit_data(runbook, body="1. Only step"))
    first = runbook.history.order_by("history_date").first()
    history = client.get(reverse("playbooks:playbook_history", args=[runbook.slug])).content.decode()
    compare = client.get(reverse("playbooks:playbook_compare", args=[runbook.slug, first.history_id])).content.decode()
    assert "rae-responder" in history
    assert "- 2. Kill sessions idle" in compare
    assert "+ 1. Only step" in compare


def test_it_refuses_a_playbook_for_a_team_the_writer_is_not_in(client, responder, other_team):
    client.force_login(responder)
    response = client.post(
        reverse("playbooks:playbook_create"),
        {"kind": "runbook", "title": "X", "slug": "x", "team": other_team.pk, "review_interval_days": 90},
    )
    # The form offers only the writer's own teams: another team is a field error (400), and nothing is saved.
    assert (response.status_code, "team" in response.context["form"].errors) == (400, True)
    assert not Playbook.objects.filter(slug="x").exists()
