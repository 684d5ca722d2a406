"""SLOs and SLI reports through the API: definitions, OpenSLO import, idempotent reports, permissions."""

from decimal import Decimal

import pytest

from services.models import SLO, SLIReport

OPENSLO = """
apiVersion: openslo/v1
kind: SLO
metadata:
  name: payments-availability
  displayName: Pay for an order
spec:
  description: Card payments succeed.
  service: payments-api
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  objectives:
    - target: 0.999
---
apiVersion: openslo/v1
kind: Service
metadata:
  name: payments-api
spec: {}
"""


@pytest.fixture
def slo(service):
    return SLO.objects.create(service=service, name="availability", user_journey="Pay", objective_percent="99.9")


def report(slo, *, start="2026-03-02T09:00:00Z", end="2026-03-02T09:05:00Z", good=990, total=1000):
    return {"slo": slo.pk, "period_start": start, "period_end": end, "good": good, "total": total}


def test_it_creates_an_slo_for_a_service_by_slug(api, responder, service):
    body = {"service": "payments-api", "name": "latency", "user_journey": "See the basket", "objective_percent": "99.5"}
    response = api(responder).post("/api/slos/", body, format="json")
    assert (response.status_code, response.json()["window_days"]) == (201, 30)


def test_it_refuses_an_objective_of_100_percent(api, responder, service):
    body = {"service": "payments-api", "name": "perfect", "user_journey": "Pay", "objective_percent": "100"}
    response = api(responder).post("/api/slos/", body, format="json")
    assert (response.status_code, list(response.json())) == (400, ["objective_percent"])


def test_it_refuses_a_second_slo_of_the_same_name_with_the_models_message(api, responder, slo):
    body = {"service": "payments-api", "name": "availability", "user_journey": "Pay", "objective_percent": "99"}
    response = api(responder).post("/api/slos/", body, format="json")
    assert (response.status_code, SLO.objects.count()) == (400, 1)
    assert "already exists" in str(response.json())


def test_it_refuses_renaming_an_slo_to_a_name_its_service_already_has(api, responder, slo, service):
    other = SLO.objects.create(service=service, name="latency", user_journey="Pay", objective_percent="99")
    response = api(responder).patch(f"/api/slos/{other.pk}/", {"name": "availability"}, format="json")
    other.refresh_from_db()
    assert (response.status_code, other.name) == (400, "latency")


def test_it_refuses_the_outsider_an_slo(api, outsider, service):
    body = {"service": "payments-api", "name": "x", "user_journey": "Pay", "objective_percent": "99"}
    assert api(outsider).post("/api/slos/", body, format="json").status_code == 403


def test_a_report_posted_twice_is_one_row_updated(api, responder, slo):
    client = api(responder)
    first = client.post("/api/slo-reports/", report(slo), format="json")
    second = client.post("/api/slo-reports/", report(slo, good=980), format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert list(SLIReport.objects.values_list("good", flat=True)) == [980]


def test_it_refuses_more_good_events_than_events(api, responder, slo):
    response = api(responder).post("/api/slo-reports/", report(slo, good=1001), format="json")
    assert (response.status_code, list(response.json())) == (400, ["good"])


def test_it_refuses_the_outsider_a_report(api, outsider, slo):
    assert api(outsider).post("/api/slo-reports/", report(slo), format="json").status_code == 403
    assert not SLIReport.objects.exists()


def test_it_imports_an_openslo_file(api, responder, service):
    response = api(responder).post("/api/slos/import/", OPENSLO, content_type="application/yaml")
    assert response.status_code == 200, response.content
    slo = SLO.objects.get()
    assert (slo.name, slo.user_journey, slo.objective_percent, slo.window_days) == (
        "payments-availability",
        "Pay for an order",
        Decimal("99.9"),
        28,
    )


def test_importing_the_same_file_again_updates_instead_of_duplicating(api, responder, service):
    client = api(responder)
    client.post("/api/slos/import/", OPENSLO, content_type="application/yaml")
    client.post("/api/slos/import/", OPENSLO.replace("0.999", "0.995"), content_type="application/yaml")
    assert list(SLO.objects.values_list("objective_percent", flat=True)) == [Decimal("99.5")]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (("duration: 28d", "duration: a month"), "spec.timeWindow[0].duration"),
        (("    - target: 0.999", "    - target: lots"), "spec.objectives[0]"),
        (("  service: payments-api", "  service: nowhere"), "spec.service"),
        (("apiVersion: openslo/v1\nkind: SLO", "apiVersion: openslo/v2\nkind: SLO"), "apiVersion"),
        (("  name: payments-availability\n", "  name: [unclosed\n"), "Not valid YAML"),
    ],
)
def test_a_malformed_file_gets_a_400_naming_the_problem_and_writes_nothing(api, responder, service, change, named):
    # A good SLO first, so that "nothing written" means the bad document did not leave half a file behind.
    document = OPENSLO.replace(*change) + OPENSLO.replace("payments-availability", "second")
    response = api(responder).post("/api/slos/import/", document, content_type="application/yaml")
    assert response.status_code == 400
    assert named in " ".join(response.json()["document"])
    assert not SLO.objects.exists()


def test_the_outsider_cannot_import(api, outsider, service):
    response = api(outsider).post("/api/slos/import/", OPENSLO, content_type="application/yaml")
    assert response.status_code == 403
    assert not SLO.objects.exists()


def test_it_imports_json_wrapped_yaml(api, responder, service):
    response = api(responder).post("/api/slos/import/", {"document": OPENSLO}, format="json")
    assert response.status_code == 200
