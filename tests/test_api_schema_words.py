"""The OpenAPI schema says what the API does: optional people are not "Required", and the description names
only what the API offers."""

import pytest

pytestmark = pytest.mark.django_db

PEOPLE = ("owner", "commander", "reporter", "facilitator")

# Each thing the description names, and a path that offers it.
NAMED = {
    "Incidents": "/api/incidents/",
    "alert intake": "/api/intake/alertmanager/",
    "services": "/api/services/",
    "dependencies": "/api/dependencies/",
    "deployments": "/api/deployments/",
    "SLOs": "/api/slos/",
    "post-incident reviews": "/api/reviews/",
    "import of past reviews": "/api/import/reviews/",
    "actions": "/api/actions/",
    "playbooks": "/api/playbooks/",
    "fault types": "/api/fault-types/",
    "requirements": "/api/requirements/",
    "experiments": "/api/experiments/",
    "failure-mode analyses": "/api/failure-modes/",
    "coverage": "/api/coverage/",
    "deployment gate": "/api/gate/",
    "insights": "/api/insights/",
    "search": "/api/search/",
}


@pytest.fixture
def schema(client, outsider):
    client.force_login(outsider)
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


def test_it_never_requires_an_optional_person_in_a_request_body(schema):
    bodies = {name: body for name, body in schema["components"]["schemas"].items() if name.endswith("Request")}
    people = [(name, field) for name, body in bodies.items() for field in PEOPLE if field in body.get("properties", {})]
    assert len(people) >= 6  # incidents (reporter, commander), reviews (owner, facilitator), actions (owner)
    assert [(name, field) for name, field in people if field in bodies[name].get("required", [])] == []


def test_it_does_not_call_an_optional_field_required_in_its_description(schema):
    wrong = [
        (name, field)
        for name, body in schema["components"]["schemas"].items()
        for field, spec in body.get("properties", {}).items()
        if str(spec.get("description", "")).startswith("Required") and field not in body.get("required", [])
    ]
    assert wrong == []


def test_it_describes_only_what_the_api_offers(schema):
    description = schema["info"]["description"]
    paths = schema["paths"]
    for words, path in NAMED.items():
        assert words in description, words
        assert any(offered.startswith(path) for offered in paths), f"the description names {words}; no {path}"
