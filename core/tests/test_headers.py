"""Every response carries a strict Content-Security-Policy and a request id."""

import re

import pytest


def policy_of(response):
    """Return the CSP header as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {parts[0]: parts[1:] for parts in (directive.split() for directive in header.split(";")) if parts}


@pytest.fixture(
    params=["/", "/services/", "/deployments/", "/api/services/", "/api/docs/", "/no-such-page/", "/login/"]
)
def any_response(request, client, responder):
    """A page, a list, an API response, the API docs, a 404 and the (signed-out) login page."""
    if request.param != "/login/":
        client.force_login(responder)
    response = client.get(request.param)
    expected = 404 if request.param == "/no-such-page/" else 200
    assert response.status_code == expected
    return response


def test_it_sends_a_policy_refusing_plugins_base_changes_and_framing(any_response):
    policy = policy_of(any_response)
    assert (policy["object-src"], policy["base-uri"], policy["frame-ancestors"]) == (["'none'"], ["'none'"], ["'none'"])


def test_it_never_allows_inline_or_eval(any_response):
    sources = " ".join(" ".join(values) for values in policy_of(any_response).values())
    assert not re.search(r"'unsafe-(inline|eval|hashes)'", sources)


def test_it_loads_scripts_and_styles_only_from_this_site(any_response):
    policy = policy_of(any_response)
    allowed = {"'self'"}
    extra = [source for source in policy["script-src"] + policy["style-src"] if not source.startswith("'nonce-")]
    assert set(extra) == allowed


def test_it_returns_a_request_id(client):
    response = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_it_echoes_a_sane_incoming_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-edge")
    assert response["X-Request-ID"] == "lb-7f3a9c21-edge"


@pytest.mark.parametrize("supplied", ["short", "x" * 65, "<script>alert(1)</script>", "id with spaces in it"])
def test_it_replaces_an_insane_incoming_request_id(client, supplied):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=supplied)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_it_gives_each_request_its_own_id(client):
    assert client.get("/healthz")["X-Request-ID"] != client.get("/healthz")["X-Request-ID"]


def test_it_serves_prometheus_metrics(client, db):
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert re.search(r"^django_http_requests_total_by_method_total\{method=\"GET\"\} \d", response.text, re.M)


@pytest.mark.parametrize("path", ["/", "/incidents/", "/actions/", "/api/incidents/", "/no-such-page/"])
def test_it_keeps_what_a_signed_in_person_sees_out_of_shared_caches(client, responder, path):
    client.force_login(responder)
    assert "private" in client.get(path)["Cache-Control"]


def test_it_keeps_an_api_token_callers_answers_out_of_shared_caches(api, responder):
    assert "private" in api(responder).get("/api/incidents/")["Cache-Control"]


def test_it_leaves_a_views_own_no_store_alone(client, responder):
    client.force_login(responder)
    assert client.get("/actions/export.csv")["Cache-Control"] == "private, no-store"


# --- /metrics: only for the monitoring system -------------------------------------------------

METRICS_TOKEN = "m" * 32


def test_it_refuses_metrics_to_another_address_by_default(client, db):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.7").status_code == 403


def test_it_asks_for_the_metrics_token_when_one_is_set(client, db, settings):
    settings.METRICS_TOKEN = METRICS_TOKEN
    response = client.get("/metrics")
    assert (response.status_code, response["WWW-Authenticate"]) == (401, 'Bearer realm="metrics"')


def test_it_refuses_a_wrong_metrics_token(client, db, settings):
    settings.METRICS_TOKEN = METRICS_TOKEN
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "x" * 32).status_code == 403


def test_it_serves_metrics_for_the_right_token_from_an_allowed_network(client, db, settings):
    import ipaddress

    settings.METRICS_TOKEN = METRICS_TOKEN
    settings.METRICS_ALLOWED_NETS = [ipaddress.ip_network("10.0.0.0/8")]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {METRICS_TOKEN}"}
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3", **headers).status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.1.1", **headers).status_code == 403


def test_it_refuses_metrics_to_a_caller_a_local_proxy_forwards_unless_a_token_is_set(client, db, settings):
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 403
    settings.METRICS_TOKEN = METRICS_TOKEN
    headers = {"HTTP_AUTHORIZATION": f"Bearer {METRICS_TOKEN}", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert client.get("/metrics", **headers).status_code == 200
