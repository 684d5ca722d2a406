"""Deploy pipelines post deployments; re-sending the same event updates one row."""

import pytest

from services.models import Deployment


@pytest.fixture
def pipeline(api, responder, service):
    """The owning team's pipeline: an API client of a responder of the service's team."""
    return api(responder)


def event(**changes):
    return {
        "service": "payments-api",
        "version": "v2.4.1",
        "environment": "production",
        "started_at": "2026-03-02T10:00:00Z",
        "finished_at": "2026-03-02T10:07:00Z",
        "status": "succeeded",
        "source": "github-actions",
        "external_id": "run-8812",
        **changes,
    }


def test_it_creates_a_deployment_from_a_new_event(pipeline):
    response = pipeline.post("/api/deployments/", event(), format="json")
    assert response.status_code == 201
    assert response.json()["service"] == "payments-api"


def test_it_answers_200_to_a_repeated_event(pipeline):
    pipeline.post("/api/deployments/", event(), format="json")
    response = pipeline.post("/api/deployments/", event(), format="json")
    assert response.status_code == 200


def test_it_keeps_one_row_for_a_repeated_event(pipeline):
    first = pipeline.post("/api/deployments/", event(), format="json").json()
    second = pipeline.post("/api/deployments/", event(), format="json").json()
    assert (Deployment.objects.count(), second["id"]) == (1, first["id"])


def test_it_updates_the_row_when_a_repeated_event_changes_status(pipeline):
    pipeline.post("/api/deployments/", event(status="in_progress", finished_at=None), format="json")
    pipeline.post("/api/deployments/", event(status="rolled_back"), format="json")
    assert list(Deployment.objects.values_list("status", flat=True)) == ["rolled_back"]


def test_it_treats_the_same_external_id_from_another_source_as_another_event(pipeline):
    pipeline.post("/api/deployments/", event(), format="json")
    response = pipeline.post("/api/deployments/", event(source="argo-cd"), format="json")
    assert (response.status_code, Deployment.objects.count()) == (201, 2)


def test_it_creates_a_new_row_for_each_post_without_external_id(pipeline):
    for _ in range(2):
        assert pipeline.post("/api/deployments/", event(external_id=""), format="json").status_code == 201
    assert Deployment.objects.count() == 2


def test_it_refuses_an_unknown_service_with_a_field_error(pipeline):
    response = pipeline.post("/api/deployments/", event(service="no-such-service"), format="json")
    assert response.status_code == 400
    assert "service" in response.json()


def test_it_writes_nothing_for_an_unknown_service(pipeline):
    pipeline.post("/api/deployments/", event(service="no-such-service"), format="json")
    assert not Deployment.objects.exists()


def test_it_refuses_a_deployment_that_finished_before_it_started(pipeline):
    response = pipeline.post("/api/deployments/", event(finished_at="2026-03-02T09:00:00Z"), format="json")
    assert (response.status_code, list(response.json())) == (400, ["finished_at"])
    assert not Deployment.objects.exists()


def test_it_refuses_a_repeat_that_would_finish_before_it_started(pipeline):
    pipeline.post("/api/deployments/", event(), format="json")
    response = pipeline.post("/api/deployments/", event(finished_at="2026-03-01T00:00:00Z"), format="json")
    assert response.status_code == 400
    assert Deployment.objects.get().finished_at.isoformat() == "2026-03-02T10:07:00+00:00"


def test_it_refuses_an_external_id_without_its_source(pipeline):
    response = pipeline.post("/api/deployments/", event(source=""), format="json")
    assert (response.status_code, list(response.json())) == (400, ["source"])


def test_it_lists_deployments_naming_the_service_by_slug(pipeline):
    pipeline.post("/api/deployments/", event(), format="json")
    assert [row["service"] for row in pipeline.get("/api/deployments/").json()["results"]] == ["payments-api"]


def test_it_refuses_a_repeated_event_from_a_team_that_does_not_own_the_row(
    api, pipeline, other_service, other_responder
):
    pipeline.post("/api/deployments/", event(), format="json")
    response = api(other_responder).post("/api/deployments/", event(service="search-api"), format="json")
    assert response.status_code == 403
    assert Deployment.objects.get().service.slug == "payments-api"
