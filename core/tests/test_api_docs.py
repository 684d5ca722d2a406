"""The API documentation: Swagger UI served from this site under the strict CSP."""

import pytest


def test_it_serves_the_docs_page_without_inline_script_or_style(client, db):
    html = client.get("/api/docs/").content.decode()
    assert ("<style" in html, "style=" in html, "<script>" in html) == (False, False, False)


def test_it_serves_the_openapi_schema(client, outsider):
    client.force_login(outsider)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert "/api/deployments/" in response.json()["paths"]


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_it_renders_swagger_ui_with_no_console_errors(page_as, viewer, width):
    page = page_as(viewer, width=width)  # fails the test on any console error, CSP violations included
    page.goto("/api/docs/")
    page.wait_for_selector(".opblock")
    for control in page.locator(".opblock-summary-control").all()[:6]:
        control.click()
    page.locator("button.try-out__btn").first.click()
    page.locator("button.execute").first.click()
    page.wait_for_selector(".responses-wrapper .live-responses-table")
    assert page.locator(".opblock-tag").count() >= 3


@pytest.fixture
def operations(client, db):
    """(method, path, responses) of every operation in the served schema."""
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    return [
        (method.upper(), path, operation["responses"])
        for path, item in paths.items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def test_it_documents_the_refusal_of_a_missing_token_on_every_operation(operations):
    assert [(method, path) for method, path, responses in operations if "401" not in responses] == []


def test_it_documents_field_errors_on_every_write(operations):
    writes = [(method, path, responses) for method, path, responses in operations if method in {"POST", "PUT", "PATCH"}]
    assert [(method, path) for method, path, responses in writes if "400" not in responses] == []


def test_it_documents_an_unreadable_body_as_415_on_every_write(operations):
    writes = [(method, path, responses) for method, path, responses in operations if method in {"POST", "PUT", "PATCH"}]
    assert [(method, path) for method, path, responses in writes if "415" not in responses] == []


def test_it_documents_404_wherever_the_path_names_a_record(operations):
    named = [(method, path, responses) for method, path, responses in operations if "{" in path]
    assert [(method, path) for method, path, responses in named if "404" not in responses] == []


def test_it_documents_a_blocked_delete_as_409(operations):
    deletes = [(path, responses) for method, path, responses in operations if method == "DELETE"]
    assert [path for path, responses in deletes if "409" not in responses] == []


def test_it_documents_stale_and_missing_if_match_wherever_it_is_required(client, db):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    conditional = [
        operation
        for item in paths.values()
        for operation in item.values()
        if isinstance(operation, dict)
        and any(parameter.get("name") == "If-Match" for parameter in operation.get("parameters", []))
    ]
    missing = [
        operation["operationId"] for operation in conditional if not {"412", "428"} <= set(operation["responses"])
    ]
    assert (len(conditional) > 0, missing) == (True, [])
