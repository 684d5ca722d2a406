"""Error answers: JSON for API clients, the site's page for people."""


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
