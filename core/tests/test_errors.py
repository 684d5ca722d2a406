"""Error answers: JSON for API clients, the site's page for people."""

import pytest


def test_it_answers_an_unknown_api_url_with_a_json_404(client, responder):
    client.force_login(responder)
    response = client.get("/api/incidents/not-a-reference/timeline/1.5/")
    assert (response.status_code, response["Content-Type"], response.json()) == (
        404,
        "application/json",
        {"detail": "Not found."},
    )


def test_it_answers_an_unknown_page_with_html(client, responder):
    client.force_login(responder)
    response = client.get("/no-such-page/")
    assert (response.status_code, response["Content-Type"].split(";")[0]) == (404, "text/html")


@pytest.mark.postgres
def test_it_refuses_a_nul_character_in_a_natural_key_with_400_and_writes_nothing(api, admin):
    response = api(admin).post(
        "/api/services/", {"name": "Ledger", "slug": "ledger", "team": "pay\x00ments"}, format="json"
    )
    assert (response.status_code, api(admin).get("/api/services/").json()["count"]) == (400, 0)


@pytest.mark.postgres
def test_it_refuses_a_time_zone_offset_postgresql_cannot_store_with_400(api, admin):
    response = api(admin).get("/api/deployments/", {"started_after": "2026-01-01T00:00:00-17:30"})
    assert (response.status_code, list(response.json())) == (400, ["non_field_errors"])
