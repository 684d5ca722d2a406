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
