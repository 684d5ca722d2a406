"""The incident list page and /api/incidents/ at 5,000 incidents, for a team member and for an outsider.

One in fifty incidents is restricted (shared with one team), so the responder's
visibility filter keeps some of them and the outsider's drops them all.
"""

from functools import partial

from django.test import Client

from accounts.models import Team
from bench.builders import build_incidents, build_services
from bench.conftest import answered
from incidents.models import Incident

INCIDENTS = 5000


def test_incident_list_at_5000_incidents(bench, api, responder, outsider, team, other_team):
    teams = [team, other_team, Team.objects.create(name="Platform", slug="platform")]
    services = build_services(teams, 30)
    build_incidents(INCIDENTS, teams=teams, services=services)
    table = bench(
        "Incident list at 5,000 incidents",
        note="2 services each, 1 in 50 restricted to one of three teams; page of 25, API page of 50.",
    )
    service = services[3].slug
    for persona, user in (("responder", responder), ("outsider", outsider)):
        label = f"{persona} (sees {Incident.objects.visible_to(user).count():,})"
        client = Client()
        client.force_login(user)
        api_client = api(user)

        page = partial(answered, 200, client.get)
        api_list = partial(answered, 200, api_client.get)

        first = table.measure(f"page, {label}", lambda page=page: page("/incidents/"), rows=INCIDENTS)
        table.measure(
            f"page, status + service filter, {label}",
            lambda page=page: page(f"/incidents/?status=investigating&status=identified&service={service}"),
            rows=INCIDENTS,
        )
        table.measure(f"page 100 of 200, {label}", lambda page=page: page("/incidents/?page=100"), rows=INCIDENTS)
        table.measure(
            f"page, search 'latency', {label}", lambda page=page: page("/incidents/?q=latency"), rows=INCIDENTS
        )
        listed = table.measure(f"API, {label}", lambda api_list=api_list: api_list("/api/incidents/"), rows=INCIDENTS)
        table.measure(
            f"API, status + service filter, {label}",
            lambda api_list=api_list: api_list(f"/api/incidents/?status=investigating&service={service}"),
            rows=INCIDENTS,
        )
        # The page and the API agree on how many incidents this user may see.
        assert first.result.context["total_count"] == listed.result.data["count"]
