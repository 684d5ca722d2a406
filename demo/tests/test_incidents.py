from demo.incidents import INCIDENT_COUNT, seed_incidents
from demo.organisation import seed_organisation
from incidents.models import Incident, IncidentTag, SuspectDeployment, TimelineEvent


def counts():
    return [Model.objects.count() for Model in (Incident, TimelineEvent, SuspectDeployment, IncidentTag)]


def test_it_seeds_believable_incidents_once(db):
    organisation = seed_organisation()
    seed_incidents(organisation)
    first = counts()
    seed_incidents(organisation)
    assert counts() == first
    assert first[0] == INCIDENT_COUNT
    for incident in Incident.objects.prefetch_related("timeline"):
        incident.clean()  # lifecycle timestamps in order
        assert 4 <= len(incident.timeline.all()) <= 10, incident
    restricted = Incident.objects.filter(restricted=True)
    assert restricted.exists()
    assert all(incident.allowed_teams.exists() for incident in restricted)
    assert (
        SuspectDeployment.objects.filter(state="confirmed").count()
        == IncidentTag.objects.filter(kind="deploy_version").count()
    )
